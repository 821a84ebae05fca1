/**
 * Safety against moto: a failed start returns every lease, a start that may have happened keeps
 * them; malformed events are rejected with a log line and leave no lease; a failed finalize can
 * be retried; tables.yaml changes take effect on the next run. moto answers every request and
 * never throttles, so unanswered and throttled StartJobRun calls are mocked (aws-sdk-client-mock),
 * each test saying so; every other call goes to moto.
 */
import assert from "node:assert/strict";
import { GetJobRunsCommand, StartJobRunCommand, type StartJobRunCommandInput } from "@aws-sdk/client-glue";
import { mockClient } from "aws-sdk-client-mock";
import { CallCounter, createClients } from "../../handlers/coordinator/aws/clients";
import { GlueJobRunner } from "../../handlers/coordinator/aws/jobRunner";
import type { FinalizeReport } from "../../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import type { RunManifest } from "../../handlers/coordinator/core/manifest";
import { holdState, motoUrl, releaseState, resetMoto } from "./support/moto";
import {
  appendTable,
  createLake,
  enabledTables,
  JOBS,
  job,
  jobStateEvent,
  manifestKeys,
  patched,
  readManifest,
  removeTable,
  scanState,
  scheduleEvent,
  tableItems,
  type TestLake,
} from "./support/lake";

async function leasesHeld(lake: TestLake): Promise<string[]> {
  return [...(await tableItems(lake)).entries()].filter(([, item]) => item["leaseRunId"] !== undefined).map(([t]) => t);
}

/** What the SDK throws when a request got no answer (socket timeout): no $fault, nothing known. */
function timeoutError(): Error {
  return Object.assign(new Error("Connection timed out after 30000 ms"), { name: "TimeoutError" });
}

