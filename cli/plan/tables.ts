/** What changed between two models, table by table. */
import type { LakeModel, TableSpec } from "../../model";

export interface FieldChange {
  readonly field: string;
  readonly before: string;
  readonly after: string;
}

export interface TableChange {
  readonly name: string;
  readonly changes: readonly FieldChange[];
}

export interface TablesDiff {
  readonly added: readonly TableSpec[];
  readonly removed: readonly TableSpec[];
  /** Tier moves and strategy changes are also listed in `changed`. */
  readonly tierMoves: readonly TableChange[];
  readonly strategyChanges: readonly TableChange[];
  readonly changed: readonly TableChange[];
}

const FIELDS = [
  "source",
  "domain",
  "tier",
  "strategy",
  "cursor",
  "key",
  "primaryKey",
  "pii",
  "lookbackMinutes",
  "lookbackKeys",
  "enabled",
  "owner",
  "description",
  "reconcile",
  "reconcileAlertRows",
] as const;

type Field = (typeof FIELDS)[number];
type FieldValue = string | number | boolean | readonly string[] | undefined;

/** Each compared field, read from the TableSpec variant that has it (cursor, key, lookbacks). */
const FIELD_VALUE: { readonly [F in Field]: (t: TableSpec) => FieldValue } = {
  source: (t) => t.source,
  domain: (t) => t.domain,
  tier: (t) => t.tier,
  strategy: (t) => t.strategy,
  cursor: (t) => (t.strategy === "incremental" ? t.cursor : undefined),
  key: (t) => (t.strategy === "append" ? t.key : undefined),
  primaryKey: (t) => t.primaryKey,
  pii: (t) => t.pii,
  lookbackMinutes: (t) => (t.strategy === "incremental" ? t.lookbackMinutes : undefined),
  lookbackKeys: (t) => (t.strategy === "append" ? t.lookbackKeys : undefined),
  enabled: (t) => t.enabled,
  owner: (t) => t.owner,
  description: (t) => t.description,
  reconcile: (t) => t.reconcile,
  reconcileAlertRows: (t) => t.reconcileAlertRows,
};

function show(table: TableSpec, field: Field): string {
  const value = FIELD_VALUE[field](table);
  if (value === undefined) return "";
  return typeof value === "object" ? `[${value.join(", ")}]` : String(value);
}

export function diffTables(base: LakeModel, head: LakeModel): TablesDiff {
  const before = new Map(base.tables.map((t) => [t.name, t]));
  const after = new Map(head.tables.map((t) => [t.name, t]));
  const changed: TableChange[] = [];
  for (const [name, now] of after) {
    const was = before.get(name);
    if (!was) continue;
    const changes = FIELDS.map((field) => ({ field, before: show(was, field), after: show(now, field) })).filter(
      (c) => c.before !== c.after,
    );
    if (changes.length > 0) changed.push({ name, changes });
  }
  const only = (field: string): TableChange[] =>
    changed
      .filter((c) => c.changes.some((f) => f.field === field))
      .map((c) => ({ name: c.name, changes: c.changes.filter((f) => f.field === field) }));
  return {
    added: head.tables.filter((t) => !before.has(t.name)),
    removed: base.tables.filter((t) => !after.has(t.name)),
    tierMoves: only("tier"),
    strategyChanges: only("strategy"),
    changed,
  };
}

/** Changes outside tables: tiers, domains, access rules (these change resources). */
export function sectionChanges(base: LakeModel, head: LakeModel): string[] {
  const out: string[] = [];
  const keyed = <T>(items: readonly T[], key: (t: T) => string): Map<string, string> =>
    new Map(items.map((i) => [key(i), JSON.stringify(i, (k, v: unknown) => (k === "cron" ? undefined : v))]));
  const sections: [string, Map<string, string>, Map<string, string>][] = [
    ["tier", keyed(base.tiers, (t) => t.name), keyed(head.tiers, (t) => t.name)],
    ["domain", keyed(base.domains, (d) => d.name), keyed(head.domains, (d) => d.name)],
    ["access rule", keyed(base.access, (a) => a.role), keyed(head.access, (a) => a.role)],
  ];
  for (const [label, was, now] of sections) {
    for (const name of now.keys()) if (!was.has(name)) out.push(`${label} ${name} added`);
    for (const name of was.keys()) if (!now.has(name)) out.push(`${label} ${name} removed`);
    for (const [name, value] of now) if (was.has(name) && was.get(name) !== value) out.push(`${label} ${name} changed`);
  }
  return out;
}
