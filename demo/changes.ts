/**
 * Source changes during the demo day, made the way the ERP would: inserts, updates that move the
 * table's cursor, deletes (snapshot tables only: incremental and append loads do not see hard
 * deletes, by design), a new column, a new table, a dropped table. Values come from the same
 * generator as the seed, so keys stay unique.
 */
import type { TableSpec } from "../model";
import type { SourceColumn, SourceTable } from "./seed/columns";
import { RowGenerator, sqlDateTime, type Value } from "./seed/generate";
import { insertRows, SEED } from "./seed/seed";
import type { DemoSource, SourceDb } from "./source/engine";

export interface ChangeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

export class SourceEditor {
  /** Next generator index per table (indexes fill the unique keys, so they never repeat). */
  private readonly next = new Map<string, number>();
  /** Epoch ms of the last change (a run must not read within the job's safety lag of it). */
  lastChangeAt = 0;

  constructor(
    /** The engine (a second connection for the late commit comes from it). */
    readonly source: DemoSource,
    private readonly db: SourceDb,
    seeded: ReadonlyMap<string, number>,
  ) {
    for (const [table, rows] of seeded) this.next.set(table, rows);
  }

  get database(): string {
    return this.db.database;
  }

  private async table(name: string): Promise<SourceTable> {
    const [table] = await this.db.readTables([name]);
    if (!table) throw new Error(`source table ${this.database}.${name} does not exist`);
    return table;
  }

  private q(table: string): string {
    return this.db.table(table);
  }

  /** The table was truncated: its generated keys start again from the first (as AUTO_INCREMENT does). */
  restartKeys(table: string): void {
    this.next.set(table, 0);
  }

  private take(table: string, n: number): number {
    const start = this.next.get(table) ?? 0;
    this.next.set(table, start + n);
    return start;
  }

  /** Inserts n new rows; the cursor (if any) and the columns the database stamps get the current UTC time. */
  async insert(tableName: string, n: number, cursor?: string): Promise<number> {
    if (n <= 0) return 0;
    const table = await this.table(tableName);
    const gen = new RowGenerator(table, `${SEED}:insert:${this.next.get(tableName) ?? 0}`);
    const start = this.take(tableName, n);
    const stamped = gen.columns.map((c) => c.name === cursor || (c.dataType === "timestamp" && c.defaultsToNow));
    const rows: Value[][] = [];
    for (let i = 0; i < n; i++) {
      const now = sqlDateTime(new Date(), 6);
      rows.push(gen.row(start + i).map((v, k) => (stamped[k] ? now : v)));
    }
    await insertRows(this.db, table, rows, gen);
    this.lastChangeAt = Date.now();
    return n;
  }

  /** Updates n rows (picked by a seeded RAND) in up to two non-key columns and moves the cursor. */
  async update(spec: TableSpec, n: number): Promise<number> {
    if (n <= 0) return 0;
    if (spec.strategy === "append") throw new Error(`${spec.name} is insert-only (append): no updates`);
    const table = await this.table(spec.source);
    if (table.primaryKey.length === 0) throw new Error(`${spec.source} has no primary key to update rows by`);
    const cursor = spec.strategy === "incremental" ? spec.cursor : undefined;
    const gen = new RowGenerator(table, `${SEED}:update:${this.next.get(spec.source) ?? 0}`);
    const candidates = table.columns.filter(
      (c) =>
        !c.autoIncrement &&
        !gen.isKey(c.name) &&
        c.name !== cursor &&
        !(c.dataType === "timestamp" && c.defaultsToNow) &&
        !c.name.toLowerCase().includes("created"),
    );
    const cols: SourceColumn[] = [];
    while (cols.length < Math.min(2, candidates.length)) {
      const c = gen.prng.pick(candidates);
      if (!cols.includes(c)) cols.push(c);
    }
    const pk = table.primaryKey.map((k) => this.db.quote(k));
    const keys = await this.db.pickRows(spec.source, table.primaryKey, n, gen.prng.int(1, 1_000_000));
    const sets = [...cols.map((c) => `${this.db.quote(c.name)} = ?`), ...(cursor ? [`${this.db.quote(cursor)} = ${this.db.nowUtc}`] : [])];
    const sql = `UPDATE ${this.q(spec.source)} SET ${sets.join(", ")} WHERE ${pk.map((k) => `${k} = ?`).join(" AND ")}`;
    const params = keys.map((row, i) => [...cols.map((c) => gen.changed(c, i)), ...table.primaryKey.map((k) => row[k] ?? null)]);
    await this.db.batch(sql, params);
    this.lastChangeAt = Date.now();
    return params.length;
  }

  /** Deletes n rows of a snapshot table (the snapshot load applies deletes). */
  async delete(spec: TableSpec, n: number): Promise<number> {
    if (n <= 0) return 0;
    if (spec.strategy !== "snapshot") throw new Error(`${spec.name}: deletes are only seen by snapshot loads`);
    const table = await this.table(spec.source);
    const pk = table.primaryKey.map((k) => this.db.quote(k));
    if (pk.length === 0) throw new Error(`${spec.source} has no primary key to delete rows by`);
    const keys = await this.db.pickRows(spec.source, table.primaryKey, n, 7);
    const sql = `DELETE FROM ${this.q(spec.source)} WHERE ${pk.map((k) => `${k} = ?`).join(" AND ")}`;
    await this.db.batch(
      sql,
      keys.map((row) => table.primaryKey.map((k) => row[k] ?? null)),
    );
    this.lastChangeAt = Date.now();
    return keys.length;
  }

  /** Adds the day's nullable column (the engine's DDL) and fills it on some rows (moving their cursor, as the application would). */
  async addColumn(spec: TableSpec, column: string, fillRows: number): Promise<{ filled: number; ddl: string }> {
    const ddl = await this.db.addDayColumn(spec.source, column);
    const table = await this.table(spec.source);
    const col = table.columns.find((c) => c.name === column);
    if (!col) throw new Error(`column ${column} was not added to ${spec.source}`);
    const gen = new RowGenerator(table, `${SEED}:column:${column}`);
    const pk = table.primaryKey.map((k) => this.db.quote(k));
    const keys = await this.db.pickRows(spec.source, table.primaryKey, fillRows, 11);
    const cursor = spec.strategy === "incremental" ? `, ${this.db.quote(spec.cursor)} = ${this.db.nowUtc}` : "";
    const sql = `UPDATE ${this.q(spec.source)} SET ${this.db.quote(column)} = ?${cursor} WHERE ${pk.map((k) => `${k} = ?`).join(" AND ")}`;
    await this.db.batch(
      sql,
      keys.map((row, i) => [gen.changed(col, i), ...table.primaryKey.map((k) => row[k] ?? null)]),
    );
    this.lastChangeAt = Date.now();
    return { filled: keys.length, ddl };
  }

  /** Creates the day's new table (the engine's DDL) with n rows. */
  async createTable(name: string, rows: number, cursor?: string): Promise<number> {
    await this.db.createDayTable(name);
    this.next.set(name, 0);
    return this.insert(name, rows, cursor);
  }

  async dropTable(name: string): Promise<void> {
    await this.db.query(`DROP TABLE ${this.q(name)}`);
    this.lastChangeAt = Date.now();
  }

  /** The editor's source connection (the hard cases share it). */
  connection(): SourceDb {
    return this.db;
  }

  /** Closes the editor's source connection (an open one keeps the process alive). */
  async close(): Promise<void> {
    await this.db.end();
  }
}
