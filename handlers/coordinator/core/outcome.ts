/** What became of each table of a finished run, read from the state the job left behind. */
import type { TableState } from "./types";

export type TableOutcome =
  | {
      readonly table: string;
      readonly kind: "loaded";
      readonly status: "LOADED" | "UNCHANGED";
      readonly rowsRead: number;
      readonly rowsWritten: number;
    }
  /** The job recorded a failure (watermark untouched, lease returned). */
  | { readonly table: string; readonly kind: "failed"; readonly reason: string }
  /** The run still holds the lease: the job never committed it. Finalize returns the lease. */
  | { readonly table: string; readonly kind: "unfinished"; readonly reason: string }
  /** Another run owns or committed the table since (or its item vanished): not this run's to judge. */
  | { readonly table: string; readonly kind: "superseded"; readonly holderRunId: string | undefined };

export interface JobEnd {
  readonly state: string;
  readonly message: string;
}

export function classifyTable(runId: string, table: string, state: TableState | undefined, job: JobEnd): TableOutcome {
  if (state === undefined) return { table, kind: "superseded", holderRunId: undefined };
  if (state.leaseRunId === runId) {
    const why = job.message ? `: ${job.message}` : "";
    return { table, kind: "unfinished", reason: `job run ended ${job.state} before the table was committed${why}` };
  }
  if (state.lastRunId === runId && (state.lastStatus === "LOADED" || state.lastStatus === "UNCHANGED")) {
    return { table, kind: "loaded", status: state.lastStatus, rowsRead: state.rowsRead ?? 0, rowsWritten: state.rowsWritten ?? 0 };
  }
  // A failure names its run (failedRunId); items written before that field existed fall back to
  // "FAILED and nobody has leased it since".
  const failedHere = state.failedRunId === undefined ? state.leaseRunId === undefined : state.failedRunId === runId;
  if (state.lastStatus === "FAILED" && failedHere) {
    return { table, kind: "failed", reason: state.lastError ?? "the job recorded a failure without a reason" };
  }
  return { table, kind: "superseded", holderRunId: state.leaseRunId ?? state.lastRunId };
}

export function classifyRun(
  runId: string,
  tables: readonly string[],
  states: ReadonlyMap<string, TableState>,
  job: JobEnd,
): TableOutcome[] {
  return tables.map((t) => classifyTable(runId, t, states.get(t), job));
}

export interface OutcomeCounts {
  readonly loaded: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly superseded: number;
  readonly rowsRead: number;
  readonly rowsWritten: number;
}

export function countOutcomes(outcomes: readonly TableOutcome[]): OutcomeCounts {
  let loaded = 0,
    unchanged = 0,
    failed = 0,
    superseded = 0,
    rowsRead = 0,
    rowsWritten = 0;
  for (const o of outcomes) {
    if (o.kind === "loaded") {
      if (o.status === "UNCHANGED") unchanged++;
      else loaded++;
      rowsRead += o.rowsRead;
      rowsWritten += o.rowsWritten;
    } else if (o.kind === "superseded") superseded++;
    else failed++;
  }
  return { loaded, unchanged, failed, superseded, rowsRead, rowsWritten };
}

/** Failed and unfinished tables with their reasons, for the alert. */
export function failures(outcomes: readonly TableOutcome[]): { table: string; reason: string }[] {
  return outcomes.flatMap((o) => (o.kind === "failed" || o.kind === "unfinished" ? [{ table: o.table, reason: o.reason }] : []));
}
