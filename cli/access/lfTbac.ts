/**
 * Lake Formation tag-based access control (LF-TBAC), evaluated offline, as documented:
 * - a table inherits its database's LF-tags and a column its table's, unless a value is assigned
 *   to the same key at the lower level ("Assigning LF-Tags to Data Catalog resources",
 *   https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html);
 * - a resource carries one value per key ("Lake Formation tag-based access control best practices
 *   and considerations", https://docs.aws.amazon.com/lake-formation/latest/dg/lf-tag-considerations.html);
 * - in an LF-tag expression, keys combine with AND and the values of one key with OR; a resource
 *   without the key does not match (same page, and "Creating LF-Tag expressions",
 *   https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-creating-tag-expressions.html);
 * - a principal granted on a resource both by LF-TBAC and by the named-resource method holds the
 *   union of both (lf-tag-considerations.html);
 * - a grant on TABLE resources by expression gives its permissions on every column whose
 *   effective tags match it, so a principal may see some columns of a table and not others.
 * Pure: no AWS. cli/access/readState.ts reads the state; cli/access/audit.ts judges it.
 */

export interface Tag {
  readonly key: string;
  readonly value: string;
}

export interface TagCondition {
  readonly key: string;
  readonly values: readonly string[];
}

export type GrantResource =
  | { readonly kind: "tagPolicy"; readonly resourceType: "DATABASE" | "TABLE"; readonly expression: readonly TagCondition[] }
  | { readonly kind: "database"; readonly database: string }
  | { readonly kind: "table"; readonly database: string; readonly table: string | "*" }
  | { readonly kind: "columns"; readonly database: string; readonly table: string; readonly columns: readonly string[] | "*" }
  | { readonly kind: "other"; readonly description: string };

export interface Grant {
  readonly principal: string;
  readonly permissions: readonly string[];
  readonly withGrantOption: readonly string[];
  readonly resource: GrantResource;
}

export interface CatalogColumn {
  readonly name: string;
  readonly tags: readonly Tag[];
}

export interface CatalogTable {
  readonly name: string;
  readonly tags: readonly Tag[];
  readonly columns: readonly CatalogColumn[];
}

export interface CatalogDatabase {
  readonly name: string;
  readonly tags: readonly Tag[];
  readonly tables: readonly CatalogTable[];
}

/** Tags of the lower level override the inherited ones key by key; other inherited keys stay. */
export function inheritTags(inherited: readonly Tag[], own: readonly Tag[]): Tag[] {
  const byKey = new Map(inherited.map((t) => [t.key, t.value]));
  for (const t of own) byKey.set(t.key, t.value);
  return [...byKey.entries()].map(([key, value]) => ({ key, value })).sort((a, b) => a.key.localeCompare(b.key));
}

/** Keys AND, values OR; a key the resource lacks fails the match; an empty expression matches nothing. */
export function expressionMatches(expression: readonly TagCondition[], tags: readonly Tag[]): boolean {
  if (expression.length === 0) return false;
  const byKey = new Map(tags.map((t) => [t.key, t.value]));
  return expression.every((c) => {
    const value = byKey.get(c.key);
    return value !== undefined && c.values.includes(value);
  });
}

/** Effective tags of a table (database's, overridden by the table's own) and of each column (table's, overridden). */
export function effectiveTableTags(database: CatalogDatabase, table: CatalogTable): Tag[] {
  return inheritTags(database.tags, table.tags);
}

export function effectiveColumnTags(database: CatalogDatabase, table: CatalogTable, column: CatalogColumn): Tag[] {
  return inheritTags(effectiveTableTags(database, table), column.tags);
}

const READS = ["SELECT", "ALL"];

/** The grants by which `principal` may SELECT this column (empty: hidden from it). */
export function grantsRevealing(
  grants: readonly Grant[],
  principal: string,
  database: CatalogDatabase,
  table: CatalogTable,
  column: CatalogColumn,
): Grant[] {
  const tags = effectiveColumnTags(database, table, column);
  return grants.filter((g) => {
    if (g.principal !== principal || !g.permissions.some((p) => READS.includes(p))) return false;
    const r = g.resource;
    switch (r.kind) {
      case "tagPolicy":
        return r.resourceType === "TABLE" && expressionMatches(r.expression, tags);
      case "table":
        return r.database === database.name && (r.table === "*" || r.table === table.name);
      case "columns":
        return r.database === database.name && r.table === table.name && (r.columns === "*" || r.columns.includes(column.name));
      default:
        return false;
    }
  });
}
