/**
 * lake status against moto: the state items are written the way the real coordinator (leases, in
 * process against moto) and the job (STATE.md commit and failure writes) write them, for the
 * repository's tables.yaml; the command reads them back through --state-table and through
 * --stack (the coordinator Lambda's configuration in moto names the state table).
 */
import assert from "node:assert/strict";
import { loadTablesYaml, parseCron } from "../../model";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { lastFireAtOrBefore } from "../../cli/status/freshness";
import type { StatusReport, TableStatus } from "../../cli/status/report";
import { motoUrl, resetMoto } from "../coordinator/support/moto";
import { createLake, enabledTables, job, scheduleEvent, STATE_TABLE, type TestLake } from "../coordinator/support/lake";
import { createCoordinatorFunction } from "./support/stateLake";
import { lake as cli } from "./support/run";

function started(report: unknown): Extract<StartRunReport, { outcome: "started" }> {
  const r = report as StartRunReport;
  assert.equal(r.outcome, "started", JSON.stringify(r));
  return r as Extract<StartRunReport, { outcome: "started" }>;
}

describe("lake status (moto)", function () {
  this.timeout(120_000);
  let lake: TestLake;
  let dailyRun: string;
  let quarterRun: string;
  const local = (): string[] => [
    "--state-table",
    STATE_TABLE,
    "--endpoint",
    motoUrl(),
    "--region",
    "eu-central-1",
    "--time-zone",
    "Europe/Berlin",
    "--file",
    lake.tablesFile,
  ];

  async function status(at: string, extra: string[] = local()): Promise<{ code: number; report: StatusReport; err: string }> {
    const result = await cli(["status", ...extra, "--at", at, "--format", "json"]);
    return { code: result.code, report: JSON.parse(result.out || "{}") as StatusReport, err: result.err };
  }
  const row = (report: StatusReport, table: string): TableStatus => {
    const found = report.tables.find((t) => t.table === table);
    assert.ok(found, `no row for ${table}`);
    return found;
  };

  before(async () => {
    await resetMoto();
    // Tuesday 2024-05-07 01:30 Berlin: the daily run leases every enabled table.
    lake = await createLake();
    const coordinator = lake.coordinator();
    dailyRun = started(await coordinator.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z"))).runId;
    lake.clock.advance(15 * 60);
    for (const table of enabledTables(lake.tablesFile)) {
      if (table === "invoice") await job.fail(lake, table, dailyRun, "SourceTableMissing: source table erp.invoice does not exist");
      else if (table !== "customer") await job.commit(lake, table, dailyRun, { fingerprint: "f1", rows: 42 });
    }
  });

  it("at 03:00 Berlin: daily tables fresh, the failed table failing, the leased one never loaded with its lease; exit 1", async () => {
    const { code, report } = await status("2024-05-07T01:00:00Z");
    assert.equal(code, 1);
    const invoice = row(report, "invoice");
    assert.equal(invoice.health, "failing");
    assert.match(invoice.lastError ?? "", /SourceTableMissing/);
    const customer = row(report, "customer");
    assert.equal(customer.health, "never-loaded");
    assert.deepEqual(customer.lease, { runId: dailyRun, tier: "daily", expiresAt: customer.lease?.expiresAt, expired: false });
    const address = row(report, "customer_address");
    assert.equal(address.health, "fresh");
    assert.equal(address.lastLoadedAt, "2024-05-06T23:45:00.000Z");
    assert.equal(address.lagSeconds, 75 * 60);
    assert.equal(address.dueAt, "2024-05-06T23:30:00.000Z");
    assert.equal(address.rowsRead, 42);
    assert.deepEqual(address.watermark, { kind: "timestamp", value: "2024-05-06T23:00:00.000000Z" });
    assert.equal(row(report, "applicant").health, "disabled");
    const model = loadTablesYaml(lake.tablesFile);
    const enabledIn = (tier: string): number => model.tables.filter((t) => t.enabled && t.tier === tier).length;
    const summary = Object.fromEntries(report.tiers.map((t) => [t.tier, [t.tables, t.fresh, t.stale, t.failing, t.neverLoaded, t.leased]]));
    assert.deepEqual(summary, {
      daily: [enabledIn("daily"), enabledIn("daily"), 0, 0, 0, 0],
      every_15_min: [enabledIn("every_15_min"), enabledIn("every_15_min") - 2, 0, 1, 1, 1],
    });
    assert.equal(report.needsAttention, 2);
  });

  it("at 10:50 Berlin on a Tuesday: the 15-minute tables are stale (due by the 10:15 run), daily tables are not", async () => {
    // 10:00 Berlin: a 15-minute run takes over customer (the daily run's lease expired at 03:30) and loads sales_order.
    lake.clock.current = new Date("2024-05-07T08:00:00Z");
    const quarter = started(await lake.coordinator().handle(scheduleEvent("every_15_min", "2024-05-07T08:00:00Z")));
    quarterRun = quarter.runId;
    assert.ok(quarter.leased.includes("customer"));
    lake.clock.advance(5 * 60);
    await job.commit(lake, "sales_order", quarterRun, { fingerprint: "f1", rows: 7, watermark: "2024-05-07T07:59:00.000000Z" });

    const { code, report } = await status("2024-05-07T08:50:00Z");
    assert.equal(code, 1);
    const order = row(report, "sales_order");
    assert.equal(order.health, "stale");
    assert.equal(order.dueAt, "2024-05-07T08:15:00.000Z");
    assert.equal(order.dueTier, "every_15_min");
    assert.equal(order.lagSeconds, 45 * 60);
    assert.equal(order.lastRunId, quarterRun);
    assert.equal(row(report, "stock_level").health, "stale");
    assert.deepEqual(row(report, "customer").lease, {
      runId: quarterRun,
      tier: "every_15_min",
      expiresAt: "2024-05-07T10:00:00.000Z",
      expired: false,
    });
    assert.equal(row(report, "customer_contact").health, "fresh");
    const summary = report.tiers.find((t) => t.tier === "every_15_min");
    assert.equal(summary?.oldestLoadAt, "2024-05-06T23:45:00.000Z");
    // With a grace longer than the gap, the 10:00 run counts: sales_order is fresh.
    const lenient = await status("2024-05-07T08:50:00Z", [...local(), "--grace", "40"]);
    assert.equal(row(lenient.report, "sales_order").health, "fresh");
  });

  it("after the lease expires, the lease is shown expired; text output lists every table and the tier summary", async () => {
    const result = await cli(["status", ...local(), "--at", "2024-05-08T12:00:00Z"]);
    assert.equal(result.code, 1, result.err);
    assert.match(result.out, new RegExp(`^customer +every_15_min +never-loaded +- .*${quarterRun} \\(every_15_min\\) expired`, "m"));
    assert.match(result.out, /^invoice +every_15_min +failing +FAILED .*SourceTableMissing/m);
    assert.match(result.out, /^tier every_15_min: \d+ table\(s\): 0 fresh, \d+ stale, 1 failing, 1 never loaded/m);
  });

  it("--stack finds the state table through the coordinator Lambda's configuration (Pulumi.dev.yaml: acme-dev-coordinator)", async () => {
    await createCoordinatorFunction("acme-dev-coordinator");
    const viaStack = await status("2024-05-07T01:00:00Z", ["--stack", "dev", "--endpoint", motoUrl(), "--file", lake.tablesFile]);
    const viaTable = await status("2024-05-07T01:00:00Z");
    assert.equal(viaStack.code, 1, viaStack.err);
    assert.deepEqual(viaStack.report.tables, viaTable.report.tables);
    const missing = await cli(["status", "--stack", "prod", "--endpoint", motoUrl(), "--file", lake.tablesFile]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read the coordinator function acme-prod-coordinator/);
  });

  it("finds the last fire of a workday schedule in its time zone (weekends fall back to Friday evening)", () => {
    const cron = parseCron("cron(0/15 6-19 ? * MON-FRI *)");
    const at = (iso: string): string | undefined => lastFireAtOrBefore(cron, "Europe/Berlin", new Date(iso))?.toISOString();
    assert.equal(at("2024-05-07T08:50:00Z"), "2024-05-07T08:45:00.000Z");
    assert.equal(at("2024-05-11T09:00:00Z"), "2024-05-10T17:45:00.000Z"); // Saturday -> Friday 19:45 Berlin (CEST)
    assert.equal(at("2024-01-08T04:59:00Z"), "2024-01-05T18:45:00.000Z"); // Monday before 06:00 CET -> Friday 19:45 CET
  });
});
