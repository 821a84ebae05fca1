/** Connections to the local MariaDB (scripts/mariadb.sh creates the user). */
import * as mariadb from "mariadb";

export interface SourceServer {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

export function localServer(env: Readonly<Record<string, string | undefined>> = process.env): SourceServer {
  return {
    host: "127.0.0.1",
    port: 3306,
    user: env["LAKE_SOURCE_USER"] ?? "lake_ingest",
    password: env["LAKE_SOURCE_PASSWORD"] ?? "lake_ingest_local",
  };
}

export function connect(server: SourceServer, database?: string): Promise<mariadb.Connection> {
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

export function quoteIdent(name: string): string {
  return "`" + name.replace(/`/g, "``") + "`";
}
