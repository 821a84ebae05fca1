/** Proposed tables.yaml entries for source tables that are not onboarded yet. */
import type { SourceSchema, SourceTable } from "../introspect";
import { lakeNameProblem, sourceNameProblem, type LakeModel } from "../../model";
import { guessDomain, type DomainGuess, type DomainMap } from "./domain";
import { looksLikePii } from "./pii";
import { chooseStrategy, type StrategyChoice } from "./strategy";

/** Field order as written into tables.yaml (the example file's order). */
export interface ProposedEntry {
  name: string;
  source?: string;
  domain: string;
  tier: string;
  strategy: StrategyChoice["strategy"];
  cursor?: string;
  key?: string;
  primaryKey?: string[];
  pii?: string[];
  /** Every other column: classified not personal, visible to roles not cleared for PII (review with pii). */
  nonPii?: string[];
  description: string;
}

export interface Proposal {
  readonly sourceTable: SourceTable;
  readonly entry: ProposedEntry;
  readonly domain: DomainGuess;
  readonly strategy: StrategyChoice;
}

export interface Skipped {
  readonly source: string;
  readonly reason: string;
}

export interface ProposeOptions {
  readonly domainMap: DomainMap;
  /** Tier of new tables; default: the catch-all (syncsAllTables) tier. */
  readonly tier?: string;
}

/** Source names already onboarded (exact, case-sensitive: `source`, or `name` when no source is given). */
export function onboardedSources(model: LakeModel): Set<string> {
  return new Set(model.tables.map((t) => t.source));
}

export function notOnboarded(schema: SourceSchema, model: LakeModel): SourceTable[] {
  const known = onboardedSources(model);
  return schema.tables.filter((t) => !known.has(t.name));
}

/** Order_Line_Notes -> order_line_notes, OrderLineNotes -> order_line_notes, 2024-import -> t_2024_import. */
export function snakeCase(name: string): string {
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  return (/^[a-z]/.test(snake) ? snake : `t_${snake}`).slice(0, 64);
}

/**
 * A lake-safe, unused name: the snake-cased source name; when that is a reserved word or taken,
 * prefixed with the domain (return -> sales_return), else suffixed with "_table", else numbered.
 */
export function lakeNameFor(source: string, domain: string, taken: ReadonlySet<string>): string {
  const base = snakeCase(source);
  const candidates = [base, `${domain}_${base}`.slice(0, 64), `${base.slice(0, 58)}_table`];
  for (const candidate of candidates) {
    if (!lakeNameProblem(candidate) && !taken.has(candidate)) return candidate;
  }
  for (let n = 2; ; n++) {
    const candidate = `${candidates[1].slice(0, 58)}_${n}`;
    if (!lakeNameProblem(candidate) && !taken.has(candidate)) return candidate;
  }
}

export function propose(schema: SourceSchema, model: LakeModel, options: ProposeOptions): { proposals: Proposal[]; skipped: Skipped[] } {
  const taken = new Set(model.tables.map((t) => t.name));
  const tier = options.tier ?? model.tiers.find((t) => t.syncsAllTables)?.name ?? model.tiers[0].name;
  const proposals: Proposal[] = [];
  const skipped: Skipped[] = [];
  for (const table of notOnboarded(schema, model)) {
    const problem = sourceNameProblem(table.name) ?? table.columns.map((c) => sourceNameProblem(c.name)).find(Boolean);
    if (problem) {
      skipped.push({ source: table.name, reason: `the source name or one of its columns cannot be addressed safely: ${problem}` });
      continue;
    }
    const domain = guessDomain(table.name, model, options.domainMap);
    const strategy = chooseStrategy(table);
    const name = lakeNameFor(table.name, domain.domain, taken);
    taken.add(name);
    const structural = new Set([...table.primaryKey, ...(strategy.column ? [strategy.column] : [])]);
    const pii = table.columns.map((c) => c.name).filter((c) => !structural.has(c) && looksLikePii(c));
    const nonPii = table.columns.map((c) => c.name).filter((c) => !pii.includes(c));
    const entry: ProposedEntry = {
      name,
      ...(name !== table.name ? { source: table.name } : {}),
      domain: domain.domain,
      tier,
      strategy: strategy.strategy,
      ...(strategy.strategy === "incremental" ? { cursor: strategy.column } : {}),
      ...(strategy.strategy === "append" ? { key: strategy.column } : {}),
      ...(table.primaryKey.length > 0 ? { primaryKey: [...table.primaryKey] } : {}),
      ...(pii.length > 0 ? { pii } : {}),
      ...(nonPii.length > 0 ? { nonPii } : {}),
      description: table.comment.trim() || `TODO: describe ${table.name}`,
    };
    proposals.push({ sourceTable: table, entry, domain, strategy });
  }
  return { proposals, skipped };
}
