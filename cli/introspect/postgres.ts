/** PostgreSQL introspection through information_schema (tables, columns, primary keys). */
import { Client } from "pg";
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
  is_identity: string;
  column_default: string | null;
  column_comment: string | null;
}
interface KeyRow {
  table_name: string;
  column_name: string;
}

export class PostgresIntrospector implements Introspector {
  private constructor(
    private readonly source: SourceUrl,
    private readonly client: Client,
  ) {}

  static async connect(source: SourceUrl): Promise<PostgresIntrospector> {
    const client = new Client({
      host: source.socket ?? source.host,
      port: source.port,
      user: source.user,
      password: source.password,
      database: source.database,
      connectionTimeoutMillis: 10_000,
    });
    try {
      await client.connect();
    } catch (error) {
      throw new Error(`cannot connect to ${source.redacted}: ${(error as Error).message}`);
    }
    return new PostgresIntrospector(source, client);
  }

  async describe(): Promise<SourceSchema> {
    const schema = this.source.schema;
    const tables = await this.client.query<TableRow>(
      `SELECT t.table_name, obj_description(format('%I.%I', t.table_schema, t.table_name)::regclass, 'pg_class') AS table_comment
         FROM information_schema.tables t
        WHERE t.table_schema = $1 AND t.table_type = 'BASE TABLE' ORDER BY t.table_name`,
      [schema],
    );
    const columns = await this.client.query<ColumnRow>(
      // col_description by the column's number (information_schema has no comments)
      `SELECT table_name, column_name, data_type, is_nullable, is_identity, column_default,
              col_description(format('%I.%I', table_schema, table_name)::regclass, ordinal_position::int) AS column_comment
         FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const keys = await this.client.query<KeyRow>(
      `SELECT k.table_name, k.column_name
         FROM information_schema.table_constraints c
         JOIN information_schema.key_column_usage k
           ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name AND k.table_name = c.table_name
        WHERE c.table_schema = $1 AND c.constraint_type = 'PRIMARY KEY'
        ORDER BY k.table_name, k.ordinal_position`,
      [schema],
    );
    const columnsOf = new Map<string, SourceColumn[]>();
    for (const row of columns.rows) {
      const list = columnsOf.get(row.table_name) ?? [];
      list.push({
        name: row.column_name,
        dataType: row.data_type.toLowerCase(),
        nullable: row.is_nullable === "YES",
        autoIncrement: row.is_identity === "YES" || /^nextval\(/.test(row.column_default ?? ""),
        // PostgreSQL has no ON UPDATE clause; a trigger may maintain a column, which the name rule catches.
        updatedByDatabase: false,
        ...(row.column_comment ? { comment: row.column_comment } : {}),
      });
      columnsOf.set(row.table_name, list);
    }
    const keysOf = new Map<string, string[]>();
    for (const row of keys.rows) keysOf.set(row.table_name, [...(keysOf.get(row.table_name) ?? []), row.column_name]);
    const result: SourceTable[] = tables.rows.map((t) => ({
      name: t.table_name,
      comment: t.table_comment ?? "",
      columns: columnsOf.get(t.table_name) ?? [],
      primaryKey: keysOf.get(t.table_name) ?? [],
    }));
    return { engine: "postgresql", url: this.source.redacted, schema, tables: result };
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
