/** Where the demo keeps things and the names of its local resources (one place, no magic elsewhere). */
import * as path from "node:path";
import type { DemoEngine } from "./source/engine";
import { demoSource } from "./source";

export const REPO = path.resolve(__dirname, "..");

export interface DemoSettings {
  /** The source's engine (the manifest's source.engine; demo/source/<engine>.ts). */
  readonly engine: DemoEngine;
  /** Source database (the engine's schema file loaded under this name; other tests use `erp`). */
  readonly database: string;
  /** Working folder: .lake/demo (report, logs, tables.yaml copy, lake folders). */
  readonly work: string;
  readonly motoUrl: string;
  readonly region: string;
  readonly venv: string;
  readonly jarDir: string;
  readonly jdbcUrl: string;
  readonly sourceUser: string;
  readonly sourcePassword: string;
  /**
   * Tables one governed-lake job run loads at once (the job's --table_concurrency, as a tier's
   * `tableConcurrency` sets it on Glue).
   * @default undefined: the job's own default (Spark's default parallelism, 4 in the local Spark)
   */
  readonly tableConcurrency?: number;
}

export function demoSettings(env: Readonly<Record<string, string | undefined>>, overrides: Partial<DemoSettings> = {}): DemoSettings {
  const database = overrides.database ?? env["DEMO_DATABASE"] ?? "erp_demo";
  const engine = overrides.engine ?? "mariadb";
  return {
    engine,
    database,
    work: overrides.work ?? path.join(REPO, ".lake", "demo"),
    motoUrl: overrides.motoUrl ?? env["DEMO_MOTO_URL"] ?? `http://127.0.0.1:${env["MOTO_PORT"] ?? "5059"}`,
    region: overrides.region ?? "eu-central-1",
    venv: overrides.venv ?? path.join(REPO, ".venv"),
    jarDir: overrides.jarDir ?? path.join(REPO, ".cache", "jars"),
    jdbcUrl: overrides.jdbcUrl ?? demoSource(engine).jdbcUrl(database),
    sourceUser: overrides.sourceUser ?? env["LAKE_SOURCE_USER"] ?? "lake_ingest",
    sourcePassword: overrides.sourcePassword ?? env["LAKE_SOURCE_PASSWORD"] ?? "lake_ingest_local",
    ...(overrides.tableConcurrency !== undefined ? { tableConcurrency: overrides.tableConcurrency } : {}),
  };
}

/** Local folders of one pipeline's lake, as file:// URIs ending with "/". */
export function fileUri(dir: string): string {
  return `file://${path.resolve(dir)}/`;
}
