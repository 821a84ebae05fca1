/**
 * Names and paths derived from the model, shared by the components (deploy time), the
 * coordinator (run manifests) and the CLI, so every plane agrees on where a table lives.
 */

/** Glue catalog database of a domain: the full copy (Iceberg) or the raw zone (crawled Parquet). */
export function catalogDatabaseName(prefix: string, domain: string, zone: "full" | "raw"): string {
  return zone === "raw" ? `${prefix}_${domain}_raw` : `${prefix}_${domain}`;
}

/**
 * A source column's name in the lake (catalog, Iceberg, LF tags): lower case, as Glue and the
 * ingest job (SourceColumn.lake_name) store it.
 */
export function lakeColumnName(sourceColumn: string): string {
  return sourceColumn.toLowerCase();
}

/** Raw-zone prefix of a domain (the location registered with Lake Formation). */
export function rawDomainPrefix(domain: string): string {
  return `raw/${domain}/`;
}

/** Raw-zone prefix of one table; ends with "/" so it can never match a longer table name. */
export function rawTablePrefix(domain: string, table: string): string {
  return `${rawDomainPrefix(domain)}${table}/`;
}

/** Warehouse prefix of a domain's Iceberg tables. */
export function warehouseDomainPrefix(domain: string): string {
  return `warehouse/${domain}/`;
}

/** Key of a run's manifest in the scripts/manifests bucket. */
export function manifestKey(tier: string, runId: string): string {
  return `manifests/${tier}/${runId}.json`;
}

/** State-table partition keys: owned by handlers/contracts/state-table.json. */
export { stateKeys } from "../handlers/contracts/stateTable";
