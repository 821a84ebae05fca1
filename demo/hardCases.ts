/**
 * The changes a real ERP makes that a cursor or key strategy alone cannot see, made against the
 * demo source the way an application or a DBA would: hard deletes in incremental and append
 * tables, a column added with a default (every existing row gets a value without its cursor
 * moving), rows inserted with a NULL cursor, a cursor moved backwards by a lagging application
 * clock, a primary key changed, a transaction that stamps its cursor and commits only after a
 * run has read past it, and an append table truncated and refilled.
 */
import type { TableSpec } from "../model";
import type { SourceEditor } from "./changes";
import type { Value } from "./seed/generate";
import type { DemoSource, SourceDb } from "./source/engine";

/** A transaction held open in a second connection: its row is stamped now, visible only after commit. */
export interface OpenTransaction {
  readonly table: string;
  readonly key: string;
  commit(): Promise<void>;
}

export class HardCases {
  private readonly db: SourceDb;
  private readonly source: DemoSource;

  constructor(private readonly editor: SourceEditor) {
    this.db = editor.connection();
    this.source = editor.source;
  }

  private q(table: string): string {
    return this.db.table(table);
  }

  private quote(name: string): string {
    return this.db.quote(name);
  }

  private singleKey(spec: TableSpec): string {
    const key = spec.primaryKey[0];
    if (spec.primaryKey.length !== 1 || key === undefined) throw new Error(`${spec.name}: needs a single-column primary key`);
    return key;
  }

  private async pickKeys(spec: TableSpec, n: number, seed: number): Promise<Value[]> {
    const key = this.singleKey(spec);
    const rows = await this.db.pickRows(spec.source, [key], n, seed);
    return rows.map((r) => r[key] ?? null);
  }

  private touched(): void {
    this.editor.lastChangeAt = Date.now();
  }

  /** Hard deletes from any table (an incremental or append load reads nothing for them). */
  async deleteRows(spec: TableSpec, n: number): Promise<number> {
    const key = this.singleKey(spec);
    const keys = await this.pickKeys(spec, n, 23);
    await this.db.batch(
      `DELETE FROM ${this.q(spec.source)} WHERE ${this.quote(key)} = ?`,
      keys.map((k) => [k]),
    );
    this.touched();
    return keys.length;
  }

  /** ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT (the engine's DDL): every existing row gets the default, no cursor moves. */
  async addColumnWithDefault(spec: TableSpec, column: string): Promise<string> {
    const ddl = await this.db.addDayColumn(spec.source, column);
    this.touched();
    return ddl;
  }

  /** The application starts writing rows before it stamps them: the cursor becomes nullable and n rows get NULL. */
  async nullCursorRows(spec: TableSpec, n: number): Promise<number> {
    if (spec.strategy !== "incremental") throw new Error(`${spec.name}: not an incremental table`);
    await this.db.dropNotNull(spec.source, spec.cursor);
    const inserted = await this.editor.insert(spec.source, n, spec.cursor);
    // The editor stamped the new rows' cursor (they have the highest keys); the application left it NULL.
    await this.db.nullOnLastRows(spec.source, spec.cursor, this.singleKey(spec), inserted);
    this.touched();
    return inserted;
  }

  /** A lagging application clock: n rows change while their cursor moves two hours back. */
  async cursorBackwards(spec: TableSpec, column: string, value: string, n: number): Promise<number> {
    if (spec.strategy !== "incremental") throw new Error(`${spec.name}: not an incremental table`);
    const key = this.singleKey(spec);
    const keys = await this.pickKeys(spec, n, 29);
    const c = this.quote(spec.cursor);
    await this.db.batch(
      `UPDATE ${this.q(spec.source)} SET ${this.quote(column)} = ?, ${c} = ${this.db.hoursBack(c, 2)} WHERE ${this.quote(key)} = ?`,
      keys.map((k) => [value, k]),
    );
    this.touched();
    return keys.length;
  }

  /** n rows get a new primary key value (the ON UPDATE cursor moves; the old key is gone). */
  async changePrimaryKey(spec: TableSpec, n: number, offset: number): Promise<number> {
    const key = this.quote(this.singleKey(spec));
    const keys = await this.pickKeys(spec, n, 31);
    await this.db.batch(
      `UPDATE ${this.q(spec.source)} SET ${key} = ${key} + ${offset} WHERE ${key} = ?`,
      keys.map((k) => [k]),
    );
    this.touched();
    return keys.length;
  }

  /** A second connection stamps one row's cursor now and commits only when told. */
  async openTransaction(spec: TableSpec, column: string, value: string): Promise<OpenTransaction> {
    if (spec.strategy !== "incremental") throw new Error(`${spec.name}: not an incremental table`);
    const key = this.singleKey(spec);
    const [picked] = await this.pickKeys(spec, 1, 37);
    if (picked === undefined || picked === null) throw new Error(`${spec.name} has no row to update`);
    const second = await this.source.connect(this.editor.database);
    await second.query("START TRANSACTION");
    await second.query(
      `UPDATE ${this.q(spec.source)} SET ${this.quote(column)} = ?, ${this.quote(spec.cursor)} = ${second.nowUtc} WHERE ${this.quote(key)} = ?`,
      [value, picked],
    );
    this.touched();
    return {
      table: spec.name,
      key: String(picked),
      commit: async () => {
        await second.query("COMMIT");
        await second.end();
        this.touched();
      },
    };
  }

  /** TRUNCATE (the identity / auto-increment restarts) and n new rows: the source's max key falls below the lake's watermark. */
  async truncateAndRefill(spec: TableSpec, n: number): Promise<number> {
    await this.db.truncate(spec.source);
    this.editor.restartKeys(spec.source);
    const inserted = await this.editor.insert(spec.source, n);
    this.touched();
    return inserted;
  }
}
