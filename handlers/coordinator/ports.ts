/**
 * What the run flows need from the outside world. The AWS adapters (aws/) implement these; tests
 * and the local demo may implement them otherwise. Every state transition behind them is a
 * conditional write.
 */
import type { ColumnClass } from "../../model";
import type { DescriptionChange, TableDescription } from "./core/catalogDescription";
import type { LeaseResult, RunRecord, RunStatus, TableState } from "./core/types";

export interface LeaseStore {
  /**
   * Leases each table for the run: `attribute_not_exists(leaseRunId) OR leaseExpiresAt < now`
   * (or already this run's, so a retried call is harmless). Tables held by another live run are
   * returned as busy.
   */
  lease(tables: readonly string[], runId: string, tier: string, nowSeconds: number, expiresAt: number): Promise<LeaseResult>;
  /**
   * Gives back the tables this run still holds (`leaseRunId = run`); with `failure`, records it as
   * the table's last status and error. Tables another run took since are left alone.
   */
  release(tables: readonly string[], runId: string, failure?: string): Promise<{ released: string[]; notHeld: string[] }>;
  /** Strongly consistent read of table items (absent items are missing from the map). */
  read(tables: readonly string[]): Promise<Map<string, TableState>>;
  /** `catalogFingerprint = fingerprint` if the table's schema fingerprint is still that one. */
  markCatalogued(table: string, fingerprint: string): Promise<boolean>;
  /** Forgets what the catalog saw (after a failed crawl), so the table is crawled again. */
  uncatalogue(table: string): Promise<void>;
}

export type ScheduleClaim = { readonly claimed: true } | { readonly claimed: false; readonly runId: string | undefined };

/** Fields a run transition may set. */
export type RunFields = Readonly<Partial<Pick<RunRecord, "manifestKey" | "jobName" | "jobRunId" | "tables">>> & {
  readonly error?: string;
};

export interface RunStore {
  /**
   * Records that a schedule event (or manual request) became this run and creates the run record
   * (status STARTING, started by `holder`) in one transaction, so a crash can never leave a claim
   * without its run. A duplicate returns the run id the event already became.
   */
  claim(key: string, run: RunRecord, holder: string, ttl: { readonly schedule: number; readonly run: number }): Promise<ScheduleClaim>;
  /**
   * Takes over a start attempt that died: only a run still STARTING, without a job run, whose last
   * progress is before `staleBefore`. Returns the run now held by `holder`, or undefined.
   */
  resume(runId: string, holder: string, staleBefore: number): Promise<RunRecord | undefined>;
  /**
   * A start attempt's own status change (STARTING -> `to`): only while the run is STARTING, has
   * no job run and is still held by `holder`; false once another attempt took it over.
   */
  advanceStart(runId: string, holder: string, to: RunStatus, fields?: RunFields): Promise<boolean>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** Conditional status change `from` -> `to`, setting the given fields; false if the run was not in `from`. */
  transition(
    runId: string,
    from: readonly RunStatus[],
    to: RunStatus,
    fields?: RunFields,
    staleBefore?: { readonly status: RunStatus; readonly updatedBefore: number },
  ): Promise<boolean>;
}

export interface CrawlQueue {
  /** Adds tables to the pending crawl set (atomic set union). */
  add(tables: readonly string[]): Promise<void>;
  pending(): Promise<string[]>;
  /** Removes tables from the pending set (atomic set difference: concurrent adds survive). */
  remove(tables: readonly string[]): Promise<void>;
  /** A short lock per domain so two finalizers never interleave UpdateCrawler and StartCrawler. */
  lock(domain: string, holder: string, nowSeconds: number, expiresAt: number): Promise<boolean>;
  unlock(domain: string, holder: string): Promise<void>;
  /** Tables of the domain's crawl in flight (their raw tables get PII tags once it ends). */
  inFlight(domain: string): Promise<string[]>;
  setInFlight(domain: string, holder: string, tables: readonly string[]): Promise<void>;
}

