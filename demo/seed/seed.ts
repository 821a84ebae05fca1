/**
 * Seeds the demo source (created by its engine in demo/source/ under the demo's own database
 * name): fills each table with generated rows (the engine reads the types, generate.ts makes values).
 */
import type { SourceDb } from "../source/engine";
import type { SourceTable } from "./columns";
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
export async function insertRows(db: SourceDb, table: SourceTable, rows: readonly Value[][], gen: RowGenerator): Promise<void> {
  await db.insert(
    table.name,
    gen.columns.map((c) => c.name),
    rows,
  );
}

export interface SeededTable {
  readonly table: string;
  readonly rows: number;
}

export async function seedSource(db: SourceDb, profile: SeedProfile, progress: (line: string) => void): Promise<SeededTable[]> {
  const tables = await db.readTables(profile.tables);
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
    await insertRows(db, table, rows, gen);
    seeded.push({ table: table.name, rows: rows.length });
    progress(`seeded ${table.name}: ${rows.length} rows`);
  }
  return seeded;
}
