/**
 * Leasing against moto (DynamoDB, S3, Glue job runs): overlapping tiers, crashed runs and start
 * attempts, duplicate schedule events. Every table is loaded by at most one run at a time.
 */
import assert from "node:assert/strict";
import { GetJobRunsCommand } from "@aws-sdk/client-glue";
import { GlueJobRunner } from "../../handlers/coordinator/aws/jobRunner";
import type { FinalizeReport } from "../../handlers/coordinator/flows/finalizeRun";
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
  killed,
  manifestKeys,
  patched,
  readManifest,
  scanState,
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
    assert.ok(late.outcome === "finalized", JSON.stringify(late));
    assert.deepEqual(late.released, []);
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

  /** Glue job runs of the 15-minute job, as moto lists them. */
  async function jobRuns(): Promise<{ id: string | undefined; runId: string | undefined }[]> {
    const res = await lake.clients.glue.send(new GetJobRunsCommand({ JobName: JOBS.every_15_min }));
    return (res.JobRuns ?? []).map((r) => ({ id: r.Id, runId: r.Arguments?.["--run_id"] }));
  }

  it("a start attempt killed after its claim is resumed by the redelivered event: one run, one job run", async () => {
    const event = scheduleEvent("every_15_min", "2024-05-07T06:00:00Z");
    let reached!: () => void;
    const atLease = new Promise<void>((resolve) => (reached = resolve));
    const real = lake.coordinator().ports.leases;
    // The Lambda is killed while leasing: nothing after the claim transaction happens.
    const dying = lake.coordinator({ overrides: { leases: patched(real, { lease: () => (reached(), killed()) }) } });
    void dying.handle(event);
    await atLease;
    const claimed = (await scanState(lake)).find((i) => i["pk"]?.S?.startsWith("run#"));
    assert.equal(claimed?.["status"]?.S, "STARTING", "the claim and the run record are written together");

    // A duplicate delivered while the attempt could still be alive does not take it over.
    const retry = lake.coordinator();
    assert.deepEqual(await retry.handle(event), { outcome: "duplicate", runId: claimed?.["runId"]?.S });
    // Lambda's retry of the failed invocation, past the stale window, resumes the same run.
    lake.clock.advance(61);
    const resumed = started(await retry.handle(event));
    assert.equal(resumed.runId, claimed?.["runId"]?.S);
    assert.ok(retry.log.lines.some((l) => l.event === "run.resumed"));
    assert.deepEqual(await jobRuns(), [{ id: resumed.jobRunId, runId: resumed.runId }]);
    assert.deepEqual(await retry.handle(event), { outcome: "duplicate", runId: resumed.runId }, "and then it is a duplicate");
    const items = await tableItems(lake);
    for (const table of resumed.leased) assert.equal(items.get(table)?.["leaseRunId"]?.S, resumed.runId, table);
    assert.equal((await manifestKeys(lake)).length, 1);
  });

  it("a start attempt killed after StartJobRun: the redelivered event adopts that job run instead of starting another", async () => {
    const event = scheduleEvent("every_15_min", "2024-05-07T06:00:00Z");
    const glueJobs = new GlueJobRunner(lake.clients.glue);
    let onStarted!: (jobRunId: string) => void;
    const startedJob = new Promise<string>((resolve) => (onStarted = resolve));
    // The job run starts; the Lambda is killed before it records it.
    const jobs = patched(glueJobs, {
      start: async (name, args) => {
        const result = await glueJobs.start(name, args);
        if (result.ok) onStarted(result.jobRunId);
        return killed();
      },
    });
    void lake.coordinator({ overrides: { jobs } }).handle(event);
    const jobRunId = await startedJob;
    lake.clock.advance(61);
    const retry = lake.coordinator();
    const resumed = started(await retry.handle(event));
    assert.equal(resumed.jobRunId, jobRunId);
    assert.ok(retry.log.lines.some((l) => l.event === "run.job_adopted"));
    assert.deepEqual(await jobRuns(), [{ id: jobRunId, runId: resumed.runId }], "one job run");
  });

  it("a late job-end event still reports the table its run failed after another run leased it (failedRunId)", async () => {
    const coordinator = lake.coordinator();
    const first = started(await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z")));
    await job.fail(lake, "customer", first.runId, "Unknown column 'segment' in 'field list'");
    // The next run takes the free table before the first run's end event arrives.
    lake.clock.advance(900);
    const second = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:15:00Z"))) as StartRunReport;
    assert.ok(second.outcome === "started" && second.leased.includes("customer"), JSON.stringify(second));
    const late = (await coordinator.handle(jobStateEvent(JOBS.every_15_min, first.jobRunId, "FAILED", "executor lost"))) as FinalizeReport;
    assert.ok(late.outcome === "finalized", JSON.stringify(late));
    assert.deepEqual(
      late.failed.find((f) => f.table === "customer"),
      { table: "customer", reason: "Unknown column 'segment' in 'field list'" },
      "the failure is the first run's, not superseded",
    );
    assert.equal(late.counts.superseded, 0);
    assert.equal((await tableItems(lake)).get("customer")?.["leaseRunId"]?.S, second.runId, "the second run's lease is untouched");
  });
});
