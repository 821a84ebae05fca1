/**
 * Which leased tables a run reconciles. A manual event that asks for a reconcile gets it for
 * every table it names; a scheduled run of the catch-all tier reconciles (mode repair) the
 * tables whose tables.yaml schedule says they are due; no other run reconciles anything.
 * A table without a watermark is read whole by this run's load (first load), which a reconcile
 * right after could only confirm: its first reconcile is planned on the next catch-all run
 * (lastReconciledAt is still missing then, so it is due).
 */
import { findTier, reconcileDue, type LakeModel, type TableSpec } from "../../../model";
import type { ManualEvent, ScheduleEvent } from "./events";
import type { ManifestReconcile } from "./manifest";
import type { Watermark } from "./types";

export function planReconciles(
  model: LakeModel,
  event: ScheduleEvent | ManualEvent,
  tables: readonly TableSpec[],
  lease: { readonly leased: ReadonlyMap<string, Watermark | null>; readonly lastReconciledAt?: ReadonlyMap<string, string> },
  now: Date,
): Map<string, ManifestReconcile> {
  const planned = new Map<string, ManifestReconcile>();
  if (event.kind === "manual") {
    if (event.reconcile === undefined) return planned;
    for (const t of tables) {
      planned.set(t.name, { mode: event.reconcile, skipLoad: event.skipLoad === true, repairAlertRows: t.reconcileAlertRows });
    }
    return planned;
  }
  if (!findTier(model, event.tier).syncsAllTables) return planned;
  for (const t of tables) {
    const firstLoad = (lease.leased.get(t.name) ?? null) === null;
    if (!firstLoad && reconcileDue(t.reconcile, lease.lastReconciledAt?.get(t.name), now)) {
      planned.set(t.name, { mode: "repair", skipLoad: false, repairAlertRows: t.reconcileAlertRows });
    }
  }
  return planned;
}
