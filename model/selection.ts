/** Which tables a tier runs, and other views of the model its consumers share. */
import type { LakeModel, TableSpec, TierSpec } from "./types";

export function findTier(model: LakeModel, name: string): TierSpec {
  const tier = model.tiers.find((t) => t.name === name);
  if (!tier) throw new Error(`unknown tier "${name}" (tiers in ${model.file}: ${model.tiers.map((t) => t.name).join(", ")})`);
  return tier;
}

/** Enabled tables a run of the tier loads: its own, or every enabled table for the catch-all tier. */
export function tablesForTier(model: LakeModel, tierName: string): TableSpec[] {
  const tier = findTier(model, tierName);
  return model.tables.filter((t) => t.enabled && (tier.syncsAllTables || t.tier === tier.name));
}

export function tablesInDomain(model: LakeModel, domain: string): TableSpec[] {
  return model.tables.filter((t) => t.domain === domain);
}

/** The tier's time zone, or the business time zone when the tier names none. */
export function tierTimeZone(tier: TierSpec, businessTimeZone: string): string {
  return tier.timezone ?? businessTimeZone;
}
