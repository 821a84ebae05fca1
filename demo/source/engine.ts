/**
 * The demo's one seam per source engine: how to create the source database from its schema file,
 * read its tables' shapes, and say the few things the day's changes say differently per engine
 * (the current UTC time, a seeded random pick, a cursor made nullable, a truncate that restarts the
 * identity, the DDL of the column and table added during the day). The scenario, the profiles,
 * the seed generator and the editor speak only this interface.
 */
import type { Value } from "../seed/generate";
import type { SourceTable } from "../seed/columns";

/** The engines the demo can play its day on (the manifest's source.engine). */
export const DEMO_ENGINES = ["mariadb", "postgresql"] as const;
export type DemoEngine = (typeof DEMO_ENGINES)[number];

/** A row as the engine's client returns it (values as text where the engine's type is exact). */
export type SourceRow = Record<string, Value>;

/** One open connection to the demo's source database. `?` marks a parameter in every engine. */
export interface SourceDb {
  readonly engine: DemoEngine;
  readonly database: string;
  query(sql: string, params?: readonly Value[]): Promise<SourceRow[]>;
  /** The statement once per parameter row (updates and deletes by key). */
  batch(sql: string, rows: readonly (readonly Value[])[]): Promise<void>;
  /** Multi-row INSERT of the given columns. */
  insert(table: string, columns: readonly string[], rows: readonly (readonly Value[])[]): Promise<void>;
  quote(name: string): string;
  /** The table's exact, qualified name. */
  table(name: string): string;
  /** Tables of the demo's schema, by name. */
  tables(): Promise<string[]>;
  /** The tables' shapes (columns, keys) for the generator, in the generator's type words. */
  readTables(only?: readonly string[]): Promise<SourceTable[]>;
  /** SQL expression of the current UTC time for a cursor column (statement time). */
  readonly nowUtc: string;
  /** The expression moved `hours` back. */
  hoursBack(expression: string, hours: number): string;
  /** Up to n rows' key columns, picked by a seeded, repeatable random order. */
  pickRows(table: string, keyColumns: readonly string[], n: number, seed: number): Promise<SourceRow[]>;
  /** ALTER the column to accept NULL (its type unchanged). */
  dropNotNull(table: string, column: string): Promise<void>;
  /** Sets `column` to NULL on the n rows with the highest `key`. */
  nullOnLastRows(table: string, column: string, key: string, n: number): Promise<void>;
  /** TRUNCATE; the identity (auto-increment) starts again. */
  truncate(table: string): Promise<void>;
  /** Runs the engine's DDL that adds the named column of the day (demo/source/<engine>); returns its text. */
  addDayColumn(table: string, column: string): Promise<string>;
  /** Runs the engine's DDL that creates the named table of the day; returns its text. */
  createDayTable(name: string): Promise<string>;
  end(): Promise<void>;
}

/** How the demo reaches and (re)creates one engine's source database. */
export interface DemoSource {
  readonly engine: DemoEngine;
  /** The schema file the source is created from (repository-relative, for messages). */
  readonly schemaFile: string;
  /** The JDBC URL the job and the verification read the database with. */
  jdbcUrl(database: string): string;
  /** Drops and creates the database from the schema file; returns a connection to it. */
  recreate(database: string): Promise<SourceDb>;
  connect(database: string): Promise<SourceDb>;
}
