/**
 * Identifier rules. Lake names (tables, domains, tiers, roles) must be usable unquoted in Athena,
 * Spark SQL and Glue, which lower-cases names; source names are taken exactly and always quoted.
 */

export const LAKE_IDENTIFIER = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Words that need quoting in Athena (Trino DML and Hive DDL) or Spark SQL when used as a name.
 * A lake table named like one of these would force every casual user to quote it.
 */
const RESERVED_WORDS = new Set(
  (
    "all alter and any array as authorization between bigint binary boolean both by case cast char " +
    "column commit constraint create cross cube current current_date current_time current_timestamp " +
    "current_user cursor database date decimal delete describe distinct double drop else end escape " +
    "except exchange exists extended external extract false fetch float following for from full " +
    "function grant group grouping having if import in inner insert int integer intersect interval " +
    "into is join lateral left less like local macro map more none not null numeric of on only or " +
    "order out outer over partialscan partition percent preceding precision preserve primary " +
    "procedure range reads reduce references regexp revoke right rlike rollback rollup row rows " +
    "select set smallint some start table tablesample then time timestamp to transform trigger " +
    "true truncate unbounded union uniquejoin update user using utc_timestamp values varchar view " +
    "when where window with"
  ).split(/\s+/),
);

export function isReservedWord(name: string): boolean {
  return RESERVED_WORDS.has(name.toLowerCase());
}

/** Why a lake name would need quoting, or undefined when it is safe unquoted. */
export function lakeNameProblem(name: string): string | undefined {
  if (name !== name.trim()) return "it has leading or trailing spaces";
  if (/[A-Z]/.test(name)) return "it has upper-case letters (Glue lower-cases names, Athena would need quotes)";
  if (!LAKE_IDENTIFIER.test(name)) {
    return "it is not lower-case letters, digits and underscores starting with a letter (at most 64 characters)";
  }
  if (isReservedWord(name)) return `"${name}" is a reserved word in Athena/Spark SQL`;
  return undefined;
}

/** Why a source column or table name cannot be addressed safely, or undefined. */
export function sourceNameProblem(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name !== name.trim()) return "it has leading or trailing spaces";
  if ([...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f)) return "it contains control characters";
  if (/[`"[\]]/.test(name)) return "it contains a quote or bracket character";
  if (name.length > 128) return "it is longer than 128 characters";
  return undefined;
}
