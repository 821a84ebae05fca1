/** The pure planning core: no AWS, no moto. */
import assert from "node:assert/strict";
import * as path from "node:path";
import { loadTablesYaml } from "../../model";
import { buildAlert } from "../../handlers/coordinator/core/alert";
import { catalogColumnNames, crawlRequests, planPendingCrawls, schemaNeedsCrawl } from "../../handlers/coordinator/core/crawl";
import { dueTables } from "../../handlers/coordinator/core/due";
import { parseEvent } from "../../handlers/coordinator/core/events";
import { buildManifest, defaultLakeRoots, type ManifestContext } from "../../handlers/coordinator/core/manifest";
import { manifestProblems } from "../../handlers/coordinator/core/manifestSchema";
import { emfLine } from "../../handlers/coordinator/core/metrics";
import { classifyRun, countOutcomes, failures } from "../../handlers/coordinator/core/outcome";
import { formatRunId, isRunId } from "../../handlers/coordinator/core/runId";
import type { TableState } from "../../handlers/coordinator/core/types";

const model = loadTablesYaml(path.resolve(__dirname, "../../tables.yaml"));
const ctx: ManifestContext = {
  source: { engine: "mariadb", database: "erp", schema: undefined, connectionName: "lake-source" },
  lakeRoots: defaultLakeRoots("lake-raw", "lake-warehouse"),
  stateTable: "lake-state",
  databasePrefix: "lake",
  icebergCatalog: "glue_catalog",
};

describe("coordinator core: events", () => {
  it("accepts the Scheduler input and normalizes its time to UTC", () => {
    const parsed = parseEvent({ kind: "schedule", tier: "daily", scheduledAt: "2024-05-07T01:30:00+02:00" });
    assert.deepEqual(parsed, { ok: true, event: { kind: "schedule", tier: "daily", scheduledAt: "2024-05-06T23:30:00.000Z" } });
  });
  it("accepts a manual event, de-duplicating its tables", () => {
    const parsed = parseEvent({ kind: "manual", tier: "daily", tables: ["customer", "customer"], requestId: "ticket-1", reload: true });
    assert.deepEqual(parsed, {
      ok: true,
      event: { kind: "manual", tier: "daily", tables: ["customer"], requestId: "ticket-1", reload: true },
    });
  });
  it("reads a Glue Job State Change, marking non-terminal states", () => {
    const event = {
      "detail-type": "Glue Job State Change",
      source: "aws.glue",
      detail: { jobName: "j", jobRunId: "jr_1", state: "RUNNING" },
    };
    const parsed = parseEvent(event);
    assert.ok(parsed.ok && parsed.event.kind === "jobState" && parsed.event.state === undefined && parsed.event.rawState === "RUNNING");
    const done = parseEvent({ ...event, detail: { ...event.detail, state: "TIMEOUT" } });
    assert.ok(done.ok && done.event.kind === "jobState" && done.event.state === "TIMEOUT");
  });
  const bad: [string, unknown, RegExp][] = [
    ["a string", "daily", /not an object/],
    ["a list", [], /a list/],
    ["an unknown kind", { kind: "reload" }, /"kind"/],
    ["a bad tier name", { kind: "schedule", tier: "Daily!", scheduledAt: "2024-05-07T01:30:00Z" }, /not a tier name/],
    ["a time that is no time", { kind: "schedule", tier: "daily", scheduledAt: "yesterday" }, /ISO-8601/],
    ["an empty manual table list", { kind: "manual", tier: "daily", tables: [], requestId: "r" }, /non-empty/],
    ["a manual table that is no lake name", { kind: "manual", tier: "daily", tables: ["x; drop"], requestId: "r" }, /not lake table names/],
    ["a non-boolean reload", { kind: "manual", tier: "daily", tables: ["a"], requestId: "r", reload: "yes" }, /reload/],
    [
      "a job event without a run id",
      { "detail-type": "Glue Job State Change", source: "aws.glue", detail: { jobName: "j", state: "FAILED" } },
      /jobRunId/,
    ],
    ["a spoofed source", { "detail-type": "Glue Job State Change", source: "my.app", detail: {} }, /aws.glue/],
  ];
  for (const [what, input, reason] of bad) {
    it(`rejects ${what}`, () => {
      const parsed = parseEvent(input);
      assert.equal(parsed.ok, false);
      assert.match((parsed as { reason: string }).reason, reason);
    });
  }
});

