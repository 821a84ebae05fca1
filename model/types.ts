/** The validated, normalized model of tables.yaml. Every consumer reads this, never the YAML. */
import type { CronSchedule } from "./cron";
import type { ReconcileSchedule } from "./reconcile";

export type Strategy = "incremental" | "append" | "snapshot";

export interface TierSpec {
  readonly name: string;
  readonly schedule: string;
  readonly cron: CronSchedule;
  /** IANA zone; undefined means the stack's business time zone. */
  readonly timezone: string | undefined;
  readonly workdaysOnly: boolean;
  readonly syncsAllTables: boolean;
  readonly description: string | undefined;
}

export interface DomainSpec {
  readonly name: string;
  readonly description: string;
  readonly owner: string;
}

export interface AccessRule {
  readonly role: string;
  readonly domains: readonly string[];
  readonly pii: boolean;
  readonly description: string | undefined;
}

interface TableBase {
  /** Lake name (safe unquoted). */
  readonly name: string;
  /** Exact source table name. */
  readonly source: string;
  readonly domain: string;
  readonly tier: string;
  /** Columns identifying a row; empty for a snapshot table without a key. */
  readonly primaryKey: readonly string[];
  /** Columns holding personal data: tagged pii=true. */
  readonly pii: readonly string[];
  /**
   * Columns classified as not personal: tagged pii=false, so roles not cleared for PII see them.
   * Every other column inherits pii=true from its database and stays hidden (fail closed).
   */
  readonly nonPii: readonly string[];
  readonly description: string;
  readonly owner: string;
  readonly enabled: boolean;
  /** How often the catch-all tier reconciles the full copy with the source. */
  readonly reconcile: ReconcileSchedule;
  /** A reconcile repairing more rows than this raises the alert. */
  readonly reconcileAlertRows: number;
}

export interface IncrementalTable extends TableBase {
  readonly strategy: "incremental";
  readonly cursor: string;
  readonly lookbackMinutes: number;
}

export interface AppendTable extends TableBase {
  readonly strategy: "append";
  readonly key: string;
  /** Keys re-read below the watermark (ids committed out of order). */
  readonly lookbackKeys: number;
}

export interface SnapshotTable extends TableBase {
  readonly strategy: "snapshot";
}

export type TableSpec = IncrementalTable | AppendTable | SnapshotTable;

export interface LakeModel {
  /** Path the model was loaded from (for messages). */
  readonly file: string;
  readonly tiers: readonly TierSpec[];
  readonly domains: readonly DomainSpec[];
  readonly access: readonly AccessRule[];
  readonly tables: readonly TableSpec[];
}
