/**
 * The source's shape as the generator sees it: columns with their types in MariaDB's words (each
 * engine's reader in demo/source/ maps its own types onto them), the unique indexes (primary and
 * unique keys) and which columns hold JSON.
 */

export interface SourceColumn {
  readonly name: string;
  /** information_schema DATA_TYPE, lower case (JSON columns report longtext on MariaDB; PostgreSQL's boolean stays "boolean"). */
  readonly dataType: string;
  /** Full COLUMN_TYPE, lower case, e.g. "bigint(20) unsigned", "enum('a','b')", "tinyint(1)". */
  readonly columnType: string;
  readonly nullable: boolean;
  readonly autoIncrement: boolean;
  /** DEFAULT CURRENT_TIMESTAMP (the database fills it in). */
  readonly defaultsToNow: boolean;
  readonly maxLength: number | undefined;
  readonly precision: number | undefined;
  readonly scale: number | undefined;
  readonly json: boolean;
  readonly enumValues: readonly string[];
  readonly unsigned: boolean;
}

export interface SourceTable {
  readonly name: string;
  readonly columns: readonly SourceColumn[];
  /** Column lists of the primary key and every unique index. */
  readonly uniqueIndexes: readonly (readonly string[])[];
  readonly primaryKey: readonly string[];
}

export function parseEnum(columnType: string): string[] {
  const match = /^(?:enum|set)\((.*)\)$/i.exec(columnType);
  if (!match || match[1] === undefined) return [];
  const values: string[] = [];
  const re = /'((?:[^']|'')*)'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(match[1])) !== null) values.push((m[1] ?? "").replace(/''/g, "'"));
  return values;
}
