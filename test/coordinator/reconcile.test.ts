/**
 * Reconciliation in the coordinator: which runs plan a reconcile and for which tables (moto:
 * DynamoDB state items, S3 manifests), what a manual event can ask for, and finalize's alert and
 * metrics from the job's result file and the state items. The job's writes (STATE.md commit with
 * lastReconciledAt, and the result file under results/) are made here as the Python job would make them.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { RECONCILE_PERIOD_SECONDS, reconcileDue } from "../../model";
import { parseEvent } from "../../handlers/coordinator/core/events";
import type { ManifestTable, RunManifest } from "../../handlers/coordinator/core/manifest";
import { manifestProblems } from "../../handlers/coordinator/core/manifestSchema";
import type { FinalizeReport } from "../../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { resultKey } from "../../handlers/coordinator/flows/reconcileReport";
import { mockUpdateCrawler, type UpdateCrawlerMock } from "./support/glueMock";
import { resetMoto } from "./support/moto";
import {
  createLake,
  enabledTables,
  JOBS,
  job,
  jobStateEvent,
  MANIFEST_BUCKET,
  readManifest,
  STATE_TABLE,
  scheduleEvent,
  tableItems,
  type TestCoordinator,
  type TestLake,
} from "./support/lake";

type Started = Extract<StartRunReport, { outcome: "started" }>;
type Finalized = Extract<FinalizeReport, { outcome: "finalized" }>;

function started(report: unknown): Started {
  const r = report as StartRunReport;
  assert.equal(r.outcome, "started", `expected a started run, got ${JSON.stringify(r)}`);
  return r as Started;
}

/** Inserts lines right after a table's `- name:` line of the test's tables.yaml copy. */
function setTableFields(file: string, table: string, lines: readonly string[]): void {
  const text = readFileSync(file, "utf8");
  const marker = `  - name: ${table}\n`;
  assert.equal(text.split(marker).length, 2, `${table} appears once in ${file}`);
  writeFileSync(file, text.replace(marker, marker + lines.map((l) => `    ${l}\n`).join("")));
}

interface ReconcileStats {
  readonly mode: "verify" | "repair";
  readonly deleted: number;
  readonly updated: number;
  readonly inserted: number;
  readonly repairAlertRows: number;
}

/** The job's commit of a loaded and reconciled table (STATE.md: one UpdateItem). */
async function commitReconciled(lake: TestLake, table: string, runId: string, repairs: number): Promise<void> {
  await lake.clients.dynamodb.send(
    new UpdateItemCommand({
      TableName: STATE_TABLE,
      Key: { pk: { S: `table#${table}` } },
      UpdateExpression:
        "SET watermark = :w, watermarkKind = :k, schemaFingerprint = :f, lastRunId = :run, lastStatus = :s, lastLoadedAt = :at, " +
        "rowsRead = :r, rowsWritten = :r, durationMs = :d, lastReconciledAt = :at, lastReconcileRepairs = :rep, lastReconcileEqual = :eq " +
        "REMOVE leaseRunId, leaseTier, leaseExpiresAt, lastError",
      ConditionExpression: "leaseRunId = :run",
      ExpressionAttributeValues: {
        ":w": { S: "2024-05-06T23:00:00.000000Z" },
        ":k": { S: "timestamp" },
        ":f": { S: `fp-${table}` },
        ":run": { S: runId },
        ":s": { S: "LOADED" },
        ":at": { S: lake.clock.now().toISOString() },
        ":r": { N: "10" },
        ":d": { N: "1234" },
        ":rep": { N: String(repairs) },
        ":eq": { BOOL: repairs === 0 },
      },
    }),
  );
}

