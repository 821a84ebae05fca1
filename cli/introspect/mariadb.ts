/** MariaDB/MySQL introspection through information_schema (tables, columns, primary keys). */
import { createConnection, type Connection } from "mariadb";
import type { Introspector, SourceColumn, SourceSchema, SourceTable } from "./types";
import type { SourceUrl } from "./url";

interface TableRow {
  table_name: string;
  table_comment: string | null;
}
interface ColumnRow {
  table_name: string;
  column_name: string;
  data_type: string;
  is_nullable: string;
  extra: string | null;
  column_comment: string | null;
}
interface KeyRow {
  table_name: string;
  column_name: string;
}

export class MariaDbIntrospector implements Introspector {
  private constructor(
    private readonly source: SourceUrl,
    private readonly connection: Connection,
  ) {}

  static async connect(source: SourceUrl): Promise<MariaDbIntrospector> {
    try {
      const connection = await createConnection({
        host: source.host,
        port: source.port,
        socketPath: source.socket,
        user: source.user,
        password: source.password,
        database: source.database,
        connectTimeout: 10_000,
      });
      return new MariaDbIntrospector(source, connection);
    } catch (error) {
      throw new Error(`cannot connect to ${source.redacted}: ${(error as Error).message}`);
    }
  }

  async describe(): Promise<SourceSchema> {
    const schema = this.source.schema;
    const tables = await this.connection.query<TableRow[]>(
      `SELECT TABLE_NAME AS table_name, TABLE_COMMENT AS table_comment FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
      [schema],
    );
    const columns = await this.connection.query<ColumnRow[]>(
      `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name, DATA_TYPE AS data_type,
              IS_NULLABLE AS is_nullable, EXTRA AS extra, COLUMN_COMMENT AS column_comment
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [schema],
    );
    const keys = await this.connection.query<KeyRow[]>(
      `SELECT TABLE_NAME AS table_name, COLUMN_NAME AS column_name FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = ? AND INDEX_NAME = 'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX`,
      [schema],
    );
    const columnsOf = groupBy(columns, (row): SourceColumn => {
      const extra = (row.extra ?? "").toLowerCase();
      return {
        name: row.column_name,
        dataType: row.data_type.toLowerCase(),
        nullable: row.is_nullable === "YES",
        autoIncrement: extra.includes("auto_increment"),
        // MariaDB: "on update current_timestamp()"; MySQL: "DEFAULT_GENERATED on update CURRENT_TIMESTAMP".
        updatedByDatabase: /on update current_timestamp/.test(extra),
        ...(row.column_comment ? { comment: row.column_comment } : {}),
      };
    });
    const keysOf = groupBy(keys, (row) => row.column_name);
    const result: SourceTable[] = tables.map((t) => ({
      name: t.table_name,
      comment: t.table_comment ?? "",
      columns: columnsOf.get(t.table_name) ?? [],
      primaryKey: keysOf.get(t.table_name) ?? [],
    }));
    return { engine: this.source.engine, url: this.source.redacted, schema, tables: result };
  }

  async close(): Promise<void> {
    await this.connection.end();
  }
}

function groupBy<R extends { table_name: string }, T>(rows: readonly R[], map: (row: R) => T): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.table_name) ?? [];
    list.push(map(row));
    out.set(row.table_name, list);
  }
  return out;
}
