/**
 * Baseline: the same pipeline behaving like a stock Lake Formation blueprint workflow.
 *
 * - State per job: each tier keeps its own bookmarks (its own state table, read and advanced by
 *   the same ingest job), so a table both tiers load is read by each from its own position.
 * - Tables are selected by include-path patterns over the source's table names, with LIKE
 *   semantics: the daily workflow `<db>/%`, the 15-minute one `<db>/<table>%` per table it was
 *   created with (so `customer%` also takes customer_address and customer_contact). A workflow
 *   cannot take new tables once created: redeploy() changes nothing.
 * - The target is appended to: the blueprint's table is every Parquet batch the job wrote for it
 *   (the raw zone here); bookmarks have no lookback; tables without a bookmark key are read whole
 *   on every run (no CHECKSUM skip).
 * - Every run ends with a crawl over every table it loaded.
 * The same ingest job (local launcher) does the reading and writing; only the manifests differ.
 */
import * as path from "node:path";
import { DynamoLeaseStore } from "../handlers/coordinator/aws/leaseStore";
import { GlueCrawlers } from "../handlers/coordinator/aws/crawlers";
import { S3ManifestStore } from "../handlers/coordinator/aws/manifestStore";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { CreateCrawlerCommand } from "@aws-sdk/client-glue";
import { buildManifest, rawTableUri, type RunManifest } from "../handlers/coordinator/core/manifest";
import { manifestProblems } from "../handlers/coordinator/core/manifestSchema";
import { formatRunId } from "../handlers/coordinator/core/runId";
import type { LakeModel, TableSpec } from "../model";
import { completeCrawl, createStateTable, type DemoClients } from "./aws";
import { LocalJobRunner, type LocalJob } from "./launcher";
import type { Pipeline, RunHandle, RunReport, TableLine, VerifyTarget } from "./pipeline";
import { fileUri, type DemoSettings } from "./settings";
import type { SourceDb } from "./source/engine";
import { writeSparkProperties } from "./spark";

const RAW_BUCKET = "demo-baseline-raw";
const MANIFEST_BUCKET = "demo-baseline-manifests";
const CATALOG = "lake";
const UNLISTED_DOMAIN = "unlisted";

