/**
 * Source database engines: identifier quoting and JDBC URLs. Pure so the SourceConnection
 * component, the coordinator's run manifest and the CLI address tables identically.
 */

export const SOURCE_ENGINES = ["mariadb", "mysql", "postgresql", "sqlserver", "oracle"] as const;
export type SourceEngine = (typeof SOURCE_ENGINES)[number];

/**
 * The engines the ingest job can load (a dialect in handlers/ingest/lake_ingest/dialects). SQL
 * Server and Oracle keep their URLs and quoting here for later but are refused by the stack config.
 */
export const LOADABLE_ENGINES = ["mariadb", "mysql", "postgresql"] as const;
export type LoadableEngine = (typeof LOADABLE_ENGINES)[number];

export function isSourceEngine(value: string): value is SourceEngine {
  return (SOURCE_ENGINES as readonly string[]).includes(value);
}

export function isLoadableEngine(value: string): value is LoadableEngine {
  return (LOADABLE_ENGINES as readonly string[]).includes(value);
}

/** Why the stack cannot use the engine (named by its config key), or undefined when it can. */
export function engineProblem(engine: string, key = "lake:source.engine"): string | undefined {
  if (isLoadableEngine(engine)) return undefined;
  if (isSourceEngine(engine))
    return `${key} "${engine}" cannot be loaded yet: the ingest job reads ${LOADABLE_ENGINES.join(", ")} (no ${engine} dialect in handlers/ingest/lake_ingest/dialects)`;
  return `${key} must be one of ${LOADABLE_ENGINES.join(", ")} (got "${engine}")`;
}

export interface SourceLocation {
  readonly engine: SourceEngine;
  readonly host: string;
  readonly port: number;
  /** Database (MariaDB/MySQL/PostgreSQL/SQL Server) or service name (Oracle). */
  readonly database: string;
  /** Schema holding the tables; defaults per engine (public, dbo; the database for MariaDB). */
  readonly schema?: string;
  /** Require TLS to the source (default true). */
  readonly requireTls?: boolean;
}

export const DEFAULT_PORTS: Readonly<Record<SourceEngine, number>> = {
  mariadb: 3306,
  mysql: 3306,
  postgresql: 5432,
  sqlserver: 1433,
  oracle: 1521,
};

/** Quotes one identifier for the engine, escaping the quote character by doubling it. */
export function quoteIdentifier(engine: SourceEngine, name: string): string {
  switch (engine) {
    case "mariadb":
    case "mysql":
      return "`" + name.replace(/`/g, "``") + "`";
    case "sqlserver":
      return "[" + name.replace(/]/g, "]]") + "]";
    case "postgresql":
    case "oracle":
      return '"' + name.replace(/"/g, '""') + '"';
  }
}

/** The schema a table lives in when the location names none. */
export function defaultSchema(location: SourceLocation): string {
  if (location.schema) return location.schema;
  switch (location.engine) {
    case "mariadb":
    case "mysql":
      return location.database;
    case "postgresql":
      return "public";
    case "sqlserver":
      return "dbo";
    case "oracle":
      throw new Error("an Oracle source needs an explicit schema (the owning user)");
  }
}

/** Exact, quoted, schema-qualified name of a source table: never a pattern. */
export function qualifiedTableName(location: SourceLocation, table: string): string {
  return `${quoteIdentifier(location.engine, defaultSchema(location))}.${quoteIdentifier(location.engine, table)}`;
}

/**
 * JDBC URL for the engine. Sessions run in UTC so DATETIME/TIMESTAMP values are read without
 * a local-time shift. MariaDB and MySQL use the jdbc:mysql scheme (what Glue's JDBC connection
 * accepts) with MariaDB Connector/J, the driver the job ships for both, which needs
 * permitMysqlScheme to accept it. TLS checks the server certificate and host name against the
 * JVM's trust store for every engine (PostgreSQL: DefaultJavaSSLFactory, since a Glue worker has
 * no ~/.postgresql/root.crt for the driver's default factory).
 */
export function jdbcUrl(location: SourceLocation): string {
  const { host, port, database } = location;
  const tls = location.requireTls ?? true;
  switch (location.engine) {
    case "mariadb":
    case "mysql":
      return (
        `jdbc:mysql://${host}:${port}/${database}?permitMysqlScheme` +
        `&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true` +
        (tls ? "&sslMode=verify-full" : "")
      );
    case "postgresql":
      return (
        `jdbc:postgresql://${host}:${port}/${database}?options=-c%20TimeZone%3DUTC` +
        (tls ? "&sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory" : "")
      );
    case "sqlserver":
      return `jdbc:sqlserver://${host}:${port};databaseName=${database};encrypt=${tls ? "true" : "false"}`;
    case "oracle":
      // Thin driver EZConnect: tcps:// is TLS; ssl_server_dn_match makes the driver check the
      // server certificate against the host, as verify-full does for the other engines.
      return tls
        ? `jdbc:oracle:thin:@tcps://${host}:${port}/${database}?ssl_server_dn_match=true`
        : `jdbc:oracle:thin:@//${host}:${port}/${database}`;
  }
}

/** JDBC driver class the Glue job loads for the engine (MariaDB Connector/J for MySQL too). */
export function jdbcDriverClass(engine: SourceEngine): string {
  switch (engine) {
    case "mariadb":
    case "mysql":
      return "org.mariadb.jdbc.Driver";
    case "postgresql":
      return "org.postgresql.Driver";
    case "sqlserver":
      return "com.microsoft.sqlserver.jdbc.SQLServerDriver";
    case "oracle":
      return "oracle.jdbc.OracleDriver";
  }
}
