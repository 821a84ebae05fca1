/**
 * IngestTier alone, under Pulumi mocks (pulumi.runtime.setMocks), with pretend existing role,
 * connection, code, state table, coordinator, schedule group and dead-letter queue (plain names
 * and ARNs): the job with GLUE_JOB_DEFAULTS or the caller's settings, the schedule with its dead
 * letters, and the schedule role limited to the coordinator and the queue.
 */
import assert from "node:assert/strict";
import { DEFAULT_ICEBERG_CATALOG, GLUE_JOB_DEFAULTS } from "../../components/defaults";
import { IngestTier, type TierJobSettings } from "../../components/ingestTier";
import { ACCOUNT_ID, byName, EXISTING, inventory, only, parseJson, runComponent, SMALL_MODEL, TAGS } from "./support";

const TYPE = "lake:ingest:IngestTier";
const TIER = SMALL_MODEL.tiers[0];
const CODE = "s3://estate-scripts/jobs/abc123";

function build(settings: TierJobSettings, icebergCatalog?: string): IngestTier {
  return new IngestTier("estate-nightly", {
    tags: TAGS,
    tier: TIER,
    timeZone: "Europe/Berlin",
    jobName: "estate-nightly",
    settings,
    roleArn: EXISTING.role("estate-ingest"),
    securityConfigurationName: "estate-glue-security",
    connectionName: "estate-source",
    scriptUri: `${CODE}/ingest_job.py`,
    packageUri: `${CODE}/lake_ingest.zip`,
    driverJarUri: "s3://estate-scripts/jobs/jars/driver.jar",
    warehouseUri: "s3://estate-warehouse/warehouse/",
    tempDirUri: "s3://estate-scripts/temp/",
    icebergCatalog,
    coordinatorFunctionArn: EXISTING.functionArn,
    scheduleGroup: EXISTING.scheduleGroup,
    deadLetterQueueArn: EXISTING.queueArn,
    accountId: ACCOUNT_ID,
  });
}

describe("IngestTier alone (Pulumi mocks)", () => {
  it("creates the job with GLUE_JOB_DEFAULTS, bookmarks off, no retries, the security configuration and the job's arguments", async () => {
    const run = await runComponent(TYPE, () => build({}));
    assert.deepEqual(inventory(run), {
      "aws:glue/job:Job": 1,
      "aws:iam/role:Role": 1,
      "aws:iam/rolePolicy:RolePolicy": 1,
      "aws:scheduler/schedule:Schedule": 1,
    });
    const job = only(run, "aws:glue/job:Job").inputs;
    const d = GLUE_JOB_DEFAULTS;
    assert.equal(job.name, "estate-nightly");
    assert.equal(job.glueVersion, d.glueVersion);
    assert.equal(job.workerType, d.workerType);
    assert.equal(job.numberOfWorkers, d.numberOfWorkers);
    assert.equal(job.timeout, d.timeoutMinutes);
    assert.equal(job.executionClass, "STANDARD");
    assert.deepEqual(job.executionProperty, { maxConcurrentRuns: d.maxConcurrentRuns });
    assert.equal(job.maxRetries, 0);
    assert.equal(job.roleArn, EXISTING.role("estate-ingest"));
    assert.equal(job.securityConfiguration, "estate-glue-security");
    assert.deepEqual(job.connections, ["estate-source"]);
    assert.deepEqual(job.command, { name: "glueetl", pythonVersion: "3", scriptLocation: `${CODE}/ingest_job.py` });
    const args = job.defaultArguments as Record<string, string>;
    assert.equal(args["--job-bookmark-option"], "job-bookmark-disable");
    assert.equal(args["--extra-py-files"], `${CODE}/lake_ingest.zip`);
    assert.equal(args["--extra-jars"], "s3://estate-scripts/jobs/jars/driver.jar");
    // state table, tier and connection reach the job through the run manifest only
    for (const gone of ["--state_table", "--tier", "--connection_name"]) assert.ok(!(gone in args), gone);
    assert.equal(args["--maintenance"], "true", "the tier that syncs every table runs maintenance");
    assert.ok(args["--conf"].includes(`spark.sql.catalog.${DEFAULT_ICEBERG_CATALOG}.warehouse=s3://estate-warehouse/warehouse/`));
    for (const unset of ["--table_concurrency", "--snapshot_retention_hours", "--merge_mode"]) assert.ok(!(unset in args), unset);
    assert.deepEqual(job.tags, { ...TAGS, tier: "nightly" });
    assert.deepEqual(run.outputs, { jobName: "estate-nightly", scheduleName: "estate-nightly-schedule-x1" });
  });

  it("takes the caller's settings and catalog name, and refuses fewer than two workers", async () => {
    const run = await runComponent(TYPE, () =>
      build(
        {
          glueVersion: "5.0",
          workerType: "G.2X",
          numberOfWorkers: 6,
          timeoutMinutes: 120,
          flex: true,
          maxConcurrentRuns: 1,
          tableConcurrency: 3,
          snapshotRetentionHours: 48,
          mergeMode: "merge-on-read",
        },
        "lake",
      ),
    );
    const job = only(run, "aws:glue/job:Job").inputs;
    assert.deepEqual(
      [job.glueVersion, job.workerType, job.numberOfWorkers, job.timeout, job.executionClass, job.executionProperty],
      ["5.0", "G.2X", 6, 120, "FLEX", { maxConcurrentRuns: 1 }],
    );
    const args = job.defaultArguments as Record<string, string>;
    assert.deepEqual([args["--table_concurrency"], args["--snapshot_retention_hours"], args["--merge_mode"]], ["3", "48", "merge-on-read"]);
    assert.ok(args["--conf"].includes("spark.sql.catalog.lake.warehouse=s3://estate-warehouse/warehouse/"));
    await assert.rejects(
      runComponent(TYPE, () => build({ numberOfWorkers: 1 })),
      /IngestTier estate-nightly: numberOfWorkers must be a whole number >= 2/,
    );
  });

  it("schedules the coordinator in the tier's zone with retries and dead letters; the schedule role may only invoke it and send dead letters", async () => {
    const run = await runComponent(TYPE, () => build({}));
    const schedule = only(run, "aws:scheduler/schedule:Schedule").inputs;
    assert.equal(schedule.groupName, EXISTING.scheduleGroup.name);
    assert.equal(schedule.scheduleExpression, TIER.schedule);
    assert.equal(schedule.scheduleExpressionTimezone, "Europe/Berlin");
    const target = schedule.target as Record<string, unknown>;
    assert.equal(target.arn, EXISTING.functionArn);
    assert.deepEqual(parseJson(target.input), { kind: "schedule", tier: "nightly", scheduledAt: "<aws.scheduler.scheduled-time>" });
    assert.deepEqual(target.retryPolicy, { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 });
    assert.deepEqual(target.deadLetterConfig, { arn: EXISTING.queueArn });
    const role = byName(run, "aws:iam/role:Role").get("estate-nightly-schedule-role");
    assert.deepEqual(parseJson(role?.inputs.assumeRolePolicy), {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT_ID }, ArnLike: { "aws:SourceArn": EXISTING.scheduleGroup.arn } },
        },
      ],
    });
    assert.deepEqual(parseJson(only(run, "aws:iam/rolePolicy:RolePolicy").inputs.policy), {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: EXISTING.functionArn },
        { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: EXISTING.queueArn },
      ],
    });
  });
});