/** MySQL LIKE (as Glue include paths use it): % any run, _ any one character, case-insensitive. */
export function likeToRegExp(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === "%" ? ".*" : ch === "_" ? "." : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${body}$`, "i");
}

export function includePatterns(model: LakeModel, database: string, tier: string): string[] {
  const spec = model.tiers.find((t) => t.name === tier);
  if (!spec) throw new Error(`unknown tier ${tier}`);
  if (spec.syncsAllTables) return [`${database}/%`];
  return model.tables.filter((t) => t.tier === tier).map((t) => `${database}/${t.source}%`);
}

export function selectByPatterns(patterns: readonly string[], database: string, sourceTables: readonly string[]): string[] {
  const res = patterns.map(likeToRegExp);
  return sourceTables.filter((t) => res.some((re) => re.test(`${database}/${t}`)));
}

interface Handle extends RunHandle {
  readonly manifest: RunManifest;
  readonly crawlTargets: readonly string[];
}

export class BaselinePipeline implements Pipeline {
  readonly kind = "baseline" as const;
  readonly sparkProperties: string;
  private readonly runner: LocalJobRunner;
  private readonly patterns: Record<string, string[]>;
  private readonly rawDir: string;
  private readonly crawlers: GlueCrawlers;
  private readonly manifests: S3ManifestStore;

  private constructor(
    private readonly settings: DemoSettings,
    private readonly aws: DemoClients,
    private readonly source: SourceDb,
    /** The model as it was when the workflows were created (blueprints cannot take new tables). */
    private readonly model: LakeModel,
    progress: (line: string) => void,
  ) {
    const base = path.join(settings.work, "baseline");
    this.rawDir = path.join(base, "raw-target");
    const jobs: Record<string, LocalJob> = {};
    const props: string[] = [];
    for (const tier of model.tiers) {
      // Each workflow's job has its own scratch warehouse: the blueprint's target is the raw Parquet.
      const file = writeSparkProperties(
        settings,
        CATALOG,
        fileUri(path.join(base, `scratch-${tier.name}`)),
        path.join(settings.work, `spark-baseline-${tier.name}.properties`),
      );
      props.push(file);
      jobs[BaselinePipeline.jobOf(tier.name)] = {
        propertiesFile: file,
        defaultArguments: {},
      };
    }
    this.sparkProperties = props[0] as string;
    this.runner = new LocalJobRunner(settings, jobs, path.join(settings.work, "logs", "baseline"), progress);
    this.patterns = Object.fromEntries(model.tiers.map((t) => [t.name, includePatterns(model, settings.database, t.name)]));
    this.crawlers = new GlueCrawlers(aws.clients.glue);
    this.manifests = new S3ManifestStore(aws.clients.s3, MANIFEST_BUCKET);
  }

  static jobOf(tier: string): string {
    return `baseline-ingest-${tier}`;
  }
  static bookmarksOf(tier: string): string {
    return `demo-baseline-bookmarks-${tier}`;
  }
  static crawlerOf(tier: string): string {
    return `baseline-crawler-${tier}`;
  }

  static async create(
    settings: DemoSettings,
    aws: DemoClients,
    source: SourceDb,
    model: LakeModel,
    progress: (line: string) => void,
  ): Promise<BaselinePipeline> {
    await aws.clients.s3.send(
      new CreateBucketCommand({
        Bucket: MANIFEST_BUCKET,
        CreateBucketConfiguration: { LocationConstraint: settings.region as "eu-central-1" },
      }),
    );
    for (const tier of model.tiers) {
      await createStateTable(aws.clients, BaselinePipeline.bookmarksOf(tier.name));
      await aws.clients.glue.send(
        new CreateCrawlerCommand({
          Name: BaselinePipeline.crawlerOf(tier.name),
          Role: "arn:aws:iam::123456789012:role/blueprint-crawler",
          DatabaseName: "baseline_target",
          Targets: { S3Targets: [{ Path: `s3://${RAW_BUCKET}/raw/` }] },
        }),
      );
    }
    return new BaselinePipeline(settings, aws, source, model, progress);
  }

  /** The blueprint's workflows were created once; a changed tables.yaml does not reach them. */
  redeploy(): void {}

  patternsOf(tier: string): readonly string[] {
    return this.patterns[tier] ?? [];
  }

  private async sourceTables(): Promise<string[]> {
    return this.source.tables();
  }

  /** The table spec the blueprint uses for a matched source table: its tables.yaml entry (enabled or not), or a whole-table read. */
  private specFor(source: string): TableSpec {
    const known = this.model.tables.find((t) => t.source === source);
    if (known) return known;
    return {
      name: source.toLowerCase().replace(/[^a-z0-9_]/g, "_"),
      source,
      domain: UNLISTED_DOMAIN,
      tier: "daily",
      primaryKey: [],
      pii: [],
      nonPii: [],
      description: "",
      owner: "",
      enabled: true,
      // A blueprint has no reconciliation.
      reconcile: "off",
      reconcileAlertRows: 0,
      strategy: "snapshot",
    };
  }

  async start(tier: string, label: string, _scheduledAt: Date): Promise<RunHandle> {
    const startedAt = Date.now();
    const now = new Date();
    const runId = formatRunId(
      tier,
      now,
      Math.floor(Math.random() * 0xffffffff)
        .toString(16)
        .padStart(8, "0"),
    );
    const selected = selectByPatterns(this.patternsOf(tier), this.settings.database, await this.sourceTables()).map((s) => this.specFor(s));
    const bookmarks = new DynamoLeaseStore(this.aws.clients.dynamodb, BaselinePipeline.bookmarksOf(tier));
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // The job's state contract wants the run to hold each table's item; one run per workflow, so never busy.
    const lease = await bookmarks.lease(
      selected.map((t) => t.name),
      runId,
      tier,
      nowSeconds,
      nowSeconds + 7200,
    );
    const built = buildManifest(
      {
        source: { engine: this.settings.engine, database: this.settings.database, schema: undefined },
        // Local Spark has no S3: the lake in local folders.
        lakeRoots: { raw: fileUri(this.rawDir), warehouse: fileUri(path.join(this.settings.work, "baseline", `scratch-${tier}`)) },
        stateTable: BaselinePipeline.bookmarksOf(tier),
        databasePrefix: `baseline_${tier}`,
        icebergCatalog: CATALOG,
      },
      { runId, tier, createdAt: now, leaseExpiresAt: nowSeconds + 7200, tables: selected, watermarks: lease.leased, reload: false },
    );
    // The crawler reads the raw zone as S3 paths of the raw bucket.
    const crawlTargets = selected.map((t) => rawTableUri(RAW_BUCKET, t));
    const manifest: RunManifest = {
      ...built,
      tables: built.tables.map((t) => ({
        ...t,
        // Bookmarks: no lookback; no bookmark for tables without a key column (read whole every run).
        ...(t.strategy === "incremental" ? { lookbackSeconds: 0 } : {}),
        ...(t.strategy === "snapshot" ? { watermark: null } : {}),
      })),
    };
    const problems = manifestProblems(manifest);
    if (problems.length > 0) throw new Error(`baseline manifest invalid: ${problems.join("; ")}`);
    const uri = await this.manifests.put(`manifests/${tier}/${runId}.json`, JSON.stringify(manifest, null, 1));
    const started = await this.runner.start(BaselinePipeline.jobOf(tier), { "--manifest_uri": uri, "--run_id": runId });
    if (!started.ok) throw new Error(`baseline ${label}: ${started.error}`);
    this.runner.describe(started.jobRunId, label, manifest.tables.length);
    const handle: Handle = { label, tier, runId, startedAt, jobRunId: started.jobRunId, manifest, crawlTargets };
    return handle;
  }

  /** The blueprint has no operator reload through a coordinator: the day just plays on. */
  manual(): Promise<RunHandle | undefined> {
    return Promise.resolve(undefined);
  }

  finishedTables(handle: RunHandle): readonly string[] {
    return handle.jobRunId ? this.runner.finishedTables(handle.jobRunId) : [];
  }

  jobEnded(handle: RunHandle): boolean {
    return handle.jobRunId ? this.runner.hasEnded(handle.jobRunId) : true;
  }

  async finish(h: RunHandle): Promise<RunReport> {
    const handle = h as Handle;
    if (!handle.jobRunId) throw new Error("baseline runs always start a job");
    const end = await this.runner.wait(handle.jobRunId);
    const names = handle.manifest.tables.map((t) => t.name);
    await new DynamoLeaseStore(this.aws.clients.dynamodb, BaselinePipeline.bookmarksOf(handle.tier)).release(
      names,
      handle.runId,
      end.message || undefined,
    );
    // The blueprint's crawler crawls every table of the workflow, every run.
    const crawler = BaselinePipeline.crawlerOf(handle.tier);
    const result = await this.crawlers.crawl(crawler, handle.crawlTargets);
    if (result === "started") await completeCrawl(this.aws.clients, crawler);
    const tables: TableLine[] = (end.result?.tables ?? []).map((t) => ({
      table: t.name,
      status: t.status,
      rowsRead: t.rowsRead,
      rowsWritten: t.rowsRead,
      rowsDeleted: null,
      reconcile: null,
      detail: t.error ?? "",
    }));
    return {
      pipeline: "baseline",
      access: [],
      label: handle.label,
      tier: handle.tier,
      runId: handle.runId,
      startedAt: handle.startedAt,
      endedAt: Date.now(),
      jobState: end.state,
      jobMessage: end.message,
      tables,
      crawl:
        result === "started"
          ? { started: [{ crawler, tables: names }], skipped: undefined }
          : { started: [], skipped: `crawler ${crawler} busy` },
      alerts: [],
    };
  }

  verifyTargets(): VerifyTarget[] {
    return this.model.tables
      .filter((t) => t.enabled)
      .map((t) => ({
        name: t.name,
        sourceName: t.source,
        primaryKey: t.primaryKey,
        iceberg: undefined,
        rawPath: `${fileUri(this.rawDir)}raw/${t.domain}/${t.name}/`,
      }));
  }

  /** Every table the workflows touched (the blueprint's target folders), for the comparison. */
  loadedTargets(sourceNames: readonly string[]): VerifyTarget[] {
    return sourceNames.map((s) => {
      const t = this.specFor(s);
      return {
        name: t.name,
        sourceName: s,
        primaryKey: t.primaryKey,
        iceberg: undefined,
        rawPath: `${fileUri(this.rawDir)}raw/${t.domain}/${t.name}/`,
      };
    });
  }
}
