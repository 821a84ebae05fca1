/**
 * What a raw table (created by the crawler) shows in the Glue catalog, and the difference with
 * what it shows now; pure. The same facts the job puts on the full copy
 * (handlers/ingest/lake_ingest/catalog_metadata.py): the description from tables.yaml as the
 * table's Description, lake.* parameters (owner, domain, tier, strategy, source table, PII
 * columns, last load time) and, when the job reported them, the column comments (the source's
 * comment with a PII mark). Parameters other than lake.* (the crawler's) are never touched.
 */
import type { TableSpec } from "../../../model";

export const LAKE_PARAMETER_PREFIX = "lake.";

export interface TableDescription {
  readonly description: string;
  /** The lake.* parameters. */
  readonly parameters: Readonly<Record<string, string>>;
  /** Lake column name (lower case) -> comment; undefined: the columns' comments are left alone. */
  readonly columnComments: ReadonlyMap<string, string> | undefined;
}

/** What the catalog table carries now (GetTable). */
export interface CatalogTableView {
  readonly description: string | undefined;
  readonly parameters: Readonly<Record<string, string>>;
  /** Column name -> comment (undefined when it has none). */
  readonly columns: ReadonlyMap<string, string | undefined>;
}

export interface DescriptionChange {
  readonly description: boolean;
  readonly parameters: readonly string[];
  readonly columns: readonly string[];
}

export function describeTable(
  spec: TableSpec,
  lastLoadedAt: string | undefined,
  columnComments: ReadonlyMap<string, string> | undefined,
): TableDescription {
  const parameters: Record<string, string> = {
    [`${LAKE_PARAMETER_PREFIX}owner`]: spec.owner,
    [`${LAKE_PARAMETER_PREFIX}domain`]: spec.domain,
    [`${LAKE_PARAMETER_PREFIX}tier`]: spec.tier,
    [`${LAKE_PARAMETER_PREFIX}strategy`]: spec.strategy,
    [`${LAKE_PARAMETER_PREFIX}source-table`]: spec.source,
    [`${LAKE_PARAMETER_PREFIX}pii-columns`]: spec.pii
      .map((c) => c.toLowerCase())
      .sort()
      .join(","),
  };
  if (lastLoadedAt !== undefined) parameters[`${LAKE_PARAMETER_PREFIX}last-load-at`] = lastLoadedAt;
  return { description: spec.description, parameters, columnComments };
}

/** The fields that differ (columns: those of the catalog table whose comment differs). */
export function planDescription(current: CatalogTableView, desired: TableDescription): DescriptionChange {
  const parameters = Object.entries(desired.parameters)
    .filter(([key, value]) => current.parameters[key] !== value)
    .map(([key]) => key)
    .sort();
  const columns: string[] = [];
  if (desired.columnComments !== undefined) {
    for (const [name, comment] of current.columns) {
      const wanted = desired.columnComments.get(name.toLowerCase());
      if ((wanted ?? "") !== (comment ?? "")) columns.push(name);
    }
  }
  return { description: current.description !== desired.description, parameters, columns: columns.sort() };
}

export function descriptionIsCurrent(change: DescriptionChange): boolean {
  return !change.description && change.parameters.length === 0 && change.columns.length === 0;
}
