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
import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  CreateJobCommand,
  CreateTableCommand as CreateGlueTableCommand,
} from "@aws-sdk/client-glue";
import { CreateLFTagCommand } from "@aws-sdk/client-lakeformation";
import { CreateBucketCommand, type BucketLocationConstraint } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import * as path from "node:path";
import { createClients, type AwsClients } from "../../../handlers/coordinator/aws/clients";
import { createCoordinator, type Coordinator } from "../../../handlers/coordinator/coordinator";
import type { FinalizeReport } from "../../../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../../../handlers/coordinator/flows/startRun";
import { memoryLog } from "../../../handlers/coordinator/log";
import type { LakeRoots } from "../../../handlers/coordinator/core/manifest";
import { COORDINATOR_ENV } from "../../../handlers/contracts/coordinatorEnv";
import { mockUpdateCrawler } from "../../coordinator/support/glueMock";
import { crawlerStateEvent, jobStateEvent, scheduleEvent, SettableClock } from "./events";
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

export interface RunPlan {
  readonly tier: string;
  readonly scheduledAt: string;
  /** Plays the job between start and finalize; returns the end state the Glue event reports. */
  readonly runJob: (run: CoordinatorRun) => Promise<{ state: "SUCCEEDED" | "FAILED"; message: string }>;
  /** Deliver "Glue Crawler State Change: Succeeded" for every crawler the finalize started. */
  readonly crawlsSucceed?: boolean;
}

export interface RunOutcome {
  readonly start: StartRunReport;
  readonly finalize: FinalizeReport;
}

/** The recorded coordinator runs, one after the other, in one lake; every window is the coordinator's. */
export async function recordCoordinatorRuns(
  lake: SynthesizedLake,
  motoUrl: string,
  plans: readonly RunPlan[],
  /** The lake roots run manifests address (local folders for a job run by local Spark). */
  lakeRoots?: LakeRoots,
): Promise<{ coordinator: ActorRecording; outcomes: RunOutcome[] }> {
  const clients = createClients({ endpoint: motoUrl, region: lake.region });
  await createSynthesizedLake(lake, clients);
  const updates = mockUpdateCrawler(clients.glue);
  try {
    const clock = new SettableClock(new Date(plans[0]?.scheduledAt ?? Date.now()));
    const roots = lakeRoots
      ? { [COORDINATOR_ENV.lakeRawRoot]: lakeRoots.raw, [COORDINATOR_ENV.lakeWarehouseRoot]: lakeRoots.warehouse }
      : {};
    const coordinator = createCoordinator({ env: { ...env(lake, motoUrl), ...roots }, bundleDir: REPO, clients, log: memoryLog(), clock });
    const requests: RecordedRequest[] = [];
    const outcomes: RunOutcome[] = [];
    const tierJobs = JSON.parse(need(lake.coordinator.environment, "TIER_JOBS")) as Record<string, string>;
    for (const plan of plans) {
      clock.current = new Date(plan.scheduledAt);
      const startWindow = await recordWindow(motoUrl, () => coordinator.handle(scheduleEvent(plan.tier, plan.scheduledAt)));
      requests.push(...startWindow.requests);
      const start = startWindow.result as StartRunReport;
      if (start.outcome !== "started") throw new Error(`the coordinator did not start a run: ${JSON.stringify(start)}`);
      const jobName = tierJobs[plan.tier];
      if (!jobName) throw new Error(`TIER_JOBS has no job for tier ${plan.tier}`);
      const end = await plan.runJob({ coordinator, started: start, jobName });
      clock.advance(600);
      const finalizeWindow = await recordWindow(motoUrl, () =>
        coordinator.handle(jobStateEvent(lake.accountId, lake.region, jobName, start.jobRunId, end.state, end.message)),
      );
      requests.push(...finalizeWindow.requests);
      const finalize = finalizeWindow.result as FinalizeReport;
      if (finalize.outcome !== "finalized") throw new Error(`the coordinator did not finalize the run: ${JSON.stringify(finalize)}`);
      if (plan.crawlsSucceed) {
        const prefix = need(lake.coordinator.environment, "DATABASE_PREFIX");
        for (const { crawler, domain, tables } of finalize.crawl.started) {
          clock.advance(60);
          // What the crawl made in AWS (with the crawler's role, outside the coordinator's window):
          // the raw tables, which settling the crawl tags and describes (glue:UpdateTable).
          for (const table of tables)
            await clients.glue.send(
              new CreateGlueTableCommand({
                DatabaseName: `${prefix}_${domain}_raw`,
                TableInput: { Name: table, StorageDescriptor: { Columns: [{ Name: "_run_id", Type: "string" }] } },
              }),
            );
          const crawlWindow = await recordWindow(motoUrl, () =>
            coordinator.handle(crawlerStateEvent(lake.accountId, lake.region, crawler, "Succeeded")),
          );
          requests.push(...crawlWindow.requests);
        }
      }
      outcomes.push({ start, finalize });
    }
    const crawlerArn = (name: string): string => `arn:aws:glue:${lake.region}:${lake.accountId}:crawler/${name}`;
    return {
      outcomes,
      coordinator: {
        actor: "coordinator",
        roleArn: lake.coordinator.roleArn,
        requests,
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
