/** Which tables a run should load: the tier's tables, or the exact tables a manual event names. */
import { tablesForTier, type LakeModel, type TableSpec } from "../../../model";
import type { ManualEvent, ScheduleEvent } from "./events";

export type DueTables = { readonly ok: true; readonly tables: readonly TableSpec[] } | { readonly ok: false; readonly reason: string };

/**
 * A scheduled run loads the tier's enabled tables (every enabled table for a syncsAllTables
 * tier). A table removed from tables.yaml is simply not here: its state and data stay untouched.
 * A manual run names tables of any tier (the tier only picks the Glue job); an unknown or
 * disabled name rejects the whole event so nothing half-done is leased.
 */
export function dueTables(model: LakeModel, event: ScheduleEvent | ManualEvent): DueTables {
  if (!model.tiers.some((t) => t.name === event.tier)) {
    return { ok: false, reason: `unknown tier "${event.tier}" (tiers in ${model.file}: ${model.tiers.map((t) => t.name).join(", ")})` };
  }
  if (event.kind === "schedule") return { ok: true, tables: tablesForTier(model, event.tier) };
  const byName = new Map(model.tables.map((t) => [t.name, t]));
  const unknown = event.tables.filter((n) => !byName.has(n));
  if (unknown.length > 0) return { ok: false, reason: `manual event names tables not in ${model.file}: ${unknown.join(", ")}` };
  const disabled = event.tables.filter((n) => byName.get(n)?.enabled === false);
  if (disabled.length > 0) return { ok: false, reason: `manual event names disabled tables: ${disabled.join(", ")}` };
  return { ok: true, tables: event.tables.map((n) => byName.get(n) as TableSpec) };
}