export interface ManifestStore {
  /** Writes the manifest; returns its URI (s3://bucket/key). */
  put(key: string, body: string): Promise<string>;
  /**
   * Text of an object beside the manifests (the job's `<manifest key>.result.json`); undefined
   * when it does not exist or may not be read. Optional: a store without it is never asked.
   */
  get?(key: string): Promise<string | undefined>;
}

export type StartResult =
  | { readonly ok: true; readonly jobRunId: string }
  /**
   * Not started. `uncertain`: the request's fate is unknown (no answer, and no way to look it up),
   * so the job may be running; its leases must not be given back.
   */
  | { readonly ok: false; readonly error: string; readonly uncertain?: boolean };

export interface JobRunner {
  start(jobName: string, args: Readonly<Record<string, string>>): Promise<StartResult>;
  /** The `--run_id` argument the job run was started with, if any. */
  runIdOf(jobName: string, jobRunId: string): Promise<string | undefined>;
  /**
   * The job run started (after `startedAfter`) with this `--run_id`, if any: a resumed start attempt
   * adopts it instead of starting the job twice. Optional: a runner without it is never asked.
   */
  findRun?(jobName: string, runId: string, startedAfter: Date): Promise<string | undefined>;
}

export type CrawlerState = "READY" | "RUNNING" | "STOPPING";
export type CrawlStart = "started" | "busy";

/** How the crawler's most recent crawl ended; RUNNING while one is in progress, NONE if it never ran. */
export interface LastCrawl {
  readonly status: "SUCCEEDED" | "FAILED" | "CANCELLED" | "RUNNING" | "NONE";
  readonly message?: string;
}

export interface Crawlers {
  state(crawlerName: string): Promise<CrawlerState>;
  lastCrawl(crawlerName: string): Promise<LastCrawl>;
  /** Points the crawler at exactly these S3 prefixes and starts it; "busy" if it is running. */
  crawl(crawlerName: string, s3Targets: readonly string[]): Promise<CrawlStart>;
}

export type PiiReconcileResult =
  | { readonly exists: false }
  | {
      readonly exists: true;
      /** Columns just tagged pii=true / pii=false. */
      readonly hidden: readonly string[];
      readonly revealed: readonly string[];
      /** Catalog columns tables.yaml classifies in neither list: hidden until classified. */
      readonly unclassified: readonly string[];
    };

export interface PiiTagger {
  /**
   * Brings the catalog table's own pii tags to the desired ones (nonPii columns pii=false, pii
   * columns pii=true, the rest inherited pii=true); throws listing any failure (what failed to be
   * revealed stays hidden). A table not in the catalog yet is left alone.
   */
  reconcile(database: string, table: string, classes: ReadonlyMap<string, ColumnClass>): Promise<PiiReconcileResult>;
}

export type DescribeResult =
  | { readonly exists: false }
  /** What differed and was set (nothing when the table was current). */
  | { readonly exists: true; readonly change: DescriptionChange };

export interface CatalogDescriber {
  /**
   * Sets what differs of the catalog table's description, lake.* parameters and (when given)
   * column comments; a table not in the catalog yet is left alone.
   */
  describe(database: string, table: string, desired: TableDescription): Promise<DescribeResult>;
}

export interface Alerter {
  publish(subject: string, message: string): Promise<void>;
}

export interface Log {
  info(event: string, fields?: Readonly<Record<string, unknown>>): void;
  warn(event: string, fields?: Readonly<Record<string, unknown>>): void;
  error(event: string, fields?: Readonly<Record<string, unknown>>): void;
  /** An embedded-metric-format line (already JSON). */
  metric(line: string): void;
}

export interface Clock {
  now(): Date;
  /** Random lower-case hex, for run ids and lock holders. */
  randomHex(bytes: number): string;
}

export interface Ports {
  readonly leases: LeaseStore;
  readonly runs: RunStore;
  readonly crawlQueue: CrawlQueue;
  readonly manifests: ManifestStore;
  readonly jobs: JobRunner;
  readonly crawlers: Crawlers;
  readonly tagger: PiiTagger;
  /** Raw tables' catalog description (absent: not set, e.g. in tests that do not look at it). */
  readonly describer?: CatalogDescriber;
  readonly alerter: Alerter;
  readonly log: Log;
  readonly clock: Clock;
}
