/**
 * The governed lake, run by the real coordinator (createCoordinator, the module the Lambda runs)
 * with the AWS adapters against moto, except the JobRunner (the local launcher). The coordinator's
 * LAKE_RAW_ROOT / LAKE_WAREHOUSE_ROOT put the lake in local folders (local Spark has no S3); the
 * manifests themselves are in moto's S3. The SNS alerter is wrapped to keep what it published
 * (it still publishes to moto).
 */
import { appendFileSync, mkdirSync } from "node:fs";
import * as path from "node:path";
import { SnsAlerter } from "../handlers/coordinator/aws/alerter";
import { createCoordinator, type Coordinator } from "../handlers/coordinator/coordinator";
import type { CrawlerEventReport } from "../handlers/coordinator/flows/crawlerEvent";
import type { FinalizeReport } from "../handlers/coordinator/flows/finalizeRun";
import type { StartRunReport } from "../handlers/coordinator/flows/startRun";
import { jsonLog } from "../handlers/coordinator/log";
import type { Alerter } from "../handlers/coordinator/ports";
import type { LakeModel } from "../model";
import { DemoAccessAudit, type AccessPoint } from "./access";
import { completeCrawl, createLakeResources, type DemoClients } from "./aws";
import { glueCrawlerStateChange, glueJobStateChange, manualEvent, scheduleEvent } from "./events";
import { LocalJobRunner, type JobRunEnd } from "./launcher";
import type { CrawlDecision, Pipeline, RunHandle, RunReport, TableLine, VerifyTarget } from "./pipeline";
import { fileUri, REPO, type DemoSettings } from "./settings";
import { writeSparkProperties } from "./spark";

const NAMES = {
  lake: "demo",
  stateTable: "demo-lake-state",
  manifestBucket: "demo-lake-manifests",
  rawBucket: "demo-lake-raw",
  warehouseBucket: "demo-lake-warehouse",
  databasePrefix: "demo",
  catalog: "lake",
  connection: "demo-source",
  topic: "demo-lake-alerts",
} as const;

interface Handle extends RunHandle {
  readonly start: StartRunReport;
  readonly startAlerts: readonly string[];
}

export class LakePipeline implements Pipeline {
  readonly kind = "lake" as const;
  readonly sparkProperties: string;
  private coordinator!: Coordinator;
  private readonly runner: LocalJobRunner;
  private readonly alerts: string[] = [];
  private readonly alerter: Alerter;
  private readonly env: Record<string, string>;
  private readonly jobs: Record<string, string>;
  private readonly lakeDir: string;
  private access!: DemoAccessAudit;

  private constructor(
    private readonly settings: DemoSettings,
    private readonly aws: DemoClients,
    tiers: readonly string[],
    crawlers: Readonly<Record<string, string>>,
    topicArn: string,
    tablesFile: string,
    progress: (line: string) => void,
  ) {
    this.lakeDir = path.join(settings.work, "lake");
    mkdirSync(this.lakeDir, { recursive: true });
    this.sparkProperties = writeSparkProperties(
      settings,
      NAMES.catalog,
      fileUri(path.join(this.lakeDir, "warehouse")),
      path.join(settings.work, "spark-lake.properties"),
    );
    this.jobs = Object.fromEntries(tiers.map((t) => [t, `demo-ingest-${t}`]));
    const tierArguments: Record<string, string> =
      settings.tableConcurrency !== undefined ? { "--table_concurrency": String(settings.tableConcurrency) } : {};
    const localJobs = Object.fromEntries(
      tiers.map((t) => [
        `demo-ingest-${t}`,
        {
          propertiesFile: this.sparkProperties,
          // IngestTier's default arguments that matter here: the tier's table concurrency when
          // the demo sets one (the manifest names the rest).
          defaultArguments: tierArguments,
        },
      ]),
    );
    this.runner = new LocalJobRunner(settings, localJobs, path.join(settings.work, "logs", "lake"), progress);
    const sns = new SnsAlerter(aws.clients.sns, topicArn);
    this.alerter = {
      publish: async (subject, message) => {
        this.alerts.push(`${subject}\n${message}`);
        await sns.publish(subject, message);
      },
    };
    this.env = {
      LAKE_NAME: NAMES.lake,
      ENVIRONMENT: "local",
      STATE_TABLE: NAMES.stateTable,
      MANIFEST_BUCKET: NAMES.manifestBucket,
      RAW_BUCKET: NAMES.rawBucket,
      WAREHOUSE_BUCKET: NAMES.warehouseBucket,
      DATABASE_PREFIX: NAMES.databasePrefix,
      TIER_JOBS: JSON.stringify(this.jobs),
      CRAWLERS: JSON.stringify(crawlers),
      ALERT_TOPIC_ARN: topicArn,
      // The stack's lake:source settings: the engine picks the job's dialect; PostgreSQL's tables are in schema public (the default).
      SOURCE_ENGINE: settings.engine,
      SOURCE_DATABASE: settings.database,
      // The demo's editor writes wall-time cursors in UTC (the engine's nowUtc, see changes.ts).
      SOURCE_TIME_ZONE: "UTC",
      SOURCE_CONNECTION: NAMES.connection,
      LEASE_SECONDS: "7200",
      BUSINESS_TIME_ZONE: "Europe/Berlin",
      TABLES_FILE: tablesFile,
      ICEBERG_CATALOG: NAMES.catalog,
      AWS_ENDPOINT_URL: settings.motoUrl,
      // Local Spark has no S3: run manifests address the lake in local folders.
      LAKE_RAW_ROOT: fileUri(this.lakeDir),
      LAKE_WAREHOUSE_ROOT: fileUri(path.join(this.lakeDir, "warehouse")),
    };
  }

