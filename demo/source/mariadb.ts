/**
 * MariaDB, the demo's default source: database created from demo/source/schema.sql (under the
 * demo's own name), read by the job with the MariaDB driver (jdbc:mysql scheme), changed with the
 * mariadb client. scripts/mariadb.sh starts the server and creates the local user.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as mariadb from "mariadb";
import { parseEnum, type SourceColumn, type SourceTable } from "../seed/columns";
import type { Value } from "../seed/generate";
import type { DemoSource, SourceDb, SourceRow } from "./engine";

/** The repository root (settings.ts imports this module, so its REPO is not used here). */
const REPO = path.resolve(__dirname, "..", "..");

export const MARIADB_SCHEMA_FILE = "demo/source/schema.sql";

/** DDL of what the day adds (column fragments for ALTER TABLE … ADD COLUMN, whole tables). */
const DAY_COLUMNS: Readonly<Record<string, string>> = {
  loyalty_tier: "loyalty_tier ENUM('bronze','silver','gold') NULL",
  approval_state: "approval_state TINYINT NOT NULL DEFAULT 1",
};
const DAY_TABLES: Readonly<Record<string, string>> = {
  sales_promotion: `CREATE TABLE sales_promotion (
  promotion_id      BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
  promotion_code    VARCHAR(20)     NOT NULL,
  name              VARCHAR(200)    NOT NULL,
  discount_percent  DECIMAL(5,2)    NOT NULL,
  channel           ENUM('field_sales','web_shop','edi','phone') NULL,
  valid_from        DATE            NOT NULL,
  valid_to          DATE            NULL,
  is_active         TINYINT(1)      NOT NULL DEFAULT 1,
  rules             JSON            NULL CHECK (json_valid(rules)),
  updated_at        TIMESTAMP       NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  PRIMARY KEY (promotion_id),
  UNIQUE KEY uq_sales_promotion_code (promotion_code),
  KEY ix_sales_promotion_updated_at (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`,
};

export interface MariaDbServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export function localMariaDb(env: Readonly<Record<string, string | undefined>> = process.env): MariaDbServer {
  return {
    host: "127.0.0.1",
    port: 3306,
    user: env["LAKE_SOURCE_USER"] ?? "lake_ingest",
    password: env["LAKE_SOURCE_PASSWORD"] ?? "lake_ingest_local",
  };
}

function connectMariaDb(server: MariaDbServer, database?: string): Promise<mariadb.Connection> {
  return mariadb.createConnection({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    ...(database ? { database } : {}),
    multipleStatements: true,
    timezone: "Z",
    bigIntAsNumber: false,
    decimalAsNumber: false,
    dateStrings: true,
  });
}

