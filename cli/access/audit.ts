/**
 * The access audit: effective access role x domain x table x column from the Lake Formation state
 * (LF-TBAC as documented, cli/access/lfTbac.ts), judged against tables.yaml. Violations:
 * - pii-visible: a column tables.yaml lists as pii, or does not classify, visible to a role not
 *   cleared for PII;
 * - foreign-domain: a role sees a table of a domain its access rule does not name;
 * - underivable-grant: a grant to a role's principal (or to IAM_ALLOWED_PRINCIPALS on the lake's
 *   databases) that RoleGrant would not make from tables.yaml.
 */
import { columnClasses, type AccessRule, type LakeModel } from "../../model";
import { grantsRevealing, type CatalogDatabase, type Grant, type GrantResource } from "./lfTbac";

export interface AuditedDatabase extends CatalogDatabase {
  readonly domain: string;
  readonly zone: "full" | "raw";
}

export interface LfState {
  readonly databases: readonly AuditedDatabase[];
  readonly grants: readonly Grant[];
}

export interface AuditOptions {
  readonly model: LakeModel;
  /** Role name in tables.yaml -> principal (stack config lake:rolePrincipals). */
  readonly rolePrincipals: Readonly<Record<string, string>>;
  readonly domainKey: string;
  readonly piiKey: string;
}

export type ViolationKind = "pii-visible" | "foreign-domain" | "underivable-grant";

export interface Violation {
  readonly kind: ViolationKind;
  readonly role: string;
  readonly message: string;
  readonly database?: string;
  readonly table?: string;
  readonly column?: string;
}

export interface AccessCell {
  readonly role: string;
  readonly domain: string;
  readonly database: string;
  readonly table: string;
  readonly visible: readonly string[];
  readonly hidden: readonly string[];
}

export interface AccessAudit {
  readonly matrix: readonly AccessCell[];
  readonly violations: readonly Violation[];
  /** Columns (per role) that are PII or unclassified and visible to a role not cleared for PII. */
  readonly piiVisibleToUncleared: number;
  readonly roles: number;
  readonly tables: number;
  readonly columns: number;
}

const IAM_ALLOWED_PRINCIPALS = "IAM_ALLOWED_PRINCIPALS";

/** The grants RoleGrant makes for a rule (components/roleGrant.ts). */
export function derivableGrants(rule: AccessRule, principal: string, domainKey: string, piiKey: string): Grant[] {
  const domains = { key: domainKey, values: [...new Set(rule.domains)].sort() };
  return [
    {
      principal,
      permissions: ["DESCRIBE"],
      withGrantOption: [],
      resource: { kind: "tagPolicy", resourceType: "DATABASE", expression: [domains] },
    },
    {
      principal,
      permissions: ["SELECT", "DESCRIBE"],
      withGrantOption: [],
      resource: {
        kind: "tagPolicy",
        resourceType: "TABLE",
        expression: rule.pii ? [domains] : [domains, { key: piiKey, values: ["false"] }],
      },
    },
  ];
}

function sameResource(a: GrantResource, b: GrantResource): boolean {
  if (a.kind !== "tagPolicy" || b.kind !== "tagPolicy") return false;
  const norm = (r: typeof a): string =>
    JSON.stringify([r.resourceType, [...r.expression].map((c) => [c.key, [...c.values].sort()]).sort()]);
  return norm(a) === norm(b);
}

function derivable(grant: Grant, expected: readonly Grant[]): boolean {
  return (
    grant.withGrantOption.length === 0 &&
    expected.some((e) => sameResource(e.resource, grant.resource) && grant.permissions.every((p) => e.permissions.includes(p)))
  );
}

function describeResource(r: GrantResource): string {
  switch (r.kind) {
    case "tagPolicy":
      return `${r.resourceType} where ${r.expression.map((c) => `${c.key} in (${c.values.join(", ")})`).join(" AND ")}`;
    case "database":
      return `database ${r.database}`;
    case "table":
      return `table ${r.database}.${r.table}`;
    case "columns":
      return `columns of ${r.database}.${r.table}`;
    default:
      return r.description;
  }
}

export function auditAccess(state: LfState, options: AuditOptions): AccessAudit {
  const { model } = options;
  const matrix: AccessCell[] = [];
  const violations: Violation[] = [];
  const specs = new Map(model.tables.map((t) => [t.name, t]));
  let piiVisibleToUncleared = 0;
  let columns = 0;
  for (const db of state.databases) for (const t of db.tables) columns += t.columns.length;

  for (const rule of model.access) {
    const principal = options.rolePrincipals[rule.role];
    if (principal === undefined) continue;
    for (const db of state.databases) {
      for (const table of db.tables) {
        const spec = specs.get(table.name);
        const classes = spec ? columnClasses(spec) : new Map<string, "pii" | "nonPii">();
        const visible: string[] = [];
        const hidden: string[] = [];
        for (const column of table.columns) {
          const shown = grantsRevealing(state.grants, principal, db, table, column).length > 0;
          (shown ? visible : hidden).push(column.name);
          const cls = classes.get(column.name.toLowerCase());
          if (shown && !rule.pii && cls !== "nonPii") {
            piiVisibleToUncleared++;
            violations.push({
              kind: "pii-visible",
              role: rule.role,
              database: db.name,
              table: table.name,
              column: column.name,
              message: `${rule.role} (not cleared for PII) sees ${db.name}.${table.name}.${column.name}, ${cls === "pii" ? "a pii column" : "an unclassified column"}`,
            });
          }
        }
        if (visible.length > 0 && !rule.domains.includes(db.domain)) {
          violations.push({
            kind: "foreign-domain",
            role: rule.role,
            database: db.name,
            table: table.name,
            message: `${rule.role} sees ${db.name}.${table.name} of domain ${db.domain}, which its access rule does not name`,
          });
        }
        matrix.push({ role: rule.role, domain: db.domain, database: db.name, table: table.name, visible, hidden });
      }
    }
    const expected = derivableGrants(rule, principal, options.domainKey, options.piiKey);
    for (const grant of state.grants.filter((g) => g.principal === principal)) {
      if (!derivable(grant, expected)) {
        violations.push({
          kind: "underivable-grant",
          role: rule.role,
          message: `${rule.role} holds ${grant.permissions.join(", ")}${grant.withGrantOption.length ? ` (grant option: ${grant.withGrantOption.join(", ")})` : ""} on ${describeResource(grant.resource)}, which tables.yaml does not derive`,
        });
      }
    }
  }
  const lakeDatabases = new Set(state.databases.map((d) => d.name));
  for (const grant of state.grants.filter((g) => g.principal === IAM_ALLOWED_PRINCIPALS)) {
    const r = grant.resource;
    const onLake = r.kind === "database" || r.kind === "table" || r.kind === "columns" ? lakeDatabases.has(r.database) : false;
    if (onLake)
      violations.push({
        kind: "underivable-grant",
        role: IAM_ALLOWED_PRINCIPALS,
        message: `IAM_ALLOWED_PRINCIPALS holds ${grant.permissions.join(", ")} on ${describeResource(r)}: IAM alone would decide access`,
      });
  }
  return {
    matrix,
    violations,
    piiVisibleToUncleared,
    roles: model.access.filter((r) => options.rolePrincipals[r.role] !== undefined).length,
    tables: state.databases.reduce((n, d) => n + d.tables.length, 0),
    columns,
  };
}
