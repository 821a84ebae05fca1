/**
 * What the run's reconciles found, for finalize's alert and metrics. The job's result
 * (<manifest>.result.json, handlers/ingest/lake_ingest/job.py) carries each table's full
 * reconcile statistics; when it cannot be read, the table's state item still says how many rows
 * its last reconcile repaired (STATE.md), without the split into deleted, updated and inserted.
 */
import type { TableState } from "./types";

export interface RepairCounts {
  readonly deleted: number;
  readonly updated: number;
  readonly inserted: number;
}

export interface ReconcileOutcome {
  readonly table: string;
  /** undefined when only the state item told (it does not record the mode). */
  readonly mode: "verify" | "repair" | undefined;
  /** Equal to the source before any repair; undefined when unknown. */
  readonly equal: boolean | undefined;
  readonly repaired: number;
  /** Present when the job's result was read. */
  readonly counts?: RepairCounts;
  readonly repairAlertRows: number;
}

type Dict = Readonly<Record<string, unknown>>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
const count = (d: Dict, key: string): number | undefined => {
  const v = d[key];
  return typeof v === "number" && Number.isInteger(v) && v >= 0 ? v : undefined;
};

/**
 * The reconcile statistics of each table in the job's result text, by table name. Tables
 * without a (well-formed) reconcile object are left out; a text that is no result is an error.
 */
export function reconcileStatsOfResult(
  text: string,
  defaultAlertRows: (table: string) => number,
): Map<string, ReconcileOutcome> | { readonly error: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return { error: `job result is not JSON: ${(error as Error).message}` };
  }
  if (!isDict(doc) || !Array.isArray(doc["tables"])) return { error: 'job result has no "tables" list' };
  const out = new Map<string, ReconcileOutcome>();
  for (const entry of doc["tables"] as unknown[]) {
    if (!isDict(entry) || typeof entry["name"] !== "string" || !isDict(entry["reconcile"])) continue;
    const r = entry["reconcile"];
    const deleted = count(r, "rowsDeleted");
    const updated = count(r, "rowsUpdated");
    const inserted = count(r, "rowsInserted");
    if (deleted === undefined || updated === undefined || inserted === undefined) continue;
    const table = entry["name"];
    out.set(table, {
      table,
      mode: r["mode"] === "verify" || r["mode"] === "repair" ? r["mode"] : undefined,
      equal: typeof r["equal"] === "boolean" ? r["equal"] : undefined,
      repaired: deleted + updated + inserted,
      counts: { deleted, updated, inserted },
      repairAlertRows: count(r, "repairAlertRows") ?? defaultAlertRows(table),
    });
  }
  return out;
}

/**
 * A reconcile this run committed, told by the state item alone: the item names the run and its
 * lastReconciledAt is not before the run was planned (an older reconcile is another run's).
 */
export function reconcileOfState(
  runId: string,
  runCreatedAt: string,
  state: TableState | undefined,
  alertRows: number,
): ReconcileOutcome | undefined {
  if (state === undefined || state.lastRunId !== runId || state.lastReconciledAt === undefined) return undefined;
  const at = Date.parse(state.lastReconciledAt);
  const created = Date.parse(runCreatedAt);
  if (Number.isNaN(at) || Number.isNaN(created) || at < created) return undefined;
  return {
    table: state.table,
    mode: undefined,
    equal: state.lastReconcileEqual,
    repaired: state.lastReconcileRepairs ?? 0,
    repairAlertRows: alertRows,
  };
}

/** More rows repaired than the table tolerates: its strategy misses changes. A verify repairs nothing. */
export function repairsNeedAlert(outcome: ReconcileOutcome): boolean {
  return outcome.mode !== "verify" && outcome.repaired > outcome.repairAlertRows;
}

export function repairAlertReason(outcome: ReconcileOutcome): string {
  const split = outcome.counts
    ? ` (deleted ${outcome.counts.deleted}, updated ${outcome.counts.updated}, inserted ${outcome.counts.inserted})`
    : "";
  return `reconcile repaired ${outcome.repaired} rows${split}: its strategy misses changes`;
}
