/** Records the coordinator reads and writes, independent of how they are stored. */

export type WatermarkKind = "timestamp" | "integer" | "checksum";

export interface Watermark {
  readonly kind: WatermarkKind;
  readonly value: string;
}

export type TableStatus = "LOADED" | "UNCHANGED" | "FAILED";

/** One `table#<name>` item of the state table (see handlers/contracts/STATE.md). */
export interface TableState {
  readonly table: string;
  readonly leaseRunId?: string;
  readonly leaseTier?: string;
  readonly leaseExpiresAt?: number;
  readonly watermark?: Watermark;
  readonly schemaFingerprint?: string;
  readonly catalogFingerprint?: string;
  readonly lastRunId?: string;
  readonly lastStatus?: string;
  /** Run whose failure lastStatus FAILED records. */
  readonly failedRunId?: string;
  readonly lastError?: string;
  readonly lastLoadedAt?: string;
  readonly rowsRead?: number;
  readonly rowsWritten?: number;
  /** ISO-8601 UTC of the last reconcile the job committed. */
  readonly lastReconciledAt?: string;
  /** Rows that reconcile deleted, updated and inserted in all. */
  readonly lastReconcileRepairs?: number;
  /** Whether that reconcile found the full copy equal to the source (before any repair). */
  readonly lastReconcileEqual?: boolean;
}

export type RunStatus = "STARTING" | "RUNNING" | "START_FAILED" | "FINALIZING" | "FINALIZED";

export type Trigger = "schedule" | "manual";

/** One `run#<run id>` item. */
export interface RunRecord {
  readonly runId: string;
  readonly tier: string;
  readonly trigger: Trigger;
  readonly status: RunStatus;
  /** ISO-8601 UTC: when the run was planned. */
  readonly createdAt: string;
  /** ISO-8601 UTC: the schedule time of a scheduled run (the run's lag is measured from it). */
  readonly scheduledAt?: string;
  readonly manifestKey?: string;
  readonly jobName?: string;
  readonly jobRunId?: string;
  readonly tables: readonly string[];
}

/** A table another live run holds: skipped and reported, never loaded twice. */
export interface BusyTable {
  readonly table: string;
  readonly holderRunId: string | undefined;
  readonly holderTier: string | undefined;
  readonly expiresAt: number | undefined;
}

export interface LeaseResult {
  /** Leased tables with the watermark they had when leased (null: never loaded). */
  readonly leased: ReadonlyMap<string, Watermark | null>;
  readonly busy: readonly BusyTable[];
  /**
   * lastReconciledAt of the leased tables that have one, read from the same items as the
   * watermarks (no extra call). Absent: the store does not say, and every reconcile counts as due.
   */
  readonly lastReconciledAt?: ReadonlyMap<string, string>;
}