describe("coordinator core: tables due", () => {
  it("the daily tier loads every enabled table, the 15-minute tier only its own", () => {
    const daily = dueTables(model, { kind: "schedule", tier: "daily", scheduledAt: "2024-05-06T23:30:00.000Z" });
    const quarter = dueTables(model, { kind: "schedule", tier: "every_15_min", scheduledAt: "2024-05-07T06:00:00.000Z" });
    assert.ok(daily.ok && quarter.ok);
    const enabled = model.tables.filter((t) => t.enabled).map((t) => t.name);
    assert.deepEqual(
      daily.tables.map((t) => t.name),
      enabled,
    );
    assert.ok(!enabled.includes("applicant"));
    assert.deepEqual(
      quarter.tables.map((t) => t.name),
      model.tables.filter((t) => t.enabled && t.tier === "every_15_min").map((t) => t.name),
    );
    assert.ok(quarter.tables.length > 0 && quarter.tables.length < daily.tables.length);
  });
  it("a manual event loads exactly the named tables, whatever their tier", () => {
    const due = dueTables(model, {
      kind: "manual",
      tier: "every_15_min",
      tables: ["audit_log", "customer"],
      requestId: "r",
      reload: false,
    });
    assert.ok(due.ok);
    assert.deepEqual(
      due.tables.map((t) => t.name),
      ["audit_log", "customer"],
    );
  });
});

describe("coordinator core: manifest", () => {
  const watermarks = new Map([["customer", { kind: "timestamp" as const, value: "2024-05-07T05:59:59.000001Z" }]]);
  const run = (reload: boolean) =>
    buildManifest(ctx, {
      runId: "daily-20240506T233000Z-0a1b2c3d",
      tier: "daily",
      createdAt: new Date("2024-05-06T23:30:01Z"),
      leaseExpiresAt: 1715045401,
      tables: model.tables.filter((t) => t.enabled),
      watermarks,
      reload,
    });

  it("validates against the shared JSON Schema for every table of tables.yaml", () => {
    assert.deepEqual(manifestProblems(run(false)), []);
  });
  it("addresses tables by exact quoted names and /-terminated paths: customer never matches customer_address", () => {
    const m = run(false);
    const customer = m.tables.find((t) => t.name === "customer");
    const address = m.tables.find((t) => t.name === "customer_address");
    assert.equal(customer?.quotedSourceName, "`erp`.`customer`");
    assert.equal(customer?.rawPath, "s3://lake-raw/raw/sales/customer/");
    assert.ok(!address?.rawPath.startsWith(customer?.rawPath ?? "?"));
    assert.equal(m.tables.find((t) => t.name === "order_line_notes")?.quotedSourceName, "`erp`.`Order_Line_Notes`");
    assert.equal(customer?.lookbackSeconds, 600);
    assert.equal(m.tables.find((t) => t.name === "gl_journal_line_event")?.lookbackKeys, 20000);
    assert.equal(m.tables.find((t) => t.name === "audit_log")?.lookbackKeys, 1000);
    assert.deepEqual(customer?.watermark, watermarks.get("customer"));
  });
  it("a reload carries no watermark", () => {
    assert.equal(run(true).tables.find((t) => t.name === "customer")?.watermark, null);
  });
  it("the schema check catches a broken manifest", () => {
    const broken = { ...run(false), tables: [{ ...run(false).tables[0], rawPath: "s3://lake-raw/raw/sales/customer", strategy: "merge" }] };
    const problems = manifestProblems(broken);
    assert.ok(
      problems.some((p) => p.includes("/tables/0/rawPath")),
      problems.join("\n"),
    );
    assert.ok(
      problems.some((p) => p.includes("/tables/0/strategy")),
      problems.join("\n"),
    );
  });
});

describe("coordinator core: run ids", () => {
  it("are readable, unique per suffix and valid lease owners", () => {
    const id = formatRunId("every_15_min", new Date("2024-05-07T06:00:00.123Z"), "00ff00ff");
    assert.equal(id, "every_15_min-20240507T060000Z-00ff00ff");
    assert.ok(isRunId(id));
    assert.throws(() => formatRunId("daily", new Date(), "XYZ"));
  });
});