describe("coordinator safety (moto)", function () {
  this.timeout(60_000);
  let lake: TestLake;

  beforeEach(async () => {
    await resetMoto();
    lake = await createLake();
  });

  it("a failed start (the job's concurrent-runs limit, from moto) returns every lease and alerts", async () => {
    // Someone started the daily job by hand; moto keeps it RUNNING, so MaxConcurrentRuns=1 is hit.
    await holdState("glue::job_run");
    await lake.clients.glue.send(new StartJobRunCommand({ JobName: JOBS.daily }));
    const coordinator = lake.coordinator();
    const calls = new CallCounter();
    calls.attach(lake.clients);
    const report = (await coordinator.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z"))) as StartRunReport;
    await releaseState("glue::job_run");
    assert.equal(report.outcome, "start-failed");
    assert.equal(calls.counts.get("GetJobRunsCommand"), undefined, "a 4xx answer to the one attempt is a definite refusal: no look-up");
    const failed = report as Extract<StartRunReport, { outcome: "start-failed" }>;
    assert.match(failed.error, /ConcurrentRunsExceeded/);
    assert.deepEqual([...failed.returned].sort(), enabledTables(lake.tablesFile).sort());
    assert.deepEqual(await leasesHeld(lake), []);
    const run = (await scanState(lake)).find((i) => i["pk"]?.S === `run#${failed.runId}`);
    assert.equal(run?.["status"]?.S, "START_FAILED");
    assert.equal(coordinator.alerts.length, 1);
    assert.match(
      coordinator.alerts[0]?.message ?? "",
      /customer: not loaded: StartJobRun lake-ingest-daily failed: ConcurrentRunsExceeded/,
    );
    // The tables are free for the next run.
    const next = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as StartRunReport;
    assert.equal(next.outcome, "started");
  });

  it("a start throttled after the SDK's retries returns every lease once GetJobRuns shows no run (throttling mocked: moto never throttles)", async () => {
    const glueMock = mockClient(lake.clients.glue);
    glueMock.send.callThrough();
    // As the SDK throws it after its retries: an earlier attempt's answer may have been lost.
    const throttled = Object.assign(new Error("Rate exceeded"), {
      name: "ThrottlingException",
      $fault: "client",
      $metadata: { attempts: 3 },
    });
    glueMock.on(StartJobRunCommand).rejects(throttled);
    try {
      const jobs = new GlueJobRunner(lake.clients.glue, { lookupDelaysMs: [0] });
      const report = (await lake
        .coordinator({ overrides: { jobs } })
        .handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as StartRunReport;
      assert.equal(report.outcome, "start-failed");
      assert.match((report as { error: string }).error, /ThrottlingException: Rate exceeded/);
      assert.equal(glueMock.commandCalls(GetJobRunsCommand).length, 1, "looked up before giving the leases back");
      assert.deepEqual(await leasesHeld(lake), []);
    } finally {
      glueMock.restore();
    }
  });

  it("an unanswered StartJobRun whose job did start keeps its leases and runs (timeout mocked: moto cannot time out)", async () => {
    const glueMock = mockClient(lake.clients.glue);
    glueMock.send.callThrough();
    // The request reaches Glue (moto, through an unmocked client) but its answer is lost.
    const glue = createClients({ endpoint: motoUrl(), region: "eu-central-1" }).glue;
    let startedRunId: string | undefined;
    glueMock.on(StartJobRunCommand).callsFake(async (input: StartJobRunCommandInput) => {
      startedRunId = (await glue.send(new StartJobRunCommand(input))).JobRunId;
      throw timeoutError();
    });
    try {
      const report = (await lake.coordinator().handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as StartRunReport;
      assert.equal(report.outcome, "started", JSON.stringify(report));
      const run = report as Extract<StartRunReport, { outcome: "started" }>;
      assert.equal(run.jobRunId, startedRunId);
      assert.deepEqual((await leasesHeld(lake)).sort(), [...run.leased].sort());
      const item = (await scanState(lake)).find((i) => i["pk"]?.S === `run#${run.runId}`);
      assert.equal(item?.["status"]?.S, "RUNNING");
      assert.equal(item?.["jobRunId"]?.S, startedRunId);
    } finally {
      glueMock.restore();
    }
  });

  it("an unanswered StartJobRun whose job did not start returns every lease after looking (timeout mocked)", async () => {
    const glueMock = mockClient(lake.clients.glue);
    glueMock.send.callThrough();
    glueMock.on(StartJobRunCommand).rejects(timeoutError());
    try {
      const jobs = new GlueJobRunner(lake.clients.glue, { lookupDelaysMs: [0, 0] });
      const report = (await lake
        .coordinator({ overrides: { jobs } })
        .handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as StartRunReport;
      assert.equal(report.outcome, "start-failed");
      assert.match((report as { error: string }).error, /TimeoutError.*no run of lake-ingest-every_15_min carries --run_id/);
      assert.equal(glueMock.commandCalls(GetJobRunsCommand).length, 2);
      assert.deepEqual(await leasesHeld(lake), []);
    } finally {
      glueMock.restore();
    }
  });

  it("an unanswered StartJobRun that cannot be looked up keeps the leases and the run STARTING, and alerts (timeout and GetJobRuns failure mocked)", async () => {
    const glueMock = mockClient(lake.clients.glue);
    glueMock.send.callThrough();
    glueMock.on(StartJobRunCommand).rejects(timeoutError());
    glueMock.on(GetJobRunsCommand).rejects(timeoutError());
    try {
      const coordinator = lake.coordinator();
      const report = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as StartRunReport;
      assert.equal(report.outcome, "start-unconfirmed", JSON.stringify(report));
      const unconfirmed = report as Extract<StartRunReport, { outcome: "start-unconfirmed" }>;
      assert.ok(unconfirmed.kept.length > 0);
      assert.deepEqual((await leasesHeld(lake)).sort(), [...unconfirmed.kept].sort());
      const item = (await scanState(lake)).find((i) => i["pk"]?.S === `run#${unconfirmed.runId}`);
      assert.equal(item?.["status"]?.S, "STARTING", "a job end event can still finalize it");
      assert.match(item?.["lastError"]?.S ?? "", /GetJobRuns failed too/);
      assert.match(coordinator.alerts[0]?.subject ?? "", /.+/);
      assert.match(coordinator.alerts[0]?.message ?? "", /may not be loaded/);
    } finally {
      glueMock.restore();
    }
  });

  it("a finalize that fails gives its claim back, so the retried event finalizes the run", async () => {
    const coordinator = lake.coordinator();
    const run = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as Extract<
      StartRunReport,
      { outcome: "started" }
    >;
    assert.equal(run.outcome, "started");
    for (const table of run.leased) await job.commit(lake, table, run.runId, { fingerprint: `fp-${table}` });
    // DynamoDB fails the finalizer's read once (an outage: the Lambda invocation fails).
    let failures = 1;
    const leases = patched(coordinator.ports.leases, {
      read: (tables) => (failures-- > 0 ? Promise.reject(new Error("InternalServerError")) : coordinator.ports.leases.read(tables)),
    });
    const flaky = lake.coordinator({ overrides: { leases } });
    const event = jobStateEvent(JOBS.every_15_min, run.jobRunId, "SUCCEEDED");
    await assert.rejects(flaky.handle(event), /InternalServerError/);
    const item = (await scanState(lake)).find((i) => i["pk"]?.S === `run#${run.runId}`);
    assert.equal(item?.["status"]?.S, "RUNNING", "claim given back");
    // Lambda's retry of the same event, a minute later.
    lake.clock.advance(60);
    const retried = (await flaky.handle(event)) as FinalizeReport;
    assert.equal(retried.outcome, "finalized", JSON.stringify(retried));
    assert.equal((retried as Extract<FinalizeReport, { outcome: "finalized" }>).counts.loaded, run.leased.length);
  });

  it("a manifest that cannot be written returns every lease", async () => {
    const coordinator = lake.coordinator({ overrides: { manifests: { put: () => Promise.reject(new Error("AccessDenied")) } } });
    const report = (await coordinator.handle(scheduleEvent("every_15_min", "2024-05-07T06:00:00Z"))) as StartRunReport;
    assert.equal(report.outcome, "start-failed");
    assert.deepEqual(await leasesHeld(lake), []);
  });

  const malformed: [string, unknown][] = [
    ["null", null],
    ["a schedule event without a tier", { kind: "schedule", scheduledAt: "2024-05-07T06:00:00Z" }],
    ["a schedule event without a zone in its time", { kind: "schedule", tier: "daily", scheduledAt: "2024-05-07T06:00:00" }],
    ["an unknown tier", { kind: "schedule", tier: "hourly", scheduledAt: "2024-05-07T06:00:00Z" }],
    [
      "a manual event naming a table not in tables.yaml",
      { kind: "manual", tier: "daily", tables: ["customer", "no_such_table"], requestId: "r1" },
    ],
    ["a manual event naming a disabled table", { kind: "manual", tier: "daily", tables: ["applicant"], requestId: "r2" }],
    ["a manual event without a request id", { kind: "manual", tier: "daily", tables: ["customer"] }],
    ["an EventBridge event of another type", { "detail-type": "EC2 Instance State-change Notification", source: "aws.ec2", detail: {} }],
    ["a job state event of another lake's job", jobStateEvent("someone-elses-job", "jr_1", "SUCCEEDED")],
  ];
  for (const [what, event] of malformed) {
    it(`rejects ${what} with a log line and leaves no lease or run`, async () => {
      const coordinator = lake.coordinator();
      const report = await coordinator.handle(event);
      assert.equal(report.outcome, "rejected");
      const line = coordinator.log.lines.find((l) => l.event === "event.rejected");
      assert.ok(
        line && typeof line.fields["reason"] === "string" && line.fields["reason"].length > 10,
        JSON.stringify(coordinator.log.lines),
      );
      assert.deepEqual(await scanState(lake), []);
      assert.deepEqual(await manifestKeys(lake), []);
    });
  }

  it("rejects a job run started without --run_id (outside the coordinator)", async () => {
    const run = await lake.clients.glue.send(new StartJobRunCommand({ JobName: JOBS.daily }));
    const coordinator = lake.coordinator();
    const report = await coordinator.handle(jobStateEvent(JOBS.daily, run.JobRunId as string, "FAILED"));
    assert.equal(report.outcome, "rejected");
    assert.match((report as { reason: string }).reason, /--run_id/);
  });

  it("a new table in tables.yaml is scheduled on the next run with no other change; a removed one is not, and keeps its state", async () => {
    const before = lake.coordinator();
    const first = (await before.handle(scheduleEvent("daily", "2024-05-06T23:30:00Z"))) as Extract<StartRunReport, { outcome: "started" }>;
    assert.equal(first.outcome, "started");
    assert.ok(!first.leased.includes("loyalty_card"));
    assert.ok(first.leased.includes("time_clock_event"));
    await job.commit(lake, "time_clock_event", first.runId, { fingerprint: "f-tce", watermark: "991" });
    for (const t of first.leased.filter((t) => t !== "time_clock_event")) await job.fail(lake, t, first.runId, "not part of this test");

    appendTable(
      lake.tablesFile,
      `  - name: loyalty_card
    domain: sales
    tier: daily
    strategy: snapshot
    primaryKey: [card_id]
    description: Loyalty cards, onboarded by a pull request.`,
    );
    removeTable(lake.tablesFile, "time_clock_event");
    lake.clock.advance(24 * 3600);
    const after = lake.coordinator(); // a new deployment ships the edited tables.yaml
    const second = (await after.handle(scheduleEvent("daily", "2024-05-07T23:30:00Z"))) as Extract<StartRunReport, { outcome: "started" }>;
    assert.equal(second.outcome, "started");
    assert.ok(second.leased.includes("loyalty_card"));
    assert.ok(!second.leased.includes("time_clock_event"));
    const manifest = (await readManifest(lake, second.manifestUri)) as RunManifest;
    assert.deepEqual(
      manifest.tables.find((t) => t.name === "loyalty_card"),
      {
        name: "loyalty_card",
        domain: "sales",
        sourceName: "loyalty_card",
        quotedSourceName: "`erp`.`loyalty_card`",
        strategy: "snapshot",
        primaryKey: ["card_id"],
        pii: [],
        rawPath: "s3://lake-raw/raw/sales/loyalty_card/",
        rawDatabase: "lake_sales_raw",
        targetDatabase: "lake_sales",
        targetTable: "loyalty_card",
        watermark: null,
        catalog: { description: "Loyalty cards, onboarded by a pull request.", owner: "sales-data@example.com", tier: "daily" },
      },
    );
    const removed = (await tableItems(lake)).get("time_clock_event");
    assert.equal(removed?.["watermark"]?.S, "991", "a removed table keeps its state");
    assert.equal(removed?.["lastRunId"]?.S, first.runId);
    assert.equal(removed?.["leaseRunId"], undefined);
  });
});