  static crawlerOf(domain: string): string {
    return `demo-raw-${domain}`;
  }

  /** Creates the lake's resources in moto and the first coordinator (the first deployment). */
  static async create(
    settings: DemoSettings,
    aws: DemoClients,
    model: LakeModel,
    tablesFile: string,
    progress: (line: string) => void,
  ): Promise<LakePipeline> {
    const domains = model.domains.map((d) => d.name);
    const crawlers = Object.fromEntries(domains.map((d) => [d, LakePipeline.crawlerOf(d)]));
    const topicArn = await createLakeResources(aws.clients, settings, {
      stateTable: NAMES.stateTable,
      buckets: [NAMES.manifestBucket, NAMES.rawBucket, NAMES.warehouseBucket],
      databasePrefix: NAMES.databasePrefix,
      domains,
      crawlers,
      rawBucket: NAMES.rawBucket,
      topicName: NAMES.topic,
    });
    const pipeline = new LakePipeline(
      settings,
      aws,
      model.tiers.map((t) => t.name),
      crawlers,
      topicArn,
      tablesFile,
      progress,
    );
    pipeline.redeploy();
    pipeline.access = await DemoAccessAudit.create(aws.clients.glue, aws.clients.lakeformation, model, NAMES.databasePrefix);
    return pipeline;
  }

  redeploy(): void {
    const logFile = path.join(this.settings.work, "logs", "coordinator.jsonl");
    mkdirSync(path.dirname(logFile), { recursive: true });
    const sink = (line: string): void => appendFileSync(logFile, line + "\n");
    this.coordinator = createCoordinator({
      env: this.env,
      bundleDir: REPO,
      clients: this.aws.clients,
      log: jsonLog({ lake: NAMES.lake, environment: "local" }, sink, sink),
      overrides: { jobs: this.runner, alerter: this.alerter },
    });
  }

  get model(): LakeModel {
    return this.coordinator.model;
  }

  start(tier: string, label: string, scheduledAt: Date): Promise<RunHandle> {
    return this.deliver(tier, label, scheduleEvent(tier, scheduledAt));
  }

  /** The operator's `lake reload`: the coordinator's manual event, as cli/commands/reload.ts sends it. */
  manual(label: string, tier: string, tables: readonly string[], options: { readonly reload: boolean }): Promise<RunHandle> {
    const requestId = `demo-${label.replace(/[^A-Za-z0-9_.:-]+/g, "-")}`;
    return this.deliver(tier, label, manualEvent(tier, tables, requestId, options.reload));
  }

  private async deliver(tier: string, label: string, event: Record<string, unknown>): Promise<RunHandle> {
    const startedAt = Date.now();
    const before = this.alerts.length;
    const report = (await this.coordinator.handle(event)) as StartRunReport;
    if (report.outcome === "rejected" || report.outcome === "duplicate")
      throw new Error(`${label}: ${String(event["kind"])} event ${report.outcome}: ${JSON.stringify(report)}`);
    const jobRunId = report.outcome === "started" ? report.jobRunId : undefined;
    if (report.outcome === "started") this.runner.describe(report.jobRunId, label, report.leased.length);
    const handle: Handle = { label, tier, runId: report.runId, startedAt, jobRunId, start: report, startAlerts: this.alerts.slice(before) };
    return handle;
  }

  finishedTables(handle: RunHandle): readonly string[] {
    return handle.jobRunId ? this.runner.finishedTables(handle.jobRunId) : [];
  }

  jobEnded(handle: RunHandle): boolean {
    return handle.jobRunId ? this.runner.hasEnded(handle.jobRunId) : true;
  }

