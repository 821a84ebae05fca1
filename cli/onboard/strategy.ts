/**
 * Picks a load strategy from a source table's shape, as a reviewer would:
 *   1. a column the database updates on change (ON UPDATE CURRENT_TIMESTAMP), or a date-time column
 *      named like updated_at / modified_at / last_changed_at / changed_at -> incremental on it;
 *   2. else an auto-increment key (no update-tracking column) -> append on it (insert-only assumed);
 *   3. else snapshot.
 * Incremental and append need a primary key to merge by; without one the table is a snapshot.
 */
import type { SourceColumn, SourceTable } from "../introspect";
import type { Strategy } from "../../model";

export interface StrategyChoice {
  readonly strategy: Strategy;
  /** incremental: the cursor; append: the key. */
  readonly column?: string;
  /** Why, in a few words, for the proposal's comment. */
  readonly reason: string;
}

const TEMPORAL = /^(timestamp|datetime|timestamp with(out)? time zone|timestamptz)$/;
const CURSOR_NAMES = new Set([
  "updatedat",
  "modifiedat",
  "lastchangedat",
  "changedat",
  "lastmodifiedat",
  "lastmodified",
  "lastupdated",
  "lastupdatedat",
  "updatedon",
  "modifiedon",
  "lastchanged",
]);

/** updated_at, UpdatedAt, LAST_CHANGED_AT -> one comparable form. */
export function normalizedColumnName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, "");
}

export function isTemporal(column: SourceColumn): boolean {
  return TEMPORAL.test(column.dataType);
}

export function updateTrackingColumn(table: SourceTable): { column: SourceColumn; byDatabase: boolean } | undefined {
  const byDatabase = table.columns.find((c) => c.updatedByDatabase && isTemporal(c));
  if (byDatabase) return { column: byDatabase, byDatabase: true };
  const byName = table.columns.find((c) => isTemporal(c) && CURSOR_NAMES.has(normalizedColumnName(c.name)));
  return byName ? { column: byName, byDatabase: false } : undefined;
}

export function chooseStrategy(table: SourceTable): StrategyChoice {
  const tracking = updateTrackingColumn(table);
  const hasKey = table.primaryKey.length > 0;
  if (tracking && hasKey) {
    const how = tracking.byDatabase ? "ON UPDATE CURRENT_TIMESTAMP" : `${tracking.column.dataType} set by the application`;
    return { strategy: "incremental", column: tracking.column.name, reason: `${tracking.column.name} is updated on change (${how})` };
  }
  const identity = table.columns.find((c) => c.autoIncrement && table.primaryKey.includes(c.name));
  if (!tracking && identity) {
    return {
      strategy: "append",
      column: identity.name,
      reason: `auto-increment key ${identity.name} and no update-tracking column: insert-only assumed, confirm rows are never updated`,
    };
  }
  if (tracking && !hasKey) {
    return { strategy: "snapshot", reason: `${tracking.column.name} tracks changes but the table has no primary key to merge by` };
  }
  return {
    strategy: "snapshot",
    reason: hasKey ? "no update-tracking column and no auto-increment key" : "no primary key and no change tracking",
  };
}
