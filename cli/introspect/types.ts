/** What the CLI needs to know about a source database, whatever its engine. */
import type { SourceEngine } from "../../model";

export interface SourceColumn {
  /** Exact name, as the source spells it. */
  readonly name: string;
  /** Lower-case base type: "timestamp", "datetime", "bigint", "timestamp with time zone", ... */
  readonly dataType: string;
  readonly nullable: boolean;
  /** AUTO_INCREMENT (MariaDB/MySQL), identity or a sequence default (PostgreSQL). */
  readonly autoIncrement: boolean;
  /** Maintained by the database on every update (MariaDB/MySQL ON UPDATE CURRENT_TIMESTAMP). */
  readonly updatedByDatabase: boolean;
  /** The column's comment in the source (MariaDB/MySQL COLUMN_COMMENT, PostgreSQL col_description); undefined when none. */
  readonly comment?: string;
}

export interface SourceTable {
  /** Exact name, as the source spells it. */
  readonly name: string;
  readonly comment: string;
  /** In table order. */
  readonly columns: readonly SourceColumn[];
  /** Primary-key columns in key order; empty when the table has none. */
  readonly primaryKey: readonly string[];
}

export interface SourceSchema {
  readonly engine: SourceEngine;
  /** Redacted connection URL, for messages. */
  readonly url: string;
  /** The schema (MariaDB/MySQL: the database) the tables were read from. */
  readonly schema: string;
  /** Base tables only (no views), sorted by name. */
  readonly tables: readonly SourceTable[];
}

/** One implementation per engine family, all reading information_schema. */
export interface Introspector {
  describe(): Promise<SourceSchema>;
  close(): Promise<void>;
}