  async finish(h: RunHandle): Promise<RunReport> {
    const handle = h as Handle;
    const start = handle.start;
    const busy: TableLine[] =
      start.outcome === "started" || start.outcome === "nothing-leased" || start.outcome === "start-failed"
        ? start.busy.map((b) => ({
            table: b.table,
            status: "SKIPPED_LEASED",
            rowsRead: 0,
            rowsWritten: 0,
            rowsDeleted: null,
            reconcile: null,
            detail: `held by ${b.holderRunId ?? "?"} (${b.holderTier ?? "?"})`,
          }))
        : [];
    if (start.outcome !== "started" || handle.jobRunId === undefined) {
      return this.report(
        handle,
        busy,
        "NOT_STARTED",
        start.outcome === "start-failed" ? start.error : "no table could be leased",
        { started: [], skipped: "no job run" },
        [],
        [],
      );
    }
    const end = await this.runner.wait(handle.jobRunId);
    // New tables and columns must already be hidden when the job has written them, before finalize tags anything.
    await this.access.registerFullCopies(this.coordinator.model, path.join(this.lakeDir, "warehouse"));
    const access: AccessPoint[] = [await this.access.audit(this.coordinator.model, "after the job")];
    const before = this.alerts.length;
    const fin = (await this.coordinator.handle(glueJobStateChange(end.jobName, end.jobRunId, end.state, end.message))) as FinalizeReport;
    if (fin.outcome !== "finalized") throw new Error(`${handle.label}: job end event ${fin.outcome}: ${JSON.stringify(fin)}`);
    const crawl = await this.deliverCrawlerEvents(fin);
    access.push(await this.access.audit(this.coordinator.model, "after finalize"));
    return this.report(handle, [...this.tableLines(end, fin), ...busy], end.state, end.message, crawl, this.alerts.slice(before), access);
  }

  /** Each crawl started ends (moto completes it at once): deliver its Succeeded event, which may start pending crawls. */
  private async deliverCrawlerEvents(fin: Extract<FinalizeReport, { outcome: "finalized" }>): Promise<CrawlDecision> {
    const started = fin.crawl.started.map((s) => ({ crawler: s.crawler, tables: [...s.tables] }));
    const queue: string[] = started.map((s) => s.crawler);
    while (queue.length > 0) {
      const crawler = queue.shift() as string;
      await completeCrawl(this.aws.clients, crawler);
      const served = (await this.coordinator.handle(glueCrawlerStateChange(crawler, "Succeeded"))) as CrawlerEventReport;
      if (served.outcome === "served") {
        for (const s of served.crawl.started) {
          started.push({ crawler: s.crawler, tables: [...s.tables] });
          queue.push(s.crawler);
        }
      }
    }
    const pending = fin.crawl.pending.map((p) => `${p.tables.join(", ")} pending: ${p.reason}`);
    const skipped =
      started.length > 0 ? undefined : fin.crawlRequested.length === 0 ? "no table of the run is new or changed" : pending.join("; ");
    return { started, skipped };
  }

  private tableLines(end: JobRunEnd, fin: Extract<FinalizeReport, { outcome: "finalized" }>): TableLine[] {
    const failed = new Map(fin.failed.map((f) => [f.table, f.reason]));
    const lines: TableLine[] = (end.result?.tables ?? []).map((t) => ({
      table: t.name,
      status: t.status,
      rowsRead: t.rowsRead,
      rowsWritten: t.rowsWritten,
      rowsDeleted: t.rowsDeleted,
      reconcile: t.reconcile ?? null,
      detail: t.status === "FAILED" ? (failed.get(t.name) ?? t.error ?? "") : t.status === "REFUSED" ? (t.error ?? "") : "",
    }));
    const seen = new Set(lines.map((l) => l.table));
    for (const [table, reason] of failed) {
      if (!seen.has(table))
        lines.push({ table, status: "UNFINISHED", rowsRead: 0, rowsWritten: 0, rowsDeleted: null, reconcile: null, detail: reason });
    }
    return lines;
  }

  private report(
    handle: Handle,
    tables: TableLine[],
    jobState: RunReport["jobState"],
    jobMessage: string,
    crawl: CrawlDecision,
    alerts: readonly string[],
    access: readonly AccessPoint[],
  ): RunReport {
    return {
      pipeline: "lake",
      label: handle.label,
      tier: handle.tier,
      runId: handle.runId,
      startedAt: handle.startedAt,
      endedAt: Date.now(),
      jobState,
      jobMessage,
      tables,
      crawl,
      alerts: [...handle.startAlerts, ...alerts],
      access,
    };
  }

  verifyTargets(): VerifyTarget[] {
    return this.coordinator.model.tables
      .filter((t) => t.enabled)
      .map((t) => ({
        name: t.name,
        sourceName: t.source,
        primaryKey: t.primaryKey,
        iceberg: `${NAMES.catalog}.${NAMES.databasePrefix}_${t.domain}.${t.name}`,
        rawPath: undefined,
      }));
  }
}
