/**
 * Leasing against moto (DynamoDB, S3, Glue job runs): overlapping tiers, crashed runs, duplicate
 * schedule events. Every table is loaded by at most one run at a time.
 */
import assert from "node:assert/strict";
import { GetJobRunsCommand } from "@aws-sdk/client-glue";
import { manifestProblems } from "../../handlers/coordinator/core/manifestSchema";
import type { RunManifest } from "../../handlers/coordinator/core/manifest";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { mockUpdateCrawler } from "./support/glueMock";
import { resetMoto } from "./support/moto";
import {
  createLake,
  enabledTables,
  JOBS,
  job,
  jobStateEvent,
  manifestKeys,
  readManifest,
  scheduleEvent,
  tableItems,
  type TestLake,
} from "./support/lake";

function started(report: unknown): Extract<StartRunReport, { outcome: "started" }> {
  const r = report as StartRunReport;
  assert.equal(r.outcome, "started", `expected a started run, got ${JSON.stringify(r)}`);
  return r as Extract<StartRunReport, { outcome: "started" }>;
}

describe("coordinator leasing (moto)", function () {
  this.timeout(60_000);
  let lake: TestLake;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
  });

  for (const writeMode of ["transact", "single"] as const) {
    it(`overlapping daily and 15-minute runs fired at the same moment lease each table exactly once (${writeMode} writes)`, async () => {
      const daily = lake.coordinator({ writeMode });
      const quarter = lake.coordinator({ writeMode });
      const [a, b] = await Promise.all([
        daily.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z")),
        quarter.handle(scheduleEvent("every_15_min", "2024-05-06T23:30:00Z")),
      ]);
      const runs = [a, b].map((r) => r as StartRunReport & { runId: string });
      const leasedBy = new Map<string, string>();
      for (const run of runs) {
        if (run.outcome !== "started" && run.outcome !== "nothing-leased") assert.fail(`unexpected ${JSON.stringify(run)}`);
        const leased = run.outcome === "started" ? run.leased : [];
        for (const table of leased) {
          assert.ok(!leasedBy.has(table), `${table} leased by ${leasedBy.get(table)} and ${run.runId}`);
          leasedBy.set(table, run.runId);
        }
      }
      const all = enabledTables(lake.tablesFile);
      assert.deepEqual([...leasedBy.keys()].sort(), [...all].sort(), "every enabled table is leased by one of the runs");
      // Every table the 15-minute run skipped is held by the daily run, and vice versa.
      for (const run of runs) {
        for (const busy of run.outcome === "started" || run.outcome === "nothing-leased" ? run.busy : []) {
          assert.notEqual(busy.holderRunId, run.runId);
          assert.equal(leasedBy.get(busy.table), busy.holderRunId, `${busy.table} reported busy with the right holder`);
        }
      }
      // The state table and the manifests agree with the reports.
      const items = await tableItems(lake);
      for (const [table, runId] of leasedBy) assert.equal(items.get(table)?.["leaseRunId"]?.S, runId, table);
      const manifests = await Promise.all(
        runs.filter((r) => r.outcome === "started").map((r) => readManifest(lake, (r as { manifestUri: string }).manifestUri)),
      );
      const inManifests = manifests.flatMap((m) => (m as RunManifest).tables.map((t) => t.name));
      assert.equal(new Set(inManifests).size, inManifests.length, "no table in two manifests");
      assert.deepEqual([...inManifests].sort(), [...all].sort());
      for (const m of manifests) assert.deepEqual(manifestProblems(m), []);
    });
  }

  it("a crashed run's leases block other runs until they expire, then are taken over", async () => {
    const coordinator = lake.coordinator();
    const crashed = started(await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z")));
    // The crashed run never finalizes. 15 minutes later its tables are still leased: skipped.
    lake.clock.advance(15 * 60);
    const blocked = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:15:00Z"))) as StartRunReport;
    assert.equal(blocked.outcome, "nothing-leased");
    assert.deepEqual(
      (blocked as Extract<StartRunReport, { outcome: "nothing-leased" }>).busy.map((b) => [b.table, b.holderRunId]).sort(),
      crashed.leased.map((t) => [t, crashed.runId]).sort(),
    );
    // Past the lease (7200 s from the crashed run's start), the next run takes every table over.
    lake.clock.advance(7200 - 15 * 60 + 1);
    const takeover = started(await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T08:00:00Z")));
    assert.deepEqual([...takeover.leased].sort(), [...crashed.leased].sort());
    // The zombie job of the crashed run can no longer commit: its conditional write is refused.
    await assert.rejects(job.commit(lake, crashed.leased[0] as string, crashed.runId, { fingerprint: "f1" }), {
      name: "ConditionalCheckFailedException",
    });
    // A late end event of the crashed run does not touch the leases the new run holds.
    const late = await coordinator.handle(jobStateEvent(JOBS.every_15_min, crashed.jobRunId, "FAILED", "lost executor"));
    assert.equal((late as { outcome: string }).outcome, "finalized");
    assert.deepEqual((late as unknown as { released: string[] }).released, []);
    const items = await tableItems(lake);
    for (const table of takeover.leased) assert.equal(items.get(table)?.["leaseRunId"]?.S, takeover.runId, table);
  });

  it("a duplicate schedule event gives one run (sequential and concurrent deliveries)", async () => {
    const one = lake.coordinator();
    const two = lake.coordinator();
    const event = scheduleEvent("every_15_min", "2024-05-07T06:00:00Z");
    const [first, second] = await Promise.all([one.handle(event), two.handle(event)]);
    const third = await one.handle({ ...event });
    const reports = [first, second, third].map((r) => r as StartRunReport);
    const startedRuns = reports.filter((r) => r.outcome === "started");
    assert.equal(startedRuns.length, 1, JSON.stringify(reports));
    const runId = (startedRuns[0] as { runId: string }).runId;
    for (const r of reports.filter((x) => x.outcome !== "started")) assert.deepEqual(r, { outcome: "duplicate", runId });
    assert.equal((await manifestKeys(lake)).length, 1);
    const runsOfJob = await lake.clients.glue.send(new GetJobRunsCommand({ JobName: JOBS.every_15_min }));
    assert.equal(runsOfJob.JobRuns?.length, 1);
    assert.equal(runsOfJob.JobRuns?.[0]?.Arguments?.["--run_id"], runId);
  });

  it("a scheduled run's manifest validates against the shared JSON Schema and carries the leased watermarks", async () => {
    const updateCrawler = mockUpdateCrawler(lake.clients.glue); // finalize crawls customer's new schema
    const coordinator = lake.coordinator();
    const first = started(await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z")));
    await job.commit(lake, "customer", first.runId, { fingerprint: "f1", watermark: "2024-05-07T05:59:59.123456Z" });
    await coordinator.handle(jobStateEvent(JOBS.every_15_min, first.jobRunId, "SUCCEEDED"));
    lake.clock.advance(900);
    const second = started(await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:15:00Z")));
    const manifest = (await readManifest(lake, second.manifestUri)) as RunManifest;
    assert.deepEqual(manifestProblems(manifest), []);
    assert.equal(manifest.runId, second.runId);
    const customer = manifest.tables.find((t) => t.name === "customer");
    assert.deepEqual(customer?.watermark, { kind: "timestamp", value: "2024-05-07T05:59:59.123456Z" });
    assert.equal(customer?.quotedSourceName, "`erp`.`customer`");
    assert.equal(manifest.tables.find((t) => t.name === "customer_address")?.watermark, null);
    updateCrawler.restore();
  });
});
