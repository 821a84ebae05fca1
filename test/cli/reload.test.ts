/**
 * lake reload / lake backfill against moto with the real coordinator. moto cannot run Lambda code
 * (no Docker here), so the coordinator Lambda is served in process (support/lambdaServer.ts): the
 * CLI invokes it through the real Lambda SDK client, and the real coordinator (createCoordinator,
 * the module the Lambda runs) leases, writes the manifest to moto's S3 and starts moto's Glue job.
 * The job's state writes are the STATE.md commits of test/coordinator/support.
 */
import assert from "node:assert/strict";
import { GetItemCommand } from "@aws-sdk/client-dynamodb";
import type { RunManifest } from "../../handlers/coordinator/core/manifest";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { motoUrl, resetMoto } from "../coordinator/support/moto";
import { createLake, FakeClock, job, readManifest, scheduleEvent, STATE_TABLE, type TestLake } from "../coordinator/support/lake";
import { resetWatermark } from "../../cli/status/stateWrites";
import { serveCoordinator, type LambdaServer } from "./support/lambdaServer";
import { lake as cli } from "./support/run";

const FUNCTION = "lake-test-coordinator";

interface ReloadJson {
  readonly sent: boolean;
  readonly refused?: string[];
  readonly event: { tables: string[]; reload: boolean; tier: string; requestId: string };
  readonly report?: StartRunReport;
  readonly messages: string[];
}

