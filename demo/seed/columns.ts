/**
 * The source's shape, read from information_schema: columns with their exact types, the unique
 * indexes (primary and unique keys) and which long-text columns are JSON.
 */
import type { Connection } from "mariadb";

export interface SourceColumn {
  readonly name: string;
  /** information_schema DATA_TYPE, lower case (JSON columns report longtext on MariaDB). */
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

interface ColumnRow {
  TABLE_NAME: string;
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string;
  IS_NULLABLE: string;
  EXTRA: string;
  COLUMN_DEFAULT: string | null;
  CHARACTER_MAXIMUM_LENGTH: number | bigint | null;
  NUMERIC_PRECISION: number | bigint | null;
  NUMERIC_SCALE: number | bigint | null;
}

const num = (v: number | bigint | null): number | undefined => (v === null ? undefined : Number(v));

export function parseEnum(columnType: string): string[] {
  const match = /^(?:enum|set)\((.*)\)$/i.exec(columnType);
  if (!match || match[1] === undefined) return [];
  const values: string[] = [];
  const re = /'((?:[^']|'')*)'/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(match[1])) !== null) values.push((m[1] ?? "").replace(/''/g, "'"));
  return values;
}

export async function readSourceTables(conn: Connection, database: string, only?: readonly string[]): Promise<SourceTable[]> {
  const columns = (await conn.query(
    `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA, COLUMN_DEFAULT,
            CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  )) as ColumnRow[];
  const jsonRows = (await conn.query(
    "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?",
    [database],
  )) as { TABLE_NAME: string; CONSTRAINT_NAME: string; CHECK_CLAUSE: string }[];
  const json = new Set(jsonRows.filter((r) => /^json_valid\(/i.test(r.CHECK_CLAUSE)).map((r) => `${r.TABLE_NAME}.${r.CONSTRAINT_NAME}`));
  const indexRows = (await conn.query(
    `SELECT TABLE_NAME, INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR '\\n') AS COLS
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0
      GROUP BY TABLE_NAME, INDEX_NAME`,
    [database],
  )) as { TABLE_NAME: string; INDEX_NAME: string; COLS: string }[];

  const byTable = new Map<string, SourceColumn[]>();
  for (const r of columns) {
    const columnType = r.COLUMN_TYPE.toLowerCase();
    const list = byTable.get(r.TABLE_NAME) ?? [];
    list.push({
      name: r.COLUMN_NAME,
      dataType: r.DATA_TYPE.toLowerCase(),
      columnType,
      nullable: r.IS_NULLABLE === "YES",
      autoIncrement: /auto_increment/i.test(r.EXTRA),
      defaultsToNow: r.COLUMN_DEFAULT !== null && /^current_timestamp/i.test(r.COLUMN_DEFAULT),
      maxLength: num(r.CHARACTER_MAXIMUM_LENGTH),
      precision: num(r.NUMERIC_PRECISION),
      scale: num(r.NUMERIC_SCALE),
      json: json.has(`${r.TABLE_NAME}.${r.COLUMN_NAME}`),
      enumValues: parseEnum(columnType),
      unsigned: columnType.includes("unsigned"),
    });
    byTable.set(r.TABLE_NAME, list);
  }
  const tables: SourceTable[] = [];
  for (const [name, cols] of byTable) {
    if (only && !only.includes(name)) continue;
    const indexes = indexRows.filter((r) => r.TABLE_NAME === name);
    const primary = indexes.find((r) => r.INDEX_NAME === "PRIMARY");
    tables.push({
      name,
      columns: cols,
      uniqueIndexes: indexes.map((r) => r.COLS.split("\n")),
      primaryKey: primary ? primary.COLS.split("\n") : [],
    });
  }
  return tables;
}
