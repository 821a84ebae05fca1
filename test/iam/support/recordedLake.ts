/**
 * A lake in moto under the exact names the synthesized program gives it (the coordinator Lambda's
 * environment, the tier jobs, the crawlers, the catalog databases), and a real coordinator run in
 * it with each actor's requests recorded in its own window:
 *   coordinator: schedule event -> lease -> manifest -> job start; then (after the job) the job
 *                state change -> finalize (leases, crawl targets, PII tags, alert).
 *   job:         the ingest job's own calls for that run (see runJob).
 * moto has no UpdateCrawler; the coordinator's UpdateCrawler calls are answered at the SDK
 * (test/coordinator/support/glueMock.ts) and evaluated from their inputs as the same IAM check.
 */
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateCrawlerCommand, CreateDatabaseCommand, CreateJobCommand } from "@aws-sdk/client-glue";
import { CreateLFTagCommand } from "@aws-sdk/client-lakeformation";
import { CreateBucketCommand, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import * as path from "node:path";
import { createClients, type AwsClients } from "../../../handlers/coordinator/aws/clients";
import { createCoordinator, type Coordinator } from "../../../handlers/coordinator/coordinator";
import type { FinalizeReport } from "../../../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../../../handlers/coordinator/flows/startRun";
import { memoryLog } from "../../../handlers/coordinator/log";
import type { ManifestStore } from "../../../handlers/coordinator/ports";
import { FakeClock, jobStateEvent, scheduleEvent } from "../../coordinator/support/lake";
import { mockUpdateCrawler } from "../../coordinator/support/glueMock";
import { recordWindow, type RecordedRequest } from "./recorder";
import type { AuthorizationCheck } from "./requestActions";
import type { SynthesizedLake } from "./synthesized";

const REPO = path.resolve(__dirname, "../../..");

export interface ActorRecording {
  readonly actor: string;
  readonly roleArn: string;
  readonly requests: RecordedRequest[];
  /** Calls answered before reaching moto (moto lacks the API), as IAM checks. */
  readonly extraCalls: { call: string; checks: AuthorizationCheck[] }[];
}

function env(lake: SynthesizedLake, motoUrl: string): Record<string, string> {
  return { ...lake.coordinator.environment, TABLES_FILE: path.join(REPO, "tables.yaml"), AWS_ENDPOINT_URL: motoUrl };
}

function need(environment: Readonly<Record<string, string>>, name: string): string {
  const v = environment[name];
  if (!v) throw new Error(`the synthesized coordinator Lambda has no ${name} in its environment`);
  return v;
}

/** Creates, in moto, what the program would create under these names (not recorded). */
export async function createSynthesizedLake(lake: SynthesizedLake, clients: AwsClients): Promise<void> {
  const e = lake.coordinator.environment;
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: need(e, "STATE_TABLE"),
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  for (const bucket of [need(e, "MANIFEST_BUCKET"), need(e, "RAW_BUCKET"), need(e, "WAREHOUSE_BUCKET")])
    await clients.s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        CreateBucketConfiguration: { LocationConstraint: lake.region as BucketLocationConstraint },
      }),
    );
  for (const job of lake.jobs)
    await clients.glue.send(
      new CreateJobCommand({
        Name: job.name,
        Role: job.roleArn,
        Command: { Name: "glueetl", ScriptLocation: `s3://${need(e, "MANIFEST_BUCKET")}/jobs/ingest_job.py` },
        DefaultArguments: job.defaultArguments,
        ExecutionProperty: { MaxConcurrentRuns: 2 },
      }),
    );
  for (const db of lake.databases) await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
  for (const c of lake.crawlers)
    await clients.glue.send(
      new CreateCrawlerCommand({
        Name: c.name,
        Role: c.roleArn,
        DatabaseName: c.databaseName,
        Targets: { S3Targets: [{ Path: `s3://${need(e, "RAW_BUCKET")}/raw/` }] },
      }),
    );
  await clients.lakeformation.send(new CreateLFTagCommand({ TagKey: need(e, "PII_TAG_KEY"), TagValues: ["true", "false"] }));
  const topicArn = need(e, "ALERT_TOPIC_ARN");
  await clients.sns.send(new CreateTopicCommand({ Name: topicArn.split(":").pop() as string }));
}

export interface CoordinatorRun {
  readonly coordinator: Coordinator;
  readonly started: Extract<StartRunReport, { outcome: "started" }>;
  readonly jobName: string;
}

/**
 * The recorded coordinator run. `runJob` plays the job between start and finalize (its own
 * window); it returns the job's recording and the end state the Glue event reports.
 */
export async function recordCoordinatorRun(
  lake: SynthesizedLake,
  motoUrl: string,
  options: {
    readonly tier: string;
    readonly scheduledAt: string;
    readonly manifests?: (inner: ManifestStore) => ManifestStore;
    readonly runJob: (run: CoordinatorRun) => Promise<{ state: "SUCCEEDED" | "FAILED"; message: string }>;
  },
): Promise<{ coordinator: ActorRecording; finalize: FinalizeReport; start: StartRunReport }> {
  const clients = createClients({ endpoint: motoUrl, region: lake.region });
  await createSynthesizedLake(lake, clients);
  const updates = mockUpdateCrawler(clients.glue);
  try {
    const clock = new FakeClock(new Date(options.scheduledAt));
    const base = createCoordinator({ env: env(lake, motoUrl), bundleDir: REPO, clients, log: memoryLog(), clock });
    const coordinator = options.manifests
      ? createCoordinator({
          env: env(lake, motoUrl),
          bundleDir: REPO,
          clients,
          log: memoryLog(),
          clock,
          overrides: { manifests: options.manifests(base.ports.manifests) },
        })
      : base;
    const startWindow = await recordWindow(motoUrl, () => coordinator.handle(scheduleEvent(options.tier, options.scheduledAt)));
    const start = startWindow.result as StartRunReport;
    if (start.outcome !== "started") throw new Error(`the coordinator did not start a run: ${JSON.stringify(start)}`);
    const jobName = JSON.parse(need(lake.coordinator.environment, "TIER_JOBS"))[options.tier] as string;
    const end = await options.runJob({ coordinator, started: start, jobName });
    clock.advance(600);
    const finalizeWindow = await recordWindow(motoUrl, () =>
      coordinator.handle(jobStateEvent(jobName, start.jobRunId, end.state, end.message)),
    );
    const finalize = finalizeWindow.result as FinalizeReport;
    const crawlerArn = (name: string): string => `arn:aws:glue:${lake.region}:${lake.accountId}:crawler/${name}`;
    return {
      start,
      finalize,
      coordinator: {
        actor: "coordinator",
        roleArn: lake.coordinator.roleArn,
        requests: [...startWindow.requests, ...finalizeWindow.requests],
        extraCalls: updates.calls().map((u) => ({
          call: "glue UpdateCrawler (answered at the SDK: moto has none)",
          checks: [{ action: "glue:UpdateCrawler", resource: crawlerArn(u.Name ?? "?"), context: { "aws:SecureTransport": "true" } }],
        })),
      },
    };
  } finally {
    updates.restore();
  }
}
