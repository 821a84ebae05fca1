/** What the day's scenario drives: the governed lake (the real coordinator) or the blueprint baseline. */
import type { AccessPoint } from "./access";
import type { ReconcileResult } from "./launcher";

export type { ReconcileResult } from "./launcher";

export type TableStatus = "LOADED" | "UNCHANGED" | "FAILED" | "REFUSED" | "SKIPPED_LEASED" | "UNFINISHED";

export interface TableLine {
  readonly table: string;
  readonly status: TableStatus;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsDeleted: number | null;
  /** Failure reason, or the run holding a skipped table. */
  readonly detail: string;
  /** What the table's reconcile compared and repaired, when the run reconciled it. */
  readonly reconcile: ReconcileResult | null;
}

export interface CrawlDecision {
  /** Crawls started in this run's finalize (and in the crawler events it caused). */
  readonly started: readonly { readonly crawler: string; readonly tables: readonly string[] }[];
  /** Why nothing was crawled, when nothing was. */
  readonly skipped: string | undefined;
}

export interface RunReport {
  readonly pipeline: "lake" | "baseline";
  readonly label: string;
  readonly tier: string;
  readonly runId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly jobState: "SUCCEEDED" | "FAILED" | "NOT_STARTED";
  readonly jobMessage: string;
  readonly tables: readonly TableLine[];
  readonly crawl: CrawlDecision;
  readonly alerts: readonly string[];
  /** The access audit after the job (before finalize) and after finalize (governed lake only). */
  readonly access: readonly AccessPoint[];
}

export interface RunHandle {
  readonly label: string;
  readonly tier: string;
  readonly runId: string;
  readonly startedAt: number;
  /** The local job run, when a job was started. */
  readonly jobRunId: string | undefined;
}

/** A lake table to verify against its source. */
export interface VerifyTarget {
  readonly name: string;
  readonly sourceName: string;
  readonly primaryKey: readonly string[];
  /** Iceberg identifier (catalog.db.table) of the full copy, or the raw folder the baseline appends to. */
  readonly iceberg: string | undefined;
  readonly rawPath: string | undefined;
}

export interface Pipeline {
  readonly kind: "lake" | "baseline";
  /** Fires the tier's schedule event (the job starts in the background). */
  start(tier: string, label: string, scheduledAt: Date): Promise<RunHandle>;
  /** Waits for the job, delivers its end event, and reports the run. */
  finish(handle: RunHandle): Promise<RunReport>;
  /**
   * An operator's manual run (the coordinator's manual event), e.g. `lake reload <table>`.
   * undefined when the pipeline has no such thing (the baseline just plays on).
   */
  manual(label: string, tier: string, tables: readonly string[], options: { readonly reload: boolean }): Promise<RunHandle | undefined>;
  /** Tables the run's job has finished so far. */
  finishedTables(handle: RunHandle): readonly string[];
  /** The run's job has ended (true when no job was started). */
  jobEnded(handle: RunHandle): boolean;
  /** tables.yaml changed: a new deployment reads it (Lambda bundle / blueprint edit). */
  redeploy(): void;
  /** Tables to compare with the source at the end. */
  verifyTargets(): VerifyTarget[];
  /** Spark properties file to read this pipeline's lake with. */
  readonly sparkProperties: string;
}