/** The job's result file next to the manifest, with a reconcile object for the given tables. */
async function writeResult(lake: TestLake, run: Started, stats: Readonly<Record<string, ReconcileStats>>): Promise<void> {
  const key = resultKey(run.manifestUri.replace(`s3://${MANIFEST_BUCKET}/`, ""));
  const result = {
    runId: run.runId,
    tier: "daily",
    status: "SUCCEEDED",
    startedAt: "2024-05-06T23:30:05.000000Z",
    finishedAt: "2024-05-06T23:40:00.000000Z",
    tables: run.leased.map((name) => {
      const s = stats[name];
      return {
        name,
        status: "LOADED",
        rowsRead: 10,
        rowsWritten: 10,
        ...(s
          ? {
              reconcile: {
                mode: s.mode,
                equal: s.deleted + s.updated + s.inserted === 0,
                method: "ranges",
                rangesCompared: 64,
                rangesRepaired: 2,
                rowsDeleted: s.deleted,
                rowsUpdated: s.updated,
                rowsInserted: s.inserted,
                sourceRowsScanned: 2000,
                seconds: 1.5,
                repairAlertRows: s.repairAlertRows,
              },
            }
          : {}),
      };
    }),
  };
  await lake.clients.s3.send(new PutObjectCommand({ Bucket: MANIFEST_BUCKET, Key: key, Body: JSON.stringify(result) }));
}

function reconcileOf(manifest: RunManifest): Map<string, ManifestTable["reconcile"]> {
  return new Map(manifest.tables.map((t) => [t.name, t.reconcile]));
}

/** The last finalize's metrics line. */
function finalizeMetrics(coordinator: TestCoordinator): Record<string, unknown> {
  const line = coordinator.log.metrics
    .map((m) => JSON.parse(m) as Record<string, unknown>)
    .filter((m) => "ReconcileTables" in m)
    .pop();
  assert.ok(line, "finalize published its metrics");
  return line;
}

describe("reconcile planning rules (pure)", () => {
  const now = new Date("2024-05-07T23:30:00Z");
  const ago = (seconds: number): string => new Date(now.getTime() - seconds * 1000).toISOString();
  it("is due when never reconciled, or once the period (20 h daily, 6 d 20 h weekly) has passed; never when off", () => {
    assert.equal(reconcileDue("daily", undefined, now), true);
    assert.equal(reconcileDue("daily", ago(RECONCILE_PERIOD_SECONDS.daily - 1), now), false);
    assert.equal(reconcileDue("daily", ago(RECONCILE_PERIOD_SECONDS.daily), now), true);
    assert.equal(reconcileDue("weekly", ago(6 * 86400 + 19 * 3600), now), false);
    assert.equal(reconcileDue("weekly", ago(6 * 86400 + 20 * 3600), now), true);
    assert.equal(reconcileDue("off", undefined, now), false);
    assert.equal(reconcileDue("weekly", "not a time", now), true);
  });
  it("a manual event may ask for a reconcile and skip the load; contradictions are rejected", () => {
    const base = { kind: "manual", tier: "daily", tables: ["customer"], requestId: "verify-1" };
    assert.deepEqual(parseEvent({ ...base, reconcile: "verify", skipLoad: true }), {
      ok: true,
      event: {
        kind: "manual",
        tier: "daily",
        tables: ["customer"],
        requestId: "verify-1",
        reload: false,
        reconcile: "verify",
        skipLoad: true,
      },
    });
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ reconcile: "fix" }, /"reconcile" must be "verify" or "repair" \(got "fix"\)/],
      [{ skipLoad: true }, /"skipLoad" needs "reconcile"/],
      [{ reconcile: "repair", skipLoad: "yes" }, /"skipLoad" must be true or false/],
      [{ reconcile: "repair", skipLoad: true, reload: true }, /contradict/],
    ];
    for (const [extra, reason] of bad) {
      const parsed = parseEvent({ ...base, ...extra });
      assert.equal(parsed.ok, false, JSON.stringify(extra));
      assert.match((parsed as { reason: string }).reason, reason);
    }
  });
});

