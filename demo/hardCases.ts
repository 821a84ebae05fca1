/**
 * The changes a real ERP makes that a cursor or key strategy alone cannot see, made against the
 * demo source the way an application or a DBA would: hard deletes in incremental and append
 * tables, a column added with a default (every existing row gets a value without its cursor
 * moving), rows inserted with a NULL cursor, a cursor moved backwards by a lagging application
 * clock, a primary key changed, a transaction that stamps its cursor and commits only after a
 * run has read past it, and an append table truncated and refilled.
 */
import type { Connection } from "mariadb";
import type { TableSpec } from "../model";
import type { SourceEditor } from "./changes";
import { connect, localServer, quoteIdent } from "./seed/db";
import type { Value } from "./seed/generate";

/** A transaction held open in a second connection: its row is stamped now, visible only after commit. */
export interface OpenTransaction {
  readonly table: string;
  readonly key: string;
  commit(): Promise<void>;
}

export class HardCases {
  constructor(
    private readonly conn: Connection,
    private readonly editor: SourceEditor,
  ) {}

  private q(table: string): string {
    return `${quoteIdent(this.editor.database)}.${quoteIdent(table)}`;
  }

  private singleKey(spec: TableSpec): string {
    const key = spec.primaryKey[0];
    if (spec.primaryKey.length !== 1 || key === undefined) throw new Error(`${spec.name}: needs a single-column primary key`);
    return key;
  }

  private async pickKeys(spec: TableSpec, n: number, seed: number): Promise<Value[]> {
    const key = this.singleKey(spec);
    const rows = (await this.conn.query(
      `SELECT ${quoteIdent(key)} AS k FROM ${this.q(spec.source)} ORDER BY RAND(${seed}) LIMIT ${n}`,
    )) as {
      k: Value;
    }[];
    return rows.map((r) => r.k);
  }

  private touched(): void {
    this.editor.lastChangeAt = Date.now();
  }

  /** Hard deletes from any table (an incremental or append load reads nothing for them). */
  async deleteRows(spec: TableSpec, n: number): Promise<number> {
    const key = this.singleKey(spec);
    const keys = await this.pickKeys(spec, n, 23);
    if (keys.length > 0)
      await this.conn.batch(
        `DELETE FROM ${this.q(spec.source)} WHERE ${quoteIdent(key)} = ?`,
        keys.map((k) => [k]),
      );
    this.touched();
    return keys.length;
  }

  /** ALTER TABLE … ADD COLUMN … NOT NULL DEFAULT: every existing row gets the default, no cursor moves. */
  async addColumnWithDefault(spec: TableSpec, columnDdl: string): Promise<void> {
    await this.conn.query(`ALTER TABLE ${this.q(spec.source)} ADD COLUMN ${columnDdl}`);
    this.touched();
  }

  /** The application starts writing rows before it stamps them: the cursor becomes nullable and n rows get NULL. */
  async nullCursorRows(spec: TableSpec, columnType: string, n: number): Promise<number> {
    if (spec.strategy !== "incremental") throw new Error(`${spec.name}: not an incremental table`);
    await this.conn.query(`ALTER TABLE ${this.q(spec.source)} MODIFY ${quoteIdent(spec.cursor)} ${columnType} NULL`);
    const inserted = await this.editor.insert(spec.source, n, spec.cursor);
    // The editor stamped the new rows' cursor (they have the highest keys); the application left it NULL.
    const key = quoteIdent(this.singleKey(spec));
    await this.conn.query(`UPDATE ${this.q(spec.source)} SET ${quoteIdent(spec.cursor)} = NULL ORDER BY ${key} DESC LIMIT ${inserted}`);
    this.touched();
    return inserted;
  }

  /** A lagging application clock: n rows change while their cursor moves two hours back. */
  async cursorBackwards(spec: TableSpec, column: string, value: string, n: number): Promise<number> {
    if (spec.strategy !== "incremental") throw new Error(`${spec.name}: not an incremental table`);
    const key = this.singleKey(spec);
    const keys = await this.pickKeys(spec, n, 29);
    const c = quoteIdent(spec.cursor);
    if (keys.length > 0)
      await this.conn.batch(
        `UPDATE ${this.q(spec.source)} SET ${quoteIdent(column)} = ?, ${c} = ${c} - INTERVAL 2 HOUR WHERE ${quoteIdent(key)} = ?`,
        keys.map((k) => [value, k]),
      );
    this.touched();
    return keys.length;
  }

  /** n rows get a new primary key value (the ON UPDATE cursor moves; the old key is gone). */
  async changePrimaryKey(spec: TableSpec, n: number, offset: number): Promise<number> {
    const key = quoteIdent(this.singleKey(spec));
    const keys = await this.pickKeys(spec, n, 31);
    if (keys.length > 0)
      await this.conn.batch(
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
    const second = await connect(localServer(process.env), this.editor.database);
    await second.query("START TRANSACTION");
    await second.query(
      `UPDATE ${this.q(spec.source)} SET ${quoteIdent(column)} = ?, ${quoteIdent(spec.cursor)} = UTC_TIMESTAMP(6) WHERE ${quoteIdent(key)} = ?`,
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

  /** TRUNCATE (the auto-increment restarts) and n new rows: the source's max key falls below the lake's watermark. */
  async truncateAndRefill(spec: TableSpec, n: number): Promise<number> {
    await this.conn.query(`TRUNCATE TABLE ${this.q(spec.source)}`);
    this.editor.restartKeys(spec.source);
    const inserted = await this.editor.insert(spec.source, n);
    this.touched();
    return inserted;
  }
}
