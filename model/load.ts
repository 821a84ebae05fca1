/** The one loader of tables.yaml: parse with positions, check structure and meaning, build the model. */
import { readFileSync } from "node:fs";
import manifestSchema from "../handlers/contracts/run-manifest.schema.json";
import { parseCron } from "./cron";
import { RECONCILE_DEFAULTS, type ReconcileSchedule } from "./reconcile";
import type { ModelIssue } from "./errors";
import { TablesYamlError } from "./errors";
import { schemaIssues, type RawIssue } from "./schemaCheck";
import { semanticIssues, type SemanticOptions } from "./semantics";
import type { AccessRule, DomainSpec, LakeModel, TableSpec, TierSpec } from "./types";
import { YamlSource } from "./yamlSource";

export type LoadOptions = SemanticOptions;

export interface CheckResult {
  /** Present only when there are no issues. */
  readonly model?: LakeModel;
  readonly issues: readonly ModelIssue[];
}

const DEFAULT_LOOKBACK_MINUTES = 10;
/** Append keys re-read below the watermark: ids taken by transactions that commit out of order (the run manifest schema's default). */
export const DEFAULT_LOOKBACK_KEYS: number = manifestSchema.definitions.tableSpec.properties.lookbackKeys.default;
const DEFAULT_OWNER = "unassigned";

function pinIssue(source: YamlSource, file: string, root: unknown, raw: RawIssue): ModelIssue {
  const { line, column } = source.locate(raw.path, raw.atKey);
  const [section, index, ...rest] = raw.path;
  let table: string | undefined;
  let fieldPath: readonly (string | number)[] = raw.path;
  if (section === "tables" && typeof index === "number") {
    const entry = (root as { tables?: unknown[] }).tables?.[index] as { name?: unknown } | undefined;
    table = typeof entry?.name === "string" ? entry.name : `#${index + 1}`;
    fieldPath = rest;
  }
  const field =
    fieldPath.reduce<string>((acc, seg) => (typeof seg === "number" ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), "") ||
    (table !== undefined ? "(entry)" : "(document)");
  return { file, line, column, table, field, message: raw.message, hint: raw.hint };
}

/** Validates without throwing: every issue at once, and the model when there are none. */
export function checkTablesYaml(text: string, file: string, options: LoadOptions = {}): CheckResult {
  const source = new YamlSource(text);
  if (source.syntaxProblems.length > 0) {
    return {
      issues: source.syntaxProblems.map((p) => ({ file, line: p.line, column: p.column, field: "(syntax)", message: p.message })),
    };
  }
  const root = source.value();
  const raw = [...schemaIssues(root), ...semanticIssues(root, options)];
  const issues = raw.map((r) => pinIssue(source, file, root, r)).sort((a, b) => a.line - b.line || a.column - b.column);
  if (issues.length > 0) return { issues };
  return { model: buildModel(root as RawDocument, file), issues: [] };
}

/** Parses and validates tables.yaml text; throws TablesYamlError listing every problem. */
export function parseTablesYaml(text: string, file: string, options: LoadOptions = {}): LakeModel {
  const result = checkTablesYaml(text, file, options);
  if (!result.model) throw new TablesYamlError(result.issues);
  return result.model;
}

/** Reads and validates a tables.yaml file. */
export function loadTablesYaml(file: string, options: LoadOptions = {}): LakeModel {
  return parseTablesYaml(readFileSync(file, "utf8"), file, options);
}

// The document's shape once the schema has accepted it.
interface RawTable {
  name: string;
  source?: string;
  domain: string;
  tier: string;
  strategy: TableSpec["strategy"];
  cursor?: string;
  key?: string;
  primaryKey?: string[];
  pii?: string[];
  nonPii?: string[];
  lookbackMinutes?: number;
  lookbackKeys?: number;
  description: string;
  owner?: string;
  enabled?: boolean;
  reconcile?: ReconcileSchedule;
  reconcileAlertRows?: number;
}
interface RawDocument {
  defaults?: { lookbackMinutes?: number; owner?: string; reconcile?: ReconcileSchedule; reconcileAlertRows?: number };
  tiers: Record<string, { schedule: string; timezone?: string; workdaysOnly?: boolean; syncsAllTables?: boolean; description?: string }>;
  domains: Record<string, { description: string; owner?: string }>;
  access: Record<string, { domains: string[]; pii: boolean; description?: string }>;
  tables: RawTable[];
}

function buildModel(doc: RawDocument, file: string): LakeModel {
  const defaultOwner = doc.defaults?.owner ?? DEFAULT_OWNER;
  const tiers: TierSpec[] = Object.entries(doc.tiers).map(([name, t]) => ({
    name,
    schedule: t.schedule,
    cron: parseCron(t.schedule),
    timezone: t.timezone,
    workdaysOnly: t.workdaysOnly ?? false,
    syncsAllTables: t.syncsAllTables ?? false,
    description: t.description,
  }));
  const domains: DomainSpec[] = Object.entries(doc.domains).map(([name, d]) => ({
    name,
    description: d.description,
    owner: d.owner ?? defaultOwner,
  }));
  const access: AccessRule[] = Object.entries(doc.access).map(([role, a]) => ({
    role,
    domains: a.domains,
    pii: a.pii,
    description: a.description,
  }));
  const ownerOf = new Map(domains.map((d) => [d.name, d.owner]));
  const tables: TableSpec[] = doc.tables.map((t) => {
    const base = {
      name: t.name,
      source: t.source ?? t.name,
      domain: t.domain,
      tier: t.tier,
      pii: t.pii ?? [],
      nonPii: t.nonPii ?? [],
      description: t.description,
      owner: t.owner ?? ownerOf.get(t.domain) ?? defaultOwner,
      enabled: t.enabled ?? true,
      reconcile: t.reconcile ?? doc.defaults?.reconcile ?? RECONCILE_DEFAULTS.reconcile,
      reconcileAlertRows: t.reconcileAlertRows ?? doc.defaults?.reconcileAlertRows ?? RECONCILE_DEFAULTS.reconcileAlertRows,
    };
    switch (t.strategy) {
      case "incremental":
        return {
          ...base,
          strategy: "incremental",
          cursor: t.cursor as string,
          primaryKey: t.primaryKey ?? [],
          lookbackMinutes: t.lookbackMinutes ?? doc.defaults?.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES,
        };
      case "append":
        return {
          ...base,
          strategy: "append",
          key: t.key as string,
          primaryKey: t.primaryKey ?? [t.key as string],
          lookbackKeys: t.lookbackKeys ?? DEFAULT_LOOKBACK_KEYS,
        };
      case "snapshot":
        return { ...base, strategy: "snapshot", primaryKey: t.primaryKey ?? [] };
    }
  });
  return { file, tiers, domains, access, tables };
}