describe("coordinator core: outcomes and crawler decision", () => {
  const runId = "r1";
  const states = new Map<string, TableState>([
    [
      "a",
      {
        table: "a",
        lastRunId: runId,
        lastStatus: "LOADED",
        rowsRead: 5,
        rowsWritten: 4,
        schemaFingerprint: "f2",
        catalogFingerprint: "f1",
      },
    ],
    ["b", { table: "b", lastRunId: runId, lastStatus: "UNCHANGED", schemaFingerprint: "f1", catalogFingerprint: "f1" }],
    ["c", { table: "c", lastStatus: "FAILED", lastError: "boom", failedRunId: runId }],
    // Failed by another run since: not this run's failure.
    ["h", { table: "h", lastStatus: "FAILED", lastError: "other", failedRunId: "r3" }],
    ["d", { table: "d", leaseRunId: runId }],
    ["e", { table: "e", leaseRunId: "r2" }],
    ["g", { table: "g", lastRunId: runId, lastStatus: "LOADED", schemaFingerprint: "f9" }],
  ]);
  const outcomes = classifyRun(runId, ["a", "b", "c", "d", "e", "f", "g", "h"], states, { state: "FAILED", message: "OOM" });

  it("classifies every table of the run", () => {
    assert.deepEqual(
      outcomes.map((o) => [o.table, o.kind]),
      [
        ["a", "loaded"],
        ["b", "loaded"],
        ["c", "failed"],
        ["d", "unfinished"],
        ["e", "superseded"],
        ["f", "superseded"],
        ["g", "loaded"],
        ["h", "superseded"],
      ],
    );
    assert.deepEqual(countOutcomes(outcomes), { loaded: 2, unchanged: 1, failed: 2, superseded: 3, rowsRead: 5, rowsWritten: 4 });
    assert.deepEqual(failures(outcomes), [
      { table: "c", reason: "boom" },
      { table: "d", reason: "job run ended FAILED before the table was committed: OOM" },
    ]);
  });
  it("asks for a crawl only for loaded tables that are new to the catalog or changed", () => {
    assert.deepEqual(crawlRequests(outcomes, states), ["a", "g"]);
    assert.equal(schemaNeedsCrawl({ table: "x" }), false, "no fingerprint yet: nothing to crawl");
  });
  it("plans one crawl per domain over exactly the pending tables, dropping current and unknown ones", () => {
    const pendingStates = new Map<string, TableState>([
      ["customer", { table: "customer", schemaFingerprint: "f2", catalogFingerprint: "f1" }],
      ["customer_address", { table: "customer_address", schemaFingerprint: "f1", catalogFingerprint: "f1" }],
      ["invoice", { table: "invoice", schemaFingerprint: "f1" }],
    ]);
    const plan = planPendingCrawls(model, ["invoice", "customer", "customer_address", "gone_table"], pendingStates, "lake-raw");
    assert.deepEqual(plan.drop, ["customer_address", "gone_table"]);
    assert.deepEqual(
      plan.crawls.map((c) => [c.domain, c.targets]),
      [
        ["finance", ["s3://lake-raw/raw/finance/invoice/"]],
        ["sales", ["s3://lake-raw/raw/sales/customer/"]],
      ],
    );
  });
  it("tags columns by their catalog (lower-case) names", () => {
    assert.deepEqual(catalogColumnNames(["AuthorName", "AuthorEmail", "authorname"]), ["authorname", "authoremail"]);
  });
});

describe("coordinator core: metrics and alerts", () => {
  it("writes CloudWatch embedded-metric lines", () => {
    const line = JSON.parse(
      emfLine({ Lake: "l", Tier: "daily" }, [{ name: "TablesLoaded", value: 3, unit: "Count" }], new Date(1000), { runId: "r" }),
    );
    assert.deepEqual(line, {
      _aws: {
        Timestamp: 1000,
        CloudWatchMetrics: [
          { Namespace: "GovernedLake/Coordinator", Dimensions: [["Lake", "Tier"]], Metrics: [{ Name: "TablesLoaded", Unit: "Count" }] },
        ],
      },
      runId: "r",
      Lake: "l",
      Tier: "daily",
      TablesLoaded: 3,
    });
  });
  it("lists every failed table with its reason, within SNS subject limits", () => {
    const alert = buildAlert({
      lakeName: "lake",
      environment: "prod",
      runId: "r1",
      tier: "daily",
      headline: "x".repeat(200),
      failures: [{ table: "invoice", reason: "timeout" }],
    });
    assert.ok(alert.subject.length <= 100);
    assert.match(alert.message, / {2}- invoice: timeout/);
  });
});
