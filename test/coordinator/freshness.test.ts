/**
 * Freshness metrics from finalize (moto): after a run, each table of the run reports the seconds
 * since its last successful load, and the run's tier its oldest, read from the state the job
 * committed. A table that failed keeps its older load time, so its lag grows.
 */
import assert from "node:assert/strict";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { resetMoto } from "./support/moto";
import { createLake, job, jobStateEvent, JOBS, scheduleEvent, type TestLake } from "./support/lake";

type Emf = Record<string, unknown> & { _aws: { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };

describe("coordinator freshness metrics (moto)", function () {
  this.timeout(60_000);
  let lake: TestLake;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
  });

  async function dailyRun(failing: readonly string[]): Promise<{ runId: string; metrics: Emf[] }> {
    const coordinator = lake.coordinator();
    const run = (await coordinator.handle(scheduleEvent("daily", lake.clock.now().toISOString()))) as Extract<
      StartRunReport,
      { outcome: "started" }
    >;
    assert.equal(run.outcome, "started");
    lake.clock.advance(15 * 60);
    for (const t of run.leased) {
      if (failing.includes(t)) await job.fail(lake, t, run.runId, "boom");
      else await job.commit(lake, t, run.runId, { fingerprint: "f1" });
    }
    lake.clock.advance(10 * 60);
    await coordinator.handle(jobStateEvent(JOBS.daily, run.jobRunId, failing.length > 0 ? "FAILED" : "SUCCEEDED"));
    return { runId: run.runId, metrics: coordinator.log.metrics.map((m) => JSON.parse(m) as Emf) };
  }

  it("reports per table the seconds since its last load and per tier the oldest; a failing table's lag grows", async () => {
    const first = await dailyRun([]);
    const lags = first.metrics.filter((m) => "TableLagSeconds" in m);
    assert.ok(lags.length > 40, `one lag per table, got ${lags.length}`);
    assert.ok(lags.every((m) => m["TableLagSeconds"] === 600));
    assert.deepEqual(lags[0]._aws.CloudWatchMetrics[0].Dimensions, [["Lake", "Environment", "Table"]]);
    // The run's own metric line stays the last one (other tests read it with .at(-1)).
    assert.ok("TablesLoaded" in (first.metrics.at(-1) as Emf));

    lake.clock.advance(24 * 3600 - 25 * 60);
    const second = await dailyRun(["invoice"]);
    const byTable = new Map(second.metrics.filter((m) => "TableLagSeconds" in m).map((m) => [m["Table"], m["TableLagSeconds"]]));
    assert.equal(byTable.get("invoice"), 24 * 3600 + 600);
    assert.equal(byTable.get("customer"), 600);
    const oldest = second.metrics.find((m) => "OldestLoadAgeSeconds" in m);
    assert.equal(oldest?.["OldestLoadAgeSeconds"], 24 * 3600 + 600);
    assert.equal(oldest?.["Tier"], "daily");
    assert.equal(oldest?.["runId"], second.runId);
  });
});
