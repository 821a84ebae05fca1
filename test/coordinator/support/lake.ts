/**
 * A small lake in moto for the coordinator tests: the state table, buckets, tier jobs, one
 * raw-zone crawler and catalog database pair per domain, the pii LF-tag and the alert topic,
 * as the Pulumi components would create them. Plus a controllable clock, a recording alerter
 * and a stand-in for the Python job's state writes (its expressions from handlers/contracts/state-table.json).
 */
import { CreateTableCommand, ScanCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import {
  CreateDatabaseCommand,
  CreateCrawlerCommand,
  CreateJobCommand,
  CreateTableCommand as CreateGlueTableCommand,
} from "@aws-sdk/client-glue";
import { AddLFTagsToResourceCommand, CreateLFTagCommand } from "@aws-sdk/client-lakeformation";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { CreateTopicCommand } from "@aws-sdk/client-sns";
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { loadTablesYaml, stateKeys } from "../../../model";
import { stateUpdate } from "../../../handlers/contracts/stateTable";
import { SnsAlerter } from "../../../handlers/coordinator/aws/alerter";
import { createClients, type AwsClients } from "../../../handlers/coordinator/aws/clients";
import { createCoordinator, type Coordinator } from "../../../handlers/coordinator/coordinator";
import type { WriteMode } from "../../../handlers/coordinator/aws/conditionalWrites";
import type { Item } from "../../../handlers/coordinator/aws/values";
import type { RunManifest } from "../../../handlers/coordinator/core/manifest";
import { memoryLog, type MemoryLog } from "../../../handlers/coordinator/log";
import type { Alerter, Clock, Ports } from "../../../handlers/coordinator/ports";
import { motoUrl } from "./moto";

export const REPO_TABLES = path.resolve(__dirname, "../../../tables.yaml");
export const STATE_TABLE = "lake-state";
export const MANIFEST_BUCKET = "lake-scripts";
export const RAW_BUCKET = "lake-raw";
export const WAREHOUSE_BUCKET = "lake-warehouse";
export const TOPIC_ARN = "arn:aws:sns:eu-central-1:123456789012:lake-alerts";
export const JOBS = { daily: "lake-ingest-daily", every_15_min: "lake-ingest-every_15_min" } as const;
const DOMAINS = ["sales", "finance", "manufacturing", "logistics", "hr"] as const;
export const crawlerOf = (domain: string): string => `lake-raw-${domain}`;

export function lakeEnv(tablesFile: string): Record<string, string> {
  return {
    LAKE_NAME: "lake",
    ENVIRONMENT: "test",
    STATE_TABLE,
    MANIFEST_BUCKET,
    RAW_BUCKET,
    WAREHOUSE_BUCKET,
    DATABASE_PREFIX: "lake",
    TIER_JOBS: JSON.stringify(JOBS),
    CRAWLERS: JSON.stringify(Object.fromEntries(DOMAINS.map((d) => [d, crawlerOf(d)]))),
    ALERT_TOPIC_ARN: TOPIC_ARN,
    SOURCE_ENGINE: "mariadb",
    SOURCE_DATABASE: "erp",
    SOURCE_CONNECTION: "lake-source",
    LEASE_SECONDS: "7200",
    BUSINESS_TIME_ZONE: "Europe/Berlin",
    TABLES_FILE: tablesFile,
    ICEBERG_CATALOG: "glue_catalog",
    AWS_ENDPOINT_URL: motoUrl(),
  };
}

/** A private copy of the repository's tables.yaml that a test may edit. */
export function tablesCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "coordinator-"));
  const file = path.join(dir, "tables.yaml");
  copyFileSync(REPO_TABLES, file);
  return file;
}

export function appendTable(file: string, entry: string): void {
  writeFileSync(file, readFileSync(file, "utf8").trimEnd() + "\n\n" + entry.trimEnd() + "\n");
}

export function removeTable(file: string, name: string): void {
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(`  - name: ${name}\n`);
  if (start < 0) throw new Error(`table ${name} not in ${file}`);
  const end = text.indexOf("\n\n", start);
  writeFileSync(file, text.slice(0, start) + (end < 0 ? "" : text.slice(end + 2)));
}

