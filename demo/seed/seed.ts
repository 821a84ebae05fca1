/**
 * Seeds the demo source: loads demo/source/schema.sql under the demo's own database name, then
 * fills each table with generated rows (columns.ts reads the types, generate.ts makes values).
 */
import { readFileSync } from "node:fs";
import type { Connection } from "mariadb";
import { readSourceTables, type SourceTable } from "./columns";
import { quoteIdent } from "./db";
import { RowGenerator, type Value } from "./generate";

export interface SeedProfile {
  /** Rows per table unless `rows` names the table. */
  readonly defaultRows: number;
  readonly rows: Readonly<Record<string, number>>;
  /** Source tables to fill (default: all); the others stay empty. */
  readonly tables?: readonly string[];
  /** Share of rows repeated exactly in tables without a primary key (flat-file reloads repeat rows). */
  readonly repeatShareWithoutKey: number;
}

export const SEED = "governed-lake-demo";
const BATCH = 2000;

/** schema.sql with its database name replaced (it starts with DROP DATABASE erp). */
export function schemaFor(schemaSql: string, database: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`database name ${database} is not a plain identifier`);
  const rewritten = schemaSql.replace(/^(DROP DATABASE IF EXISTS|CREATE DATABASE IF NOT EXISTS|USE)\s+erp\b/gm, `$1 ${database}`);
  const statements = rewritten.match(/^(DROP DATABASE IF EXISTS|CREATE DATABASE IF NOT EXISTS|USE) \S+/gm) ?? [];
  if (statements.length !== 3 || statements.some((s) => !s.endsWith(` ${database}`) && !s.endsWith(` ${database};`))) {
    throw new Error(`schema.sql does not start with DROP/CREATE/USE erp as expected: ${statements.join(" | ")}`);
  }
  return rewritten;
}

export async function loadSchema(conn: Connection, schemaFile: string, database: string): Promise<void> {
  await conn.query(schemaFor(readFileSync(schemaFile, "utf8"), database));
}

export async function insertRows(
  conn: Connection,
  database: string,
  table: SourceTable,
  rows: readonly Value[][],
  gen: RowGenerator,
): Promise<void> {
  const cols = gen.columns.map((c) => quoteIdent(c.name)).join(", ");
  const marks = gen.columns.map(() => "?").join(", ");
  const sql = `INSERT INTO ${quoteIdent(database)}.${quoteIdent(table.name)} (${cols}) VALUES (${marks})`;
  for (let i = 0; i < rows.length; i += BATCH) await conn.batch(sql, rows.slice(i, i + BATCH) as Value[][]);
}

export interface SeededTable {
  readonly table: string;
  readonly rows: number;
}

export async function seedSource(
  conn: Connection,
  database: string,
  profile: SeedProfile,
  progress: (line: string) => void,
): Promise<SeededTable[]> {
  const tables = await readSourceTables(conn, database, profile.tables);
  const seeded: SeededTable[] = [];
  for (const table of tables) {
    const count = profile.rows[table.name] ?? profile.defaultRows;
    const gen = new RowGenerator(table, SEED);
    const rows: Value[][] = [];
    for (let i = 0; i < count; i++) rows.push(gen.row(i));
    if (table.primaryKey.length === 0) {
      const repeats = Math.floor(count * profile.repeatShareWithoutKey);
      for (let r = 0; r < repeats; r++) rows.push([...(rows[gen.prng.int(0, count - 1)] as Value[])]);
    }
    await insertRows(conn, database, table, rows, gen);
    seeded.push({ table: table.name, rows: rows.length });
    progress(`seeded ${table.name}: ${rows.length} rows`);
  }
  return seeded;
}