export function quoteMariaDb(name: string): string {
  return "`" + name.replace(/`/g, "``") + "`";
}

/** schema.sql with its database name replaced (it starts with DROP DATABASE erp). */
export function schemaFor(schemaSql: string, database: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(database)) throw new Error(`database name ${database} is not a plain identifier`);
  const rewritten = schemaSql.replace(/^(DROP DATABASE IF EXISTS|CREATE DATABASE IF NOT EXISTS|USE)\s+erp\b/gm, `$1 ${database}`);
  const statements = rewritten.match(/^(DROP DATABASE IF EXISTS|CREATE DATABASE IF NOT EXISTS|USE) \S+/gm) ?? [];
  if (statements.length !== 3 || statements.some((s) => !s.endsWith(` ${database}`) && !s.endsWith(` ${database};`))) {
    throw new Error(`${MARIADB_SCHEMA_FILE} does not start with DROP/CREATE/USE erp as expected: ${statements.join(" | ")}`);
  }
  return rewritten;
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

/** The tables' shapes from information_schema (JSON columns are longtext with a json_valid check). */
async function readMariaDbTables(conn: mariadb.Connection, database: string, only?: readonly string[]): Promise<SourceTable[]> {
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
      enumValues: parseEnum(r.COLUMN_TYPE), // as declared (the lower-cased type would lower-case the labels)
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

class MariaDbSource implements SourceDb {
  readonly engine = "mariadb" as const;
  readonly nowUtc = "UTC_TIMESTAMP(6)";

  constructor(
    private readonly conn: mariadb.Connection,
    readonly database: string,
  ) {}

  async query(sql: string, params: readonly Value[] = []): Promise<SourceRow[]> {
    return (await this.conn.query(sql, [...params])) as SourceRow[];
  }

  async batch(sql: string, rows: readonly (readonly Value[])[]): Promise<void> {
    if (rows.length > 0)
      await this.conn.batch(
        sql,
        rows.map((r) => [...r]),
      );
  }

  async insert(table: string, columns: readonly string[], rows: readonly (readonly Value[])[]): Promise<void> {
    const cols = columns.map(quoteMariaDb).join(", ");
    const marks = columns.map(() => "?").join(", ");
    const sql = `INSERT INTO ${this.table(table)} (${cols}) VALUES (${marks})`;
    const chunk = 2000;
    for (let i = 0; i < rows.length; i += chunk) await this.batch(sql, rows.slice(i, i + chunk));
  }

  quote(name: string): string {
    return quoteMariaDb(name);
  }

  table(name: string): string {
    return `${quoteMariaDb(this.database)}.${quoteMariaDb(name)}`;
  }

  async tables(): Promise<string[]> {
    const rows = await this.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME", [
      this.database,
    ]);
    return rows.map((r) => String(r["TABLE_NAME"]));
  }

  readTables(only?: readonly string[]): Promise<SourceTable[]> {
    return readMariaDbTables(this.conn, this.database, only);
  }

  hoursBack(expression: string, hours: number): string {
    return `${expression} - INTERVAL ${hours} HOUR`;
  }

  pickRows(table: string, keyColumns: readonly string[], n: number, seed: number): Promise<SourceRow[]> {
    return this.query(`SELECT ${keyColumns.map(quoteMariaDb).join(", ")} FROM ${this.table(table)} ORDER BY RAND(${seed}) LIMIT ${n}`);
  }

  async dropNotNull(table: string, column: string): Promise<void> {
    // MariaDB has no DROP NOT NULL: MODIFY restates the column with its own type.
    const [row] = await this.query(
      "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_NAME = ?",
      [this.database, table, column],
    );
    if (!row) throw new Error(`source table ${this.database}.${table} has no column ${column}`);
    await this.conn.query(`ALTER TABLE ${this.table(table)} MODIFY ${quoteMariaDb(column)} ${String(row["COLUMN_TYPE"])} NULL`);
  }

  async nullOnLastRows(table: string, column: string, key: string, n: number): Promise<void> {
    await this.conn.query(`UPDATE ${this.table(table)} SET ${quoteMariaDb(column)} = NULL ORDER BY ${quoteMariaDb(key)} DESC LIMIT ${n}`);
  }

  async truncate(table: string): Promise<void> {
    await this.conn.query(`TRUNCATE TABLE ${this.table(table)}`);
  }

  async addDayColumn(table: string, column: string): Promise<string> {
    const ddl = DAY_COLUMNS[column];
    if (ddl === undefined)
      throw new Error(`${MARIADB_SCHEMA_FILE}: no MariaDB DDL for the day's column ${table}.${column} (demo/source/mariadb.ts)`);
    await this.conn.query(`ALTER TABLE ${this.table(table)} ADD COLUMN ${ddl}`);
    return ddl;
  }

  async createDayTable(name: string): Promise<string> {
    const ddl = DAY_TABLES[name];
    if (ddl === undefined) throw new Error(`no MariaDB DDL for the day's table ${name} (demo/source/mariadb.ts)`);
    await this.conn.query(ddl);
    return ddl;
  }

  async end(): Promise<void> {
    await this.conn.end();
  }
}

export const MARIADB: DemoSource = {
  engine: "mariadb",
  schemaFile: MARIADB_SCHEMA_FILE,
  jdbcUrl: (database) => `jdbc:mysql://127.0.0.1:3306/${database}`,
  async recreate(database) {
    const conn = await connectMariaDb(localMariaDb(process.env));
    try {
      await conn.query(schemaFor(readFileSync(path.join(REPO, MARIADB_SCHEMA_FILE), "utf8"), database));
    } finally {
      await conn.end();
    }
    return MARIADB.connect(database);
  },
  async connect(database) {
    return new MariaDbSource(await connectMariaDb(localMariaDb(process.env), database), database);
  },
};