export class FakeClock implements Clock {
  private counter = 0;
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  randomHex(bytes: number): string {
    this.counter++;
    return (this.counter.toString(16) + Math.random().toString(16).slice(2) + "0".repeat(2 * bytes)).slice(0, 2 * bytes);
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

/** The port with some of its methods replaced; every other method is the original's. */
export function patched<T extends object>(port: T, replace: Partial<T>): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      if (Object.prototype.hasOwnProperty.call(replace, prop)) return replace[prop as keyof T];
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** A promise that never settles: the Lambda was killed at this call. */
export function killed<T>(): Promise<T> {
  return new Promise<T>(() => undefined);
}

/** Forwards to the real (moto) alerter and keeps what was sent. */
export function recording(alerter: Alerter): Alerter & { sent: { subject: string; message: string }[] } {
  const sent: { subject: string; message: string }[] = [];
  return {
    sent,
    async publish(subject, message) {
      sent.push({ subject, message });
      await alerter.publish(subject, message);
    },
  };
}

export interface TestLake {
  readonly clients: AwsClients;
  readonly clock: FakeClock;
  readonly tablesFile: string;
  coordinator(options?: { writeMode?: WriteMode; overrides?: Partial<Ports>; env?: Record<string, string> }): TestCoordinator;
}

export interface TestCoordinator extends Coordinator {
  readonly log: MemoryLog;
  readonly alerts: { subject: string; message: string }[];
}

export async function createLake(clock = new FakeClock(new Date("2024-05-06T23:30:00Z"))): Promise<TestLake> {
  const clients = createClients({ endpoint: motoUrl(), region: "eu-central-1" });
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: STATE_TABLE,
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  for (const bucket of [MANIFEST_BUCKET, RAW_BUCKET, WAREHOUSE_BUCKET]) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: { LocationConstraint: "eu-central-1" } }));
  }
  for (const job of Object.values(JOBS)) {
    await clients.glue.send(
      new CreateJobCommand({
        Name: job,
        Role: "arn:aws:iam::123456789012:role/ingest",
        Command: { Name: "glueetl", ScriptLocation: "s3://lake-scripts/ingest.py" },
        ExecutionProperty: { MaxConcurrentRuns: 1 },
      }),
    );
  }
  for (const domain of DOMAINS) {
    for (const db of [`lake_${domain}`, `lake_${domain}_raw`])
      await clients.glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: db } }));
    await clients.glue.send(
      new CreateCrawlerCommand({
        Name: crawlerOf(domain),
        Role: "arn:aws:iam::123456789012:role/crawler",
        DatabaseName: `lake_${domain}_raw`,
        Targets: { S3Targets: [{ Path: `s3://${RAW_BUCKET}/raw/${domain}/` }] },
      }),
    );
  }
  await clients.lakeformation.send(new CreateLFTagCommand({ TagKey: "pii", TagValues: ["true", "false"] }));
  await clients.lakeformation.send(new CreateLFTagCommand({ TagKey: "domain", TagValues: [...DOMAINS] }));
  // As GovernedDatabase does: every database domain=<d> and pii=true (new tables and columns inherit it).
  for (const domain of DOMAINS)
    for (const db of [`lake_${domain}`, `lake_${domain}_raw`])
      await clients.lakeformation.send(
        new AddLFTagsToResourceCommand({
          Resource: { Database: { Name: db } },
          LFTags: [
            { TagKey: "domain", TagValues: [domain] },
            { TagKey: "pii", TagValues: ["true"] },
          ],
        }),
      );
  await clients.sns.send(new CreateTopicCommand({ Name: "lake-alerts" }));
  const tablesFile = tablesCopy();
  return {
    clients,
    clock,
    tablesFile,
    coordinator(options = {}) {
      const log = memoryLog();
      const alerter = recording(new SnsAlerter(clients.sns, TOPIC_ARN));
      const coordinator = createCoordinator({
        env: { ...lakeEnv(tablesFile), ...options.env },
        bundleDir: path.dirname(tablesFile),
        clients,
        log,
        clock,
        ...(options.writeMode ? { writeMode: options.writeMode } : {}),
        overrides: { ...options.overrides, alerter },
      });
      return Object.assign(coordinator, { log, alerts: alerter.sent });
    },
  };
}

export function enabledTables(tablesFile: string, tier?: string): string[] {
  const model = loadTablesYaml(tablesFile);
  return model.tables.filter((t) => t.enabled && (tier === undefined || tier === "daily" || t.tier === tier)).map((t) => t.name);
}

