/**
 * PII classification of catalog columns, shared by the coordinator's tag reconciler and
 * `lake access`. The catalog databases carry pii=true, so a column is visible to roles not
 * cleared for PII only when it is explicitly tagged pii=false: a column tables.yaml lists in
 * `nonPii`, or one the lake itself adds (lineage, raw partitions). Everything else fails closed.
 */
import { lakeColumnName } from "./naming";
import type { TableSpec } from "./types";

/** Columns the ingest job adds (lineage on every row, the raw zone's partition folders): never personal. */
export const LAKE_COLUMNS: readonly string[] = ["_ingested_at", "_run_id", "ingest_date", "run"];

export type ColumnClass = "pii" | "nonPii";

/** Column (catalog spelling: lower case) -> its classification; a column absent from the map is unclassified. */
export function columnClasses(table: Pick<TableSpec, "pii" | "nonPii">): Map<string, ColumnClass> {
  const classes = new Map<string, ColumnClass>();
  for (const column of LAKE_COLUMNS) classes.set(column, "nonPii");
  for (const column of table.nonPii) classes.set(lakeColumnName(column), "nonPii");
  // pii last: the model rejects a column in both lists, and if one slipped through it stays hidden.
  for (const column of table.pii) classes.set(lakeColumnName(column), "pii");
  return classes;
}

/** The pii tag value a column must carry itself: "false" reveals, "true" hides, undefined inherits (hidden). */
export function desiredColumnTag(classes: ReadonlyMap<string, ColumnClass>, column: string): "true" | "false" | undefined {
  const cls = classes.get(lakeColumnName(column));
  return cls === undefined ? undefined : cls === "pii" ? "true" : "false";
}
