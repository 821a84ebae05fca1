/**
 * Scratch MariaDB databases for the CLI tests: the demo schema (demo/source/schema.sql with its
 * database name rewritten, never `erp`) plus odd cases. Uses the local MariaDB the project's
 * scripts/mariadb.sh starts (as the Python tests do), as the local ingest user over TCP; if it is
 * not reachable the tests fail with a message saying so, they never skip.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createConnection, type Connection } from "mariadb";

export const REPO_ROOT = join(__dirname, "..", "..", "..");
export const USER = process.env.LAKE_SOURCE_USER ?? "lake_ingest";
export const PASSWORD = process.env.LAKE_SOURCE_PASSWORD ?? "lake_ingest_local";
const HOST = "127.0.0.1";
const PORT = 3306;

let started = false;

/** Runs scripts/mariadb.sh once (idempotent: starts the server when needed, ensures the user). */
function ensureServer(): void {
  if (started) return;
  try {
    execFileSync("bash", [join(REPO_ROOT, "scripts", "mariadb.sh")], { stdio: "pipe", timeout: 120_000 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? "");
    throw new Error(`MariaDB is required by the lake CLI tests and scripts/mariadb.sh failed: ${stderr || (error as Error).message}`);
  }
  started = true;
}

export async function connect(database?: string): Promise<Connection> {
  ensureServer();
  try {
    return await createConnection({ host: HOST, port: PORT, user: USER, password: PASSWORD, database, multipleStatements: true });
  } catch (error) {
    throw new Error(
      `MariaDB is not reachable at ${HOST}:${PORT} as ${USER} (${(error as Error).message}); ` +
        "start it with scripts/mariadb.sh (CI does). The CLI tests need it and do not skip.",
    );
  }
}

/** The source URL the CLI gets: no password in it, LAKE_SOURCE_PASSWORD carries it. */
export function sourceUrl(database: string): string {
  return `mariadb://${USER}@${HOST}:${PORT}/${database}`;
}

/** demo/source/schema.sql loading into `database` instead of erp. */
export function demoSchemaFor(database: string): string {
  const text = readFileSync(join(REPO_ROOT, "demo", "source", "schema.sql"), "utf8");
  const rewritten = text.replace(/^(DROP DATABASE IF EXISTS|CREATE DATABASE IF NOT EXISTS|USE) erp\b/gm, `$1 ${database}`);
  if (/^(DROP DATABASE|CREATE DATABASE|USE)\b.*\berp\b/m.test(rewritten) || !rewritten.includes(`USE ${database};`)) {
    throw new Error("demo/source/schema.sql changed shape: cannot rewrite its database name safely (it would touch erp)");
  }
  return rewritten;
}

let counter = 0;

/** A fresh database with the demo schema; drop it with dropDatabase. */
export async function createDemoDatabase(label: string): Promise<string> {
  const database = `lake_cli_test_${process.pid}_${label}_${++counter}`;
  const conn = await connect();
  try {
    await conn.query(demoSchemaFor(database));
  } finally {
    await conn.end();
  }
  return database;
}

export async function execute(database: string, sql: string): Promise<void> {
  const conn = await connect(database);
  try {
    await conn.query(sql);
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(database: string): Promise<void> {
  if (!database.startsWith("lake_cli_test_")) throw new Error(`refusing to drop ${database}`);
  const conn = await connect();
  try {
    await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await conn.end();
  }
}

/**
 * Tables that exercise the proposal rules beyond the demo schema. rate_card's update-tracking
 * column has no cursor-like name (row_stamp): only its ON UPDATE CURRENT_TIMESTAMP makes it a
 * cursor; without that rule its auto-increment key would make it an append table.
 */
export const ODD_TABLES_SQL = `
CREATE TABLE no_key_import (plant_code VARCHAR(10) NOT NULL, shift VARCHAR(20) NOT NULL, loaded_at DATETIME NULL);
CREATE TABLE no_key_but_tracked (code VARCHAR(10) NOT NULL, updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
CREATE TABLE route_stop (route_code VARCHAR(10) NOT NULL, stop_number INT NOT NULL, city VARCHAR(100) NOT NULL,
  PRIMARY KEY (stop_number, route_code));
CREATE TABLE route_stop_change (route_code VARCHAR(10) NOT NULL, stop_number INT NOT NULL, note TEXT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (route_code, stop_number));
CREATE TABLE stock (stock_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, created_at DATETIME NOT NULL, quantity INT NOT NULL);
CREATE TABLE \`order\` (order_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, contact_email VARCHAR(254) NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
CREATE TABLE \`CustomerNote\` (\`NoteID\` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, \`AuthorEmail\` VARCHAR(254) NULL,
  \`FirstName\` VARCHAR(100) NULL, \`Body\` TEXT NOT NULL, \`ModifiedAt\` DATETIME(3) NOT NULL);
CREATE TABLE app_touched (touch_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, payload JSON NULL, changed_at DATETIME NOT NULL);
CREATE TABLE rate_card (rate_card_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, price DECIMAL(10,2) NOT NULL,
  row_stamp TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP);
`;
