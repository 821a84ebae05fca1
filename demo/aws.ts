/**
 * The lake's AWS resources in moto, as the Pulumi components would create them (state table,
 * buckets, one raw-zone crawler and catalog database pair per domain, the pii LF-tag, the alert
 * topic), and the SDK clients the real coordinator adapters use.
 *
 * moto 5.2.5 has no UpdateCrawler (it answers 404): a client middleware answers that one call
 * and records the crawler's targets, every other call goes to moto unchanged.
 */
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateCrawlerCommand,
  CreateDatabaseCommand,
  GetCrawlerCommand,
  ListCrawlsCommand,
  type UpdateCrawlerCommandInput,
} from "@aws-sdk/client-glue";
import { CreateLFTagCommand } from "@aws-sdk/client-lakeformation";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { createClients, type AwsClients } from "../handlers/coordinator/aws/clients";
import type { DemoSettings } from "./settings";

export interface CrawlerTargets {
  readonly crawler: string;
  readonly targets: readonly string[];
}

export interface DemoClients {
  readonly clients: AwsClients;
  /** Every UpdateCrawler call, in order (moto lacks it; see above). */
  readonly crawlerUpdates: CrawlerTargets[];
}

export function demoClients(settings: DemoSettings): DemoClients {
  process.env["AWS_ACCESS_KEY_ID"] ??= "testing";
  process.env["AWS_SECRET_ACCESS_KEY"] ??= "testing";
  const clients = createClients({ endpoint: settings.motoUrl, region: settings.region });
  const crawlerUpdates: CrawlerTargets[] = [];
  clients.glue.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== "UpdateCrawlerCommand") return next(args);
      const input = args.input as UpdateCrawlerCommandInput;
      crawlerUpdates.push({ crawler: input.Name ?? "?", targets: (input.Targets?.S3Targets ?? []).map((t) => t.Path ?? "") });
      return { output: { $metadata: {} } as never, response: {} };
    },
    { step: "initialize", name: "demoUpdateCrawler" },
  );
  return { clients, crawlerUpdates };
}

/** Wipes moto (the demo's own server) so every demo run starts from nothing. */
export async function resetMoto(settings: DemoSettings): Promise<void> {
  const res = await fetch(`${settings.motoUrl}/moto-api/reset`, { method: "POST" });
  if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
}

export async function createStateTable(clients: AwsClients, name: string): Promise<void> {
  try {
    await clients.dynamodb.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch {
    // not there yet
  }
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
}

export interface LakeResources {
  readonly stateTable: string;
  readonly buckets: readonly string[];
  readonly databasePrefix: string;
  readonly domains: readonly string[];
  readonly crawlers: Readonly<Record<string, string>>;
  readonly rawBucket: string;
  readonly topicName: string;
}

export async function createLakeResources(clients: AwsClients, settings: DemoSettings, r: LakeResources): Promise<string> {
  await createStateTable(clients, r.stateTable);
  for (const bucket of r.buckets) {
    await clients.s3.send(
      new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: settings.region as "eu-central-1" } }),
    );
  }
  for (const domain of r.domains) {
    for (const db of [`${r.databasePrefix}_${domain}`, `${r.databasePrefix}_${domain}_raw`]) {
      await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
    }
    const crawler = r.crawlers[domain];
    if (crawler === undefined) throw new Error(`no crawler name for domain ${domain}`);
    await clients.glue.send(
      new CreateCrawlerCommand({
        Name: crawler,
        Role: "arn:aws:iam::123456789012:role/demo-crawler",
        DatabaseName: `${r.databasePrefix}_${domain}_raw`,
        Targets: { S3Targets: [{ Path: `s3://${r.rawBucket}/raw/${domain}/` }] },
      }),
    );
  }
  await clients.lakeformation.send(new CreateLFTagCommand({ TagKey: "pii", TagValues: ["true", "false"] }));
  const topic = await clients.sns.send(new CreateTopicCommand({ Name: r.topicName }));
  if (!topic.TopicArn) throw new Error("CreateTopic returned no ARN");
  return topic.TopicArn;
}

/**
 * Lets a started crawl end: moto moves a crawl from RUNNING to COMPLETED once ListCrawls has
 * seen it (its default state progression). Returns when the crawler is READY again.
 */
export async function completeCrawl(clients: AwsClients, crawler: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await clients.glue.send(new ListCrawlsCommand({ CrawlerName: crawler }));
    const state = (await clients.glue.send(new GetCrawlerCommand({ Name: crawler }))).Crawler?.State;
    if (state === "READY") return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`crawler ${crawler} did not become READY in moto`);
}