describe("coordinator reconciles (moto)", function () {
  this.timeout(60_000);
  let lake: TestLake;
  let updates: UpdateCrawlerMock;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
    updates = mockUpdateCrawler(lake.clients.glue);
    setTableFields(lake.tablesFile, "customer", ["reconcile: daily"]);
    setTableFields(lake.tablesFile, "audit_log", ["reconcile: off"]);
    setTableFields(lake.tablesFile, "currency_rate", ["reconcileAlertRows: 5"]);
  });
  afterEach(() => updates.restore());

  /** A whole daily run: start, the job commits every table (reconciled ones with their repairs), finalize. */
  async function dailyRun(coordinator: TestCoordinator, scheduledAt: string): Promise<{ run: Started; manifest: RunManifest }> {
    const run = started(await coordinator.handle(scheduleEvent("daily", scheduledAt)));
    const manifest = (await readManifest(lake, run.manifestUri)) as RunManifest;
    const planned = reconcileOf(manifest);
    for (const table of run.leased) {
      if (planned.get(table) !== undefined) await commitReconciled(lake, table, run.runId, 0);
      else await job.commit(lake, table, run.runId, { fingerprint: `fp-${table}` });
    }
    const fin = (await coordinator.handle(jobStateEvent(JOBS.daily, run.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(fin.outcome, "finalized", JSON.stringify(fin));
    return { run, manifest };
  }

  it("the catch-all tier reconciles every due table (repair, the table's alert threshold), never a table set off", async () => {
    const coordinator = lake.coordinator();
    const first = (await dailyRun(coordinator, "2024-05-06T23:30:00Z")).run;
    assert.deepEqual(first.reconciling, [], "a table's first load reads it whole: nothing to reconcile yet");
    lake.clock.advance(3600);
    const calls: string[] = [];
    lake.clients.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        calls.push(String(context.commandName));
        return next(args);
      },
      { step: "initialize", name: "countCalls" },
    );
    let run: Started;
    try {
      run = started(await coordinator.handle(scheduleEvent("daily", "2024-05-07T00:30:00Z")));
    } finally {
      lake.clients.dynamodb.middlewareStack.remove("countCalls");
    }
    const manifest = (await readManifest(lake, run.manifestUri)) as RunManifest;
    assert.deepEqual(manifestProblems(manifest), []);
    const enabled = enabledTables(lake.tablesFile);
    assert.equal(manifest.tables.length, enabled.length);
    const planned = reconcileOf(manifest);
    assert.equal(planned.get("audit_log"), undefined, "reconcile: off");
    assert.deepEqual(planned.get("customer"), { mode: "repair", skipLoad: false, repairAlertRows: 100 });
    assert.deepEqual(planned.get("currency_rate"), { mode: "repair", skipLoad: false, repairAlertRows: 5 });
    assert.deepEqual(
      [...planned.entries()].filter(([, r]) => r !== undefined).map(([t]) => t),
      enabled.filter((t) => t !== "audit_log"),
    );
    assert.deepEqual([...run.reconciling].sort(), enabled.filter((t) => t !== "audit_log").sort());
    // lastReconciledAt came with the items the lease read anyway: one BatchGetItem per 100 tables, no GetItem.
    assert.equal(calls.filter((c) => c === "GetItemCommand").length, 0, calls.join(","));
    assert.equal(calls.filter((c) => c === "BatchGetItemCommand").length, Math.ceil(enabled.length / 100), calls.join(","));
  });

  it("a 15-minute run never reconciles, even tables that are due", async () => {
    const coordinator = lake.coordinator();
    await dailyRun(coordinator, "2024-05-06T23:30:00Z");
    lake.clock.advance(6 * 3600);
    const run = started(await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z")));
    assert.ok(run.leased.includes("customer"));
    const manifest = (await readManifest(lake, run.manifestUri)) as RunManifest;
    assert.deepEqual(
      manifest.tables.filter((t) => t.reconcile !== undefined).map((t) => t.name),
      [],
    );
    assert.deepEqual(run.reconciling, []);
  });

  for (const writeMode of ["transact", "single"] as const) {
    it(`plans a reconcile again only when the table's period has passed since lastReconciledAt (${writeMode} writes)`, async () => {
      const coordinator = lake.coordinator({ writeMode });
      await dailyRun(coordinator, "2024-05-06T23:30:00Z");
      lake.clock.advance(3600);
      await dailyRun(coordinator, "2024-05-07T00:30:00Z");
      const items = await tableItems(lake);
      assert.equal(items.get("customer")?.["lastReconciledAt"]?.S, "2024-05-07T00:30:00.000Z");
      assert.equal(items.get("currency_rate")?.["lastReconciledAt"]?.S, "2024-05-07T00:30:00.000Z");
      assert.equal(items.get("audit_log")?.["lastReconciledAt"], undefined);

      lake.clock.advance(24 * 3600 - 120); // the next night, two minutes earlier than yesterday
      const second = reconcileOf((await dailyRun(coordinator, "2024-05-08T00:28:00Z")).manifest);
      assert.deepEqual(
        [...second.entries()].filter(([, r]) => r !== undefined).map(([t]) => t),
        ["customer"],
        "only the daily table is due after a day",
      );

      lake.clock.advance(5 * 86400 + 20 * 3600); // 6 d 20 h minus 2 min after the first run
      const early = reconcileOf((await dailyRun(coordinator, "2024-05-13T20:28:00Z")).manifest);
      assert.deepEqual(
        [...early.entries()].filter(([, r]) => r !== undefined).map(([t]) => t),
        ["customer"],
        "the weekly tables were reconciled 6 d 20 h minus 2 min ago: not yet due",
      );

      lake.clock.advance(3 * 3600); // the weekly tables are due now; customer was reconciled 3 h ago
      const week = reconcileOf((await dailyRun(coordinator, "2024-05-13T23:28:00Z")).manifest);
      const due = [...week.entries()].filter(([, r]) => r !== undefined).map(([t]) => t);
      assert.ok(due.includes("currency_rate") && !due.includes("customer") && !due.includes("audit_log"), due.join(","));
      assert.equal(due.length, enabledTables(lake.tablesFile).length - 2);
    });
  }

  it("a manual event asks for verify without a load for exactly its tables, even one set off, on any tier", async () => {
    const coordinator = lake.coordinator();
    await dailyRun(coordinator, "2024-05-06T23:30:00Z");
    lake.clock.advance(3600);
    const run = started(
      await coordinator.handle({
        kind: "manual",
        tier: "every_15_min",
        tables: ["audit_log", "currency_rate"],
        requestId: "lake-verify-1",
        reconcile: "verify",
        skipLoad: true,
      }),
    );
    const manifest = (await readManifest(lake, run.manifestUri)) as RunManifest;
    assert.deepEqual(manifestProblems(manifest), []);
    assert.deepEqual(
      manifest.tables.map((t) => [t.name, t.reconcile, t.watermark?.value]),
      [
        ["audit_log", { mode: "verify", skipLoad: true, repairAlertRows: 100 }, "2024-05-06T23:00:00.000000Z"],
        ["currency_rate", { mode: "verify", skipLoad: true, repairAlertRows: 5 }, "2024-05-06T23:00:00.000000Z"],
      ],
    );
    assert.deepEqual(run.reconciling, ["audit_log", "currency_rate"]);

    const plain = started(
      await coordinator.handle({ kind: "manual", tier: "daily", tables: ["customer"], requestId: "backfill-1", reload: true }),
    );
    const plainManifest = (await readManifest(lake, plain.manifestUri)) as RunManifest;
    assert.equal(plainManifest.tables[0]?.reconcile, undefined, "a manual run without reconcile plans none, due or not");
  });

  it("finalize alerts on the tables whose repairs exceed their threshold, with the job's split, and sends metrics", async () => {
    const coordinator = lake.coordinator();
    await dailyRun(coordinator, "2024-05-05T23:30:00Z");
    lake.clock.advance(3600);
    const run = started(await coordinator.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z")));
    for (const table of run.leased) {
      const repairs = { customer: 150, currency_rate: 5, product: 7 }[table as "customer"] ?? 0;
      if (table === "audit_log") await job.commit(lake, table, run.runId, { fingerprint: "fp" });
      else await commitReconciled(lake, table, run.runId, repairs);
    }
    await writeResult(lake, run, {
      customer: { mode: "repair", deleted: 40, updated: 100, inserted: 10, repairAlertRows: 100 },
      currency_rate: { mode: "repair", deleted: 0, updated: 5, inserted: 0, repairAlertRows: 5 },
      product: { mode: "repair", deleted: 0, updated: 7, inserted: 0, repairAlertRows: 100 },
    });
    const fin = (await coordinator.handle(jobStateEvent(JOBS.daily, run.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(fin.outcome, "finalized", JSON.stringify(fin));
    assert.deepEqual(fin.failed, []);
    assert.equal(coordinator.alerts.length, 1);
    const alert = coordinator.alerts[0] as { subject: string; message: string };
    assert.match(alert.subject, /daily: reconcile repaired too many rows in 1 table\(s\)/);
    const lines = alert.message.split("\n").filter((l) => l.startsWith("  - "));
    assert.deepEqual(lines, [
      "  - customer: reconcile repaired 150 rows (deleted 40, updated 100, inserted 10): its strategy misses changes",
    ]);
    const metrics = finalizeMetrics(coordinator);
    assert.equal(metrics["ReconcileTables"], run.leased.length - 1);
    assert.equal(metrics["ReconcileRepairedRows"], 150 + 5 + 7);
    assert.deepEqual(
      fin.reconciled.filter((r) => r.repaired > 0).map((r) => [r.table, r.repaired, r.counts?.deleted]),
      [
        ["customer", 150, 40],
        ["currency_rate", 5, 0],
        ["product", 7, 0],
      ],
    );
  });

  it("finalize sends no alert when every reconcile stays within its threshold, nor for a verify that found differences", async () => {
    const coordinator = lake.coordinator();
    await dailyRun(coordinator, "2024-05-05T23:30:00Z");
    lake.clock.advance(3600);
    const run = started(await coordinator.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z")));
    for (const table of run.leased) await commitReconciled(lake, table, run.runId, table === "customer" ? 100 : 0);
    await writeResult(lake, run, { customer: { mode: "repair", deleted: 0, updated: 100, inserted: 0, repairAlertRows: 100 } });
    const fin = (await coordinator.handle(jobStateEvent(JOBS.daily, run.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(fin.outcome, "finalized");
    assert.deepEqual(coordinator.alerts, []);
    assert.equal(finalizeMetrics(coordinator)["ReconcileRepairedRows"], 100);

    lake.clock.advance(3600);
    const verify = started(
      await coordinator.handle({
        kind: "manual",
        tier: "daily",
        tables: ["customer"],
        requestId: "verify-2",
        reconcile: "verify",
        skipLoad: true,
      }),
    );
    await commitReconciled(lake, "customer", verify.runId, 0);
    await writeResult(lake, verify, { customer: { mode: "verify", deleted: 0, updated: 900, inserted: 0, repairAlertRows: 100 } });
    const verified = (await coordinator.handle(jobStateEvent(JOBS.daily, verify.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(verified.outcome, "finalized");
    assert.deepEqual(coordinator.alerts, [], "a verify repairs nothing, so it raises no repair alert");
    assert.equal(finalizeMetrics(coordinator)["ReconcileRepairedRows"], 0);
    assert.equal(finalizeMetrics(coordinator)["ReconcileTables"], 1);
    assert.equal(verified.reconciled[0]?.mode, "verify");
  });

  it("without the job's result file, finalize takes the repairs from the state items this run committed", async () => {
    const coordinator = lake.coordinator();
    await dailyRun(coordinator, "2024-05-05T23:30:00Z");
    lake.clock.advance(3600);
    const run = started(await coordinator.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z")));
    for (const table of run.leased) await commitReconciled(lake, table, run.runId, table === "currency_rate" ? 6 : 0);
    const fin = (await coordinator.handle(jobStateEvent(JOBS.daily, run.jobRunId, "SUCCEEDED"))) as Finalized;
    assert.equal(fin.outcome, "finalized");
    assert.equal(coordinator.alerts.length, 1);
    assert.deepEqual(
      (coordinator.alerts[0]?.message ?? "").split("\n").filter((l) => l.startsWith("  - ")),
      ["  - currency_rate: reconcile repaired 6 rows: its strategy misses changes"],
    );
    assert.ok(coordinator.log.lines.some((e) => e.event === "reconcile.result_absent"));
  });
});