describe("lake reload and backfill (moto, the real coordinator served in process)", function () {
  this.timeout(120_000);
  let lake: TestLake;
  let server: LambdaServer;

  const target = (): string[] => [
    "--state-table",
    STATE_TABLE,
    "--endpoint",
    motoUrl(),
    "--region",
    "eu-central-1",
    "--function",
    FUNCTION,
    "--lambda-endpoint",
    server.url,
    "--file",
    lake.tablesFile,
  ];
  async function reload(args: string[]): Promise<{ code: number; json: ReloadJson; err: string }> {
    const result = await cli([...args, ...target(), "--format", "json"]);
    return { code: result.code, json: (result.out ? JSON.parse(result.out) : {}) as ReloadJson, err: result.err };
  }
  async function item(table: string): Promise<Record<string, { S?: string; N?: string }> | undefined> {
    const res = await lake.clients.dynamodb.send(
      new GetItemCommand({ TableName: STATE_TABLE, Key: { pk: { S: `table#${table}` } }, ConsistentRead: true }),
    );
    return res.Item as Record<string, { S?: string; N?: string }> | undefined;
  }
  /** A scheduled 15-minute run that leases customer and commits it (watermark W1), leaving its run finished. */
  async function loadedOnce(): Promise<void> {
    const run = (await lake.coordinator().handle(scheduleEvent("every_15_min", lake.clock.now().toISOString()))) as Extract<
      StartRunReport,
      { outcome: "started" }
    >;
    assert.equal(run.outcome, "started");
    for (const t of run.leased) await job.commit(lake, t, run.runId, { fingerprint: "f1", watermark: "2024-05-07T07:00:00.000000Z" });
  }

  beforeEach(async () => {
    await resetMoto();
    // The coordinator's clock is the real time: the CLI checks leases against it.
    lake = await createLake(new FakeClock(new Date()));
    server = await serveCoordinator(FUNCTION, () => lake.coordinator());
  });
  afterEach(async () => server.close());

  it("reload sends the manual event; the coordinator starts a run that carries the table's watermark", async () => {
    await loadedOnce();
    const { code, json, err } = await reload(["reload", "customer", "--request-id", "ticket-1"]);
    assert.equal(code, 0, err + JSON.stringify(json));
    assert.deepEqual(
      server.invocations.map((i) => i.payload),
      [{ kind: "manual", tier: "daily", tables: ["customer"], requestId: "ticket-1", reload: false }],
    );
    assert.equal(json.report?.outcome, "started");
    const started = json.report as Extract<StartRunReport, { outcome: "started" }>;
    assert.deepEqual(started.leased, ["customer"]);
    const manifest = (await readManifest(lake, started.manifestUri)) as RunManifest;
    assert.deepEqual(
      manifest.tables.map((t) => [t.name, t.watermark]),
      [["customer", { kind: "timestamp", value: "2024-05-07T07:00:00.000000Z" }]],
    );
    assert.equal((await item("customer"))?.leaseRunId?.S, started.runId);
    // The same request id again: the coordinator's claim makes it a no-op.
    await job.commit(lake, "customer", started.runId, { fingerprint: "f1" });
    const again = await reload(["reload", "customer", "--request-id", "ticket-1"]);
    assert.equal(again.code, 0);
    assert.equal(again.json.report?.outcome, "duplicate");
  });

  it("backfill (--from-scratch) removes the watermark while the table is free and the run loads without one", async () => {
    await loadedOnce();
    const { code, json, err } = await reload(["backfill", "customer", "sales_order", "--tier", "every_15_min"]);
    assert.equal(code, 0, err + JSON.stringify(json));
    assert.equal(json.event.reload, true);
    const started = json.report as Extract<StartRunReport, { outcome: "started" }>;
    const manifest = (await readManifest(lake, started.manifestUri)) as RunManifest;
    assert.deepEqual(
      manifest.tables.map((t) => [t.name, t.watermark]),
      [
        ["customer", null],
        ["sales_order", null],
      ],
    );
    const state = await item("customer");
    assert.equal(state?.watermark, undefined);
    assert.equal(state?.lastResetBy?.S, json.event.requestId);
    assert.equal(manifest.tier, "every_15_min");
  });

  it("refuses a table a live run holds: nothing reset, nothing sent; --wait proceeds once the run commits", async () => {
    const run = (await lake.coordinator().handle(scheduleEvent("every_15_min", lake.clock.now().toISOString()))) as Extract<
      StartRunReport,
      { outcome: "started" }
    >;
    assert.ok(run.leased.includes("customer"));
    await job.commit(lake, "sales_order", run.runId, { fingerprint: "f1", watermark: "2024-05-07T07:00:00.000000Z" });
    const refused = await reload(["reload", "--from-scratch", "customer"]);
    assert.equal(refused.code, 1);
    assert.deepEqual(refused.json.refused, ["customer"]);
    assert.equal(server.invocations.length, 0);
    assert.equal((await item("customer"))?.leaseRunId?.S, run.runId);
    // The reset itself is conditional too (a run may lease the table between the check and the write).
    const raced = await resetWatermark(lake.clients.dynamodb, STATE_TABLE, "customer", "race-1", new Date());
    assert.deepEqual(raced, { reset: false, holderRunId: run.runId });
    assert.equal((await item("customer"))?.lastResetBy, undefined);

    const waiting = reload(["reload", "--from-scratch", "customer", "--wait", "--poll-seconds", "0.2", "--wait-minutes", "1"]);
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(server.invocations.length, 0, "sent while the table was still leased");
    await job.commit(lake, "customer", run.runId, { fingerprint: "f1", watermark: "2024-05-07T07:30:00.000000Z" });
    const done = await waiting;
    assert.equal(done.code, 0, done.err + JSON.stringify(done.json));
    assert.ok(done.json.messages.some((m) => m.startsWith("waiting for customer")));
    assert.equal(server.invocations.length, 1);
    const started = done.json.report as Extract<StartRunReport, { outcome: "started" }>;
    assert.deepEqual(
      ((await readManifest(lake, started.manifestUri)) as RunManifest).tables.map((t) => t.watermark),
      [null],
    );
  });

  it("--dry-run shows state and the event and changes nothing; unknown and disabled tables are usage errors", async () => {
    await loadedOnce();
    const before = await item("customer");
    const result = await cli(["backfill", "customer", "--dry-run", "--request-id", "dry-1", ...target()]);
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /customer: watermark timestamp 2024-05-07T07:00:00.000000Z; free/);
    assert.match(result.out, /would remove the watermark of customer/);
    assert.match(
      result.out,
      /would invoke lake-test-coordinator with \{"kind":"manual","tier":"daily","tables":\["customer"\],"requestId":"dry-1","reload":true\}/,
    );
    assert.equal(server.invocations.length, 0);
    assert.deepEqual(await item("customer"), before);
    const unknown = await cli(["reload", "no_such_table", ...target()]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /tables\.yaml: no table named no_such_table/);
    const disabled = await cli(["reload", "applicant", ...target()]);
    assert.equal(disabled.code, 2);
    assert.match(disabled.err, /applicant are disabled/);
  });
});
