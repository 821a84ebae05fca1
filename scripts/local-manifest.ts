/**
 * Prints the run manifest the coordinator would build for a tier (or for named tables), for the
 * local runner (handlers/ingest/local_harness.py, scripts/run-ingest-local.sh): tables.yaml is
 * read by the model's loader (the only parser of tables.yaml), tables are picked by the
 * coordinator's dueTables and the manifest is built by its buildManifest, then validated
 * against the shared contract. The lake roots are the builder's input, as LAKE_RAW_ROOT /
 * LAKE_WAREHOUSE_ROOT are for a local coordinator: --lake-uri and its warehouse/ folder.
 *
 *   npx ts-node --transpile-only scripts/local-manifest.ts --tier daily [--tables a,b]
 *     --lake-uri file:///abs/lake/ [--run-id ID] [--state-table lake-state] [--source-db erp]
 *     [--catalog lake] [--database-prefix lake] [--source-time-zone Europe/Berlin]
 *     [--lease-expires-at EPOCH] [--tables-yaml tables.yaml]
 *     [--source-engine mariadb|mysql|postgresql] [--source-schema Erp]
 *
 * Watermarks are null (no state is read): the caller leases the tables and fills them in from
 * the state table, as the coordinator does. SOURCE_TIME_ZONE in the environment is the default
 * of --source-time-zone (as for the coordinator); exit code 2 with a message on bad input.
 */
import * as path from "node:path";
import { engineProblem, isLoadableEngine, isValidTimeZone, loadTablesYaml, type LoadableEngine } from "../model";
import { DEFAULT_SOURCE_TIME_ZONE } from "../handlers/coordinator/config";
import { dueTables } from "../handlers/coordinator/core/due";
import { buildManifest, type RunManifest } from "../handlers/coordinator/core/manifest";
import { manifestProblems } from "../handlers/coordinator/core/manifestSchema";
import { parseCommandArgs, stringOption, UsageError, type OptionSpec } from "../cli/args";

interface Options {
  readonly tier: string;
  readonly tables: readonly string[];
  readonly lakeUri: string;
  readonly runId: string;
  readonly stateTable: string;
  readonly sourceDb: string;
  readonly sourceEngine: LoadableEngine;
  readonly sourceSchema: string | undefined;
  readonly catalog: string;
  readonly databasePrefix: string;
  readonly sourceTimeZone: string;
  readonly leaseExpiresAt: number;
  readonly tablesYaml: string;
  readonly now: Date;
}

const OPTIONS: OptionSpec = Object.fromEntries(
  [
    "tier",
    "tables",
    "lake-uri",
    "run-id",
    "state-table",
    "source-db",
    "catalog",
    "database-prefix",
    "source-time-zone",
    "lease-expires-at",
    "tables-yaml",
    "source-engine",
    "source-schema",
  ].map((name) => [name, { type: "string" as const }]),
);

function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): Options {
  const args = parseCommandArgs(argv, OPTIONS, 0);
  const value = (name: string): string | undefined => stringOption(args, name);
  const now = new Date();
  const tier = value("tier") ?? "daily";
  const lakeUri = value("lake-uri");
  if (lakeUri === undefined || !/^(file|s3):\/\/.+\/$/.test(lakeUri))
    throw new UsageError("--lake-uri must be a file:// or s3:// URI ending with /");
  const zone = value("source-time-zone") ?? (env.SOURCE_TIME_ZONE?.trim() || DEFAULT_SOURCE_TIME_ZONE);
  if (!isValidTimeZone(zone)) throw new UsageError(`source time zone "${zone}" is not an IANA time zone`);
  const leaseText = value("lease-expires-at");
  const leaseExpiresAt = leaseText === undefined ? Math.floor(now.getTime() / 1000) + 3600 : Number(leaseText);
  if (!Number.isInteger(leaseExpiresAt)) throw new UsageError(`--lease-expires-at "${leaseText}" is not epoch seconds`);
  const engine = value("source-engine") ?? "mariadb";
  if (!isLoadableEngine(engine)) throw new UsageError(engineProblem(engine, "--source-engine") ?? engine);
  return {
    tier,
    tables: (value("tables") ?? "").split(",").filter((t) => t !== ""),
    lakeUri,
    runId: value("run-id") ?? `${tier}-${now.toISOString().replace(/[-:.]/g, "")}`,
    stateTable: value("state-table") ?? "lake-state",
    sourceDb: value("source-db") ?? "erp",
    sourceEngine: engine,
    sourceSchema: value("source-schema"),
    catalog: value("catalog") ?? "lake",
    databasePrefix: value("database-prefix") ?? "lake",
    sourceTimeZone: zone,
    leaseExpiresAt,
    tablesYaml: path.resolve(value("tables-yaml") ?? path.join(__dirname, "..", "tables.yaml")),
    now,
  };
}

export function localManifest(options: Options): RunManifest {
  const model = loadTablesYaml(options.tablesYaml);
  const due =
    options.tables.length > 0
      ? dueTables(model, { kind: "manual", tier: options.tier, tables: [...new Set(options.tables)], requestId: "local", reload: false })
      : dueTables(model, { kind: "schedule", tier: options.tier, scheduledAt: options.now.toISOString() });
  if (!due.ok) throw new UsageError(due.reason);
  const manifest = buildManifest(
    {
      source: {
        engine: options.sourceEngine,
        database: options.sourceDb,
        schema: options.sourceSchema,
        timeZone: options.sourceTimeZone,
      },
      lakeRoots: { raw: options.lakeUri, warehouse: `${options.lakeUri}warehouse/` },
      stateTable: options.stateTable,
      databasePrefix: options.databasePrefix,
      icebergCatalog: options.catalog,
    },
    {
      runId: options.runId,
      tier: options.tier,
      createdAt: options.now,
      leaseExpiresAt: options.leaseExpiresAt,
      tables: due.tables,
      watermarks: new Map(),
      reload: false,
    },
  );
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(`manifest does not match the contract: ${problems.join("; ")}`);
  return manifest;
}

function main(): number {
  try {
    process.stdout.write(`${JSON.stringify(localManifest(parseOptions(process.argv.slice(2), process.env)), null, 2)}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`local-manifest: ${(error as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) process.exitCode = main();