/** Creates catalog tables as the job (full copy) and the crawler (raw) would. */
export async function createCatalogTable(lake: TestLake, database: string, table: string, columns: readonly string[]): Promise<void> {
  await lake.clients.glue.send(
    new CreateGlueTableCommand({
      DatabaseName: database,
      TableInput: { Name: table, StorageDescriptor: { Columns: columns.map((c) => ({ Name: c.toLowerCase(), Type: "string" })) } },
    }),
  );
}

export async function scanState(lake: TestLake): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const res = await lake.clients.dynamodb.send(
      new ScanCommand({ TableName: STATE_TABLE, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

export async function tableItems(lake: TestLake): Promise<Map<string, Item>> {
  const out = new Map<string, Item>();
  for (const item of await scanState(lake)) {
    const pk = item["pk"]?.S ?? "";
    if (pk.startsWith("table#")) out.set(pk.slice("table#".length), item);
  }
  return out;
}

export async function manifestKeys(lake: TestLake): Promise<string[]> {
  const res = await lake.clients.s3.send(new ListObjectsV2Command({ Bucket: MANIFEST_BUCKET, Prefix: "manifests/" }));
  return (res.Contents ?? []).map((o) => o.Key as string).sort();
}

export async function readManifest(lake: TestLake, uriOrKey: string): Promise<unknown> {
  const key = uriOrKey.replace(`s3://${MANIFEST_BUCKET}/`, "");
  const res = await lake.clients.s3.send(new GetObjectCommand({ Bucket: MANIFEST_BUCKET, Key: key }));
  return JSON.parse(await (res.Body as { transformToString(): Promise<string> }).transformToString()) as RunManifest;
}

/** The Python job's writes (STATE.md), so finalize sees what a real run leaves behind. */
export const job = {
  async commit(
    lake: TestLake,
    table: string,
    runId: string,
    result: { fingerprint: string; rows?: number; watermark?: string },
  ): Promise<void> {
    await lake.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: STATE_TABLE,
        Key: { pk: { S: stateKeys.table(table) } },
        ...stateUpdate("commit", ["position"]),
        ExpressionAttributeValues: {
          ":w": { S: result.watermark ?? "2024-05-06T23:00:00.000000Z" },
          ":k": { S: "timestamp" },
          ":f": { S: result.fingerprint },
          ":run": { S: runId },
          ":s": { S: "LOADED" },
          ":at": { S: lake.clock.now().toISOString() },
          ":r": { N: String(result.rows ?? 10) },
          ":wr": { N: String(result.rows ?? 10) },
          ":d": { N: "1234" },
        },
      }),
    );
  },
  async fail(lake: TestLake, table: string, runId: string, error: string): Promise<void> {
    await lake.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: STATE_TABLE,
        Key: { pk: { S: stateKeys.table(table) } },
        // STATE.md "Failure": the failure names its run, so a late finalize of that run still sees it.
        ...stateUpdate("fail"),
        ExpressionAttributeValues: { ":failed": { S: "FAILED" }, ":e": { S: error }, ":run": { S: runId } },
      }),
    );
  },
  /** Marks what the crawler last catalogued (as if an earlier crawl covered this schema). */
  async catalogued(lake: TestLake, table: string, fingerprint: string): Promise<void> {
    await lake.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName: STATE_TABLE,
        Key: { pk: { S: stateKeys.table(table) } },
        UpdateExpression: "SET catalogFingerprint = :f",
        ExpressionAttributeValues: { ":f": { S: fingerprint } },
      }),
    );
  },
};

export function scheduleEvent(tier: string, scheduledAt: string): Record<string, string> {
  return { kind: "schedule", tier, scheduledAt };
}

export function jobStateEvent(jobName: string, jobRunId: string, state: string, message = ""): Record<string, unknown> {
  return {
    version: "0",
    id: "e-" + jobRunId.slice(-8),
    "detail-type": "Glue Job State Change",
    source: "aws.glue",
    account: "123456789012",
    time: "2024-05-07T00:00:00Z",
    region: "eu-central-1",
    resources: [],
    detail: { jobName, severity: state === "SUCCEEDED" ? "INFO" : "ERROR", state, jobRunId, message },
  };
}

export function crawlerStateEvent(crawlerName: string, state: string, message = ""): Record<string, unknown> {
  return {
    version: "0",
    id: "c-" + crawlerName,
    "detail-type": "Glue Crawler State Change",
    source: "aws.glue",
    account: "123456789012",
    time: "2024-05-07T00:00:00Z",
    region: "eu-central-1",
    resources: [],
    detail: { crawlerName, state, message },
  };
}
