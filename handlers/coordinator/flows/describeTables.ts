/**
 * Raw tables' catalog description (core/catalogDescription.ts), reconciled every finalize like
 * the PII tags: the crawler creates and rewrites raw tables, so what they show is brought back
 * each run, and set only where it differs. Column comments come from the job's result file
 * (tables[].catalogMetadata.columnDocs: the source's comments with the PII mark, as the job put
 * them on the full copy); without it, columns are left as they are. Failures are returned,
 * never thrown.
 */
import { catalogDatabaseName, type TableSpec } from "../../../model";
import { describeTable } from "../core/catalogDescription";
import type { RunRecord, TableState } from "../core/types";
import { errorText, type FlowContext } from "./context";
import { resultKey } from "./reconcileReport";

export interface DescribeFailure {
  readonly table: string;
  readonly reason: string;
}

/** Column docs per table from a job result's text; tables without them are absent. */
export function columnDocsOfResult(text: string): Map<string, Map<string, string>> {
  const docs = new Map<string, Map<string, string>>();
  const parsed = JSON.parse(text) as { tables?: { name?: unknown; catalogMetadata?: { columnDocs?: unknown } }[] };
  for (const table of parsed.tables ?? []) {
    const columnDocs = table.catalogMetadata?.columnDocs;
    if (typeof table.name !== "string" || typeof columnDocs !== "object" || columnDocs === null) continue;
    const entries = Object.entries(columnDocs as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string");
    docs.set(table.name, new Map(entries.map(([column, doc]) => [column.toLowerCase(), doc])));
  }
  return docs;
}

/** The column docs the run's job reported; empty when its result is absent or unreadable (logged). */
export async function reportedColumnDocs(ctx: FlowContext, run: RunRecord): Promise<Map<string, Map<string, string>>> {
  const { manifests, log } = ctx.ports;
  if (run.manifestKey === undefined || manifests.get === undefined) return new Map();
  const key = resultKey(run.manifestKey);
  try {
    const text = await manifests.get(key);
    return text === undefined ? new Map() : columnDocsOfResult(text);
  } catch (error) {
    log.warn("catalog.result_unreadable", { runId: run.runId, key, error: errorText(error) });
    return new Map();
  }
}

export async function describeRawTables(
  ctx: FlowContext,
  tables: readonly string[],
  states: ReadonlyMap<string, TableState>,
  columnDocs: ReadonlyMap<string, ReadonlyMap<string, string>>,
): Promise<DescribeFailure[]> {
  const describer = ctx.ports.describer;
  if (describer === undefined) return [];
  const byName = new Map(ctx.model.tables.map((t) => [t.name, t]));
  const failed: DescribeFailure[] = [];
  for (const name of tables) {
    const spec: TableSpec | undefined = byName.get(name);
    if (spec === undefined) continue;
    const database = catalogDatabaseName(ctx.config.databasePrefix, spec.domain, "raw");
    try {
      const desired = describeTable(spec, states.get(name)?.lastLoadedAt, columnDocs.get(name));
      const result = await describer.describe(database, name, desired);
      if (result.exists && (result.change.description || result.change.parameters.length > 0 || result.change.columns.length > 0))
        ctx.ports.log.info("catalog.described", { database, table: name, ...result.change });
    } catch (error) {
      failed.push({ table: `${database}.${name}`, reason: `catalog description not set: ${errorText(error)}` });
    }
  }
  return failed;
}
