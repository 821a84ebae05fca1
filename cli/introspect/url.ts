/**
 * Source connection URLs: mariadb://user@host:port/db, mysql://..., postgres(ql)://user@host:port/db?schema=s.
 * The password never appears on the command line (process lists, CI logs): it comes from the
 * environment variable LAKE_SOURCE_PASSWORD, and URLs are printed redacted.
 */
import { UsageError } from "../args";
import { DEFAULT_PORTS, engineProblem, isSourceEngine, type SourceEngine } from "../../model";

export const PASSWORD_ENV = "LAKE_SOURCE_PASSWORD";

export interface SourceUrl {
  readonly engine: SourceEngine;
  readonly user: string;
  readonly password: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** PostgreSQL schema (default public); MariaDB/MySQL: the database. */
  readonly schema: string;
  /** Unix socket (MariaDB/MySQL socket file, PostgreSQL socket directory), from ?socket=. */
  readonly socket: string | undefined;
  /** The URL as given, without any password: safe to print. */
  readonly redacted: string;
}

const SCHEMES: Readonly<Record<string, SourceEngine>> = {
  "mariadb:": "mariadb",
  "mysql:": "mysql",
  "postgres:": "postgresql",
  "postgresql:": "postgresql",
};

export function redactUrl(text: string): string {
  return text.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, "$1:***@");
}

export function parseSourceUrl(text: string, env: NodeJS.ProcessEnv = process.env): SourceUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--source "${redactUrl(text)}" is not a URL (expected e.g. mariadb://user@127.0.0.1:3306/erp)`);
  }
  const engine = SCHEMES[url.protocol];
  const named = url.protocol.replace(/:$/, "");
  if (!engine && isSourceEngine(named)) {
    // A stack can name it (model/engines.ts keeps its URL) but the ingest job cannot load it.
    throw new UsageError(`--source: ${engineProblem(named)}; onboarding its tables would give tables the job fails on`);
  }
  if (!engine) {
    throw new UsageError(`--source: unsupported scheme "${url.protocol}" (use mariadb://, mysql://, postgres:// or postgresql://)`);
  }
  if (url.password) {
    throw new UsageError(`--source must not contain a password (it would show in process lists and logs); set ${PASSWORD_ENV} instead`);
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new UsageError(`--source ${redactUrl(text)} names no database (add /<database> after the host)`);
  const socket = url.searchParams.get("socket") ?? undefined;
  const schema = engine === "postgresql" ? (url.searchParams.get("schema") ?? "public") : database;
  return {
    engine,
    user: decodeURIComponent(url.username) || (engine === "postgresql" ? "postgres" : "root"),
    password: env[PASSWORD_ENV] || undefined,
    host: url.hostname || "localhost",
    port: url.port ? Number(url.port) : DEFAULT_PORTS[engine],
    database,
    schema,
    socket,
    redacted: redactUrl(text),
  };
}
