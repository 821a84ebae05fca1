/** Differences between tables.yaml and the source schema, each marked as needing action or not. */
import { looksLikePii } from "./onboard/pii";
import type { SourceSchema } from "./introspect";
import { columnClasses, type LakeModel, type TableSpec } from "../model";

export type DriftKind =
  "missing-table" | "gone-column" | "not-onboarded" | "new-column" | "unlisted-pii" | "unclassified" | "disabled-missing";

export interface DriftFinding {
  readonly kind: DriftKind;
  /** action: a load would fail or lose data (exit 1); info: worth a look. */
  readonly severity: "action" | "info";
  /** Lake name when onboarded. */
  readonly table?: string;
  /** Exact source name. */
  readonly source: string;
  readonly column?: string;
  readonly message: string;
}

export interface DriftReport {
  readonly source: string;
  readonly file: string;
  readonly findings: readonly DriftFinding[];
  /** Columns of every onboarded table found at the source: a baseline for the next run's new columns. */
  readonly columns: Readonly<Record<string, readonly string[]>>;
}

/** Columns the table's load depends on, with their role. */
function usedColumns(table: TableSpec): { column: string; role: string }[] {
  const used = [
    ...(table.strategy === "incremental" ? [{ column: table.cursor, role: "cursor" }] : []),
    ...(table.strategy === "append" ? [{ column: table.key, role: "key" }] : []),
    ...table.primaryKey.map((column) => ({ column, role: "primaryKey" })),
    ...table.pii.map((column) => ({ column, role: "pii" })),
  ];
  return used.filter((u, i) => used.findIndex((v) => v.column === u.column) === i);
}

export function findDrift(model: LakeModel, schema: SourceSchema, baseline?: Readonly<Record<string, readonly string[]>>): DriftReport {
  const findings: DriftFinding[] = [];
  const atSource = new Map(schema.tables.map((t) => [t.name, t]));
  const columns: Record<string, string[]> = {};
  for (const table of model.tables) {
    const found = atSource.get(table.source);
    if (!found) {
      findings.push({
        kind: table.enabled ? "missing-table" : "disabled-missing",
        severity: table.enabled ? "action" : "info",
        table: table.name,
        source: table.source,
        message: `table ${table.name}: source table ${table.source} is missing in ${schema.schema}` + (table.enabled ? "" : " (disabled)"),
      });
      continue;
    }
    const names = found.columns.map((c) => c.name);
    columns[table.source] = names;
    for (const { column, role } of usedColumns(table)) {
      if (names.includes(column)) continue;
      findings.push({
        kind: "gone-column",
        severity: "action",
        table: table.name,
        source: table.source,
        column,
        message: `table ${table.name}, field ${role}: column ${column} is gone from ${table.source}`,
      });
    }
    const structural = new Set(usedColumns(table).map((u) => u.column));
    for (const name of names) {
      if (!structural.has(name) && looksLikePii(name)) {
        findings.push({
          kind: "unlisted-pii",
          severity: "info",
          table: table.name,
          source: table.source,
          column: name,
          message: `table ${table.name}, field pii: column ${name} looks like personal data but is not listed`,
        });
      }
    }
    // Fail closed: a column in neither pii nor nonPii inherits pii=true; nothing is lost, but roles
    // not cleared for PII do not see it until someone classifies it.
    const classes = columnClasses(table);
    for (const name of names.filter((n) => !classes.has(n.toLowerCase()))) {
      findings.push({
        kind: "unclassified",
        severity: "info",
        table: table.name,
        source: table.source,
        column: name,
        message: `table ${table.name}, field nonPii: column ${name} is hidden, needs classification (list it in pii or nonPii)`,
      });
    }
    const known = baseline?.[table.source];
    for (const name of known ? names.filter((n) => !known.includes(n)) : []) {
      findings.push({
        kind: "new-column",
        severity: "info",
        table: table.name,
        source: table.source,
        column: name,
        message: `table ${table.name}: new column ${name} (the job loads it; the crawler catalogs it)`,
      });
    }
  }
  const onboarded = new Set(model.tables.map((t) => t.source));
  for (const t of schema.tables.filter((s) => !onboarded.has(s.name))) {
    findings.push({
      kind: "not-onboarded",
      severity: "info",
      source: t.name,
      message: `source table ${t.name} is not in ${model.file} (lake onboard proposes an entry)`,
    });
  }
  return { source: schema.url, file: model.file, findings, columns };
}
