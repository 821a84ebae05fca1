/**
 * Finalize's view of the run's reconciles: the job's result file first (full statistics), the
 * state items for tables it does not cover. Reading the result never fails a finalize: a
 * problem is logged and the state items answer.
 */
import { RECONCILE_DEFAULTS } from "../../../model";
import { reconcileOfState, reconcileStatsOfResult, type ReconcileOutcome } from "../core/reconcileOutcome";
import type { RunRecord, TableState } from "../core/types";
import { errorText, type FlowContext } from "./context";

/** The manifests' and the results' prefixes in the scripts bucket: the job's role reads the first and writes only the second. */
export const MANIFEST_PREFIX = "manifests/";
export const RESULT_PREFIX = "results/";

/**
 * Where the job writes the result of the run whose manifest is at manifestKey; the same rule as
 * result_uri_for in handlers/ingest/lake_ingest/job.py (test/coordinator/resultKey.test.ts runs both).
 */
export function resultKey(manifestKey: string): string {
  return RESULT_PREFIX + (manifestKey.startsWith(MANIFEST_PREFIX) ? manifestKey.slice(MANIFEST_PREFIX.length) : manifestKey);
}

async function fromResultFile(
  ctx: FlowContext,
  run: RunRecord,
  alertRowsOf: (table: string) => number,
): Promise<ReadonlyMap<string, ReconcileOutcome>> {
  const { manifests, log } = ctx.ports;
  if (run.manifestKey === undefined || manifests.get === undefined) return new Map();
  const key = resultKey(run.manifestKey);
  try {
    const text = await manifests.get(key);
    if (text === undefined) {
      log.info("reconcile.result_absent", { runId: run.runId, key });
      return new Map();
    }
    const parsed = reconcileStatsOfResult(text, alertRowsOf);
    if (!(parsed instanceof Map)) {
      log.warn("reconcile.result_unreadable", { runId: run.runId, key, error: parsed.error });
      return new Map();
    }
    return parsed;
  } catch (error) {
    log.warn("reconcile.result_unreadable", { runId: run.runId, key, error: errorText(error) });
    return new Map();
  }
}

export async function reconcileOutcomes(
  ctx: FlowContext,
  run: RunRecord,
  states: ReadonlyMap<string, TableState>,
): Promise<ReconcileOutcome[]> {
  const alertRows = new Map(ctx.model.tables.map((t) => [t.name, t.reconcileAlertRows]));
  const alertRowsOf = (table: string): number => alertRows.get(table) ?? RECONCILE_DEFAULTS.reconcileAlertRows;
  const reported = await fromResultFile(ctx, run, alertRowsOf);
  return run.tables.flatMap((table) => {
    const outcome = reported.get(table) ?? reconcileOfState(run.runId, run.createdAt, states.get(table), alertRowsOf(table));
    return outcome ? [outcome] : [];
  });
}
