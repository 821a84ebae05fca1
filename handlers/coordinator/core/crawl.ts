/**
 * Crawler skipping. The raw zone is crawled only for tables that are new to the catalog or whose
 * schema fingerprint changed since the crawler last saw them, and then only over exactly those
 * tables' raw prefixes (each ends with "/", so customer never matches customer_address).
 */
import { lakeColumnName, type LakeModel, type TableSpec } from "../../../model";
import { rawTableUri } from "./manifest";
import type { TableState } from "./types";
import type { TableOutcome } from "./outcome";

/** New to the catalog (never catalogued) or its schema changed since the last crawl. */
export function schemaNeedsCrawl(state: TableState | undefined): boolean {
  return state?.schemaFingerprint !== undefined && state.schemaFingerprint !== state.catalogFingerprint;
}

/** Tables this run loaded whose schema the catalog has not seen. */
export function crawlRequests(outcomes: readonly TableOutcome[], states: ReadonlyMap<string, TableState>): string[] {
  return outcomes.filter((o) => o.kind === "loaded" && schemaNeedsCrawl(states.get(o.table))).map((o) => o.table);
}

export interface DomainCrawl {
  readonly domain: string;
  /** Tables to crawl now, in a stable order. */
  readonly tables: readonly TableSpec[];
  /** S3 targets: exactly these tables' raw prefixes. */
  readonly targets: readonly string[];
}

export interface PendingPlan {
  /** One entry per domain with something to crawl. */
  readonly crawls: readonly DomainCrawl[];
  /** Pending names that need nothing (already catalogued, or no longer in tables.yaml). */
  readonly drop: readonly string[];
}

/**
 * Plans crawls for the pending set: a name not in the model is dropped (its table is no longer
 * managed), a table whose catalog is current is dropped, the rest is grouped by domain.
 */
export function planPendingCrawls(
  model: LakeModel,
  pending: readonly string[],
  states: ReadonlyMap<string, TableState>,
  rawBucket: string,
): PendingPlan {
  const byName = new Map(model.tables.map((t) => [t.name, t]));
  const drop: string[] = [];
  const byDomain = new Map<string, TableSpec[]>();
  for (const name of [...new Set(pending)].sort()) {
    const spec = byName.get(name);
    if (!spec || !schemaNeedsCrawl(states.get(name))) {
      drop.push(name);
      continue;
    }
    const list = byDomain.get(spec.domain) ?? [];
    list.push(spec);
    byDomain.set(spec.domain, list);
  }
  const crawls = [...byDomain.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([domain, tables]) => ({ domain, tables, targets: tables.map((t) => rawTableUri(rawBucket, t)) }));
  return { crawls, drop };
}

/** Glue lower-cases column names; LF column tags must name the catalog's spelling. */
export function catalogColumnNames(columns: readonly string[]): string[] {
  return [...new Set(columns.map(lakeColumnName))];
}
