/**
 * Coordinator benchmark (prints figures; not a test). Run:
 *   npm run bench:coordinator              (about 4 minutes: moto copies its table per transaction)
 *   npm run bench:coordinator -- --quick   (30 and 300 tables instead: the same figures in ~15 s)
 *
 * 1. Planning + leasing + manifest + job start of one daily run over 300 and 3000 tables against
 *    moto (port 5058), with leases written one UpdateItem per table or in TransactWriteItems of
 *    up to 100: wall time and AWS calls by operation. Also the pure planning core alone.
 * 2. The esbuild bundle of handlers/coordinator/index.ts (as components/lambdaBundle.ts builds
 *    it): size, and cold import time in a fresh node process (median of 5).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { CreateTableCommand } from "@aws-sdk/client-dynamodb";
import { CreateJobCommand } from "@aws-sdk/client-glue";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { buildSync } from "esbuild";
import { loadTablesYaml } from "../model";
import { CallCounter, createClients } from "../handlers/coordinator/aws/clients";
import type { WriteMode } from "../handlers/coordinator/aws/conditionalWrites";
import { createCoordinator } from "../handlers/coordinator/coordinator";
import { dueTables } from "../handlers/coordinator/core/due";
import { buildManifest, defaultLakeRoots } from "../handlers/coordinator/core/manifest";
import { manifestProblems } from "../handlers/coordinator/core/manifestSchema";
import { memoryLog } from "../handlers/coordinator/log";

const root = path.resolve(__dirname, "..");
const port = process.env["BENCH_MOTO_PORT"] ?? "5058";
const DOMAINS = ["sales", "finance", "manufacturing", "logistics", "hr"];
const QUICK = process.argv.includes("--quick");
const TABLE_COUNTS = QUICK ? [30, 300] : [300, 3000];

/** The repository's tables.yaml header (tiers, domains, access) with `count` generated tables. */
function syntheticTables(count: number): string {
  const text = readFileSync(path.join(root, "tables.yaml"), "utf8");
  const header = text.slice(0, text.indexOf("\ntables:") + "\ntables:".length);
  const entries: string[] = [];
  for (let i = 0; i < count; i++) {
    const domain = DOMAINS[i % DOMAINS.length] as string;
    const tier = i % 10 === 0 ? "every_15_min" : "daily";
    entries.push(
      i % 3 === 0
        ? `  - name: t${i}\n    domain: ${domain}\n    tier: ${tier}\n    strategy: incremental\n    cursor: updated_at\n    primaryKey: [id]\n    pii: [email]\n    description: Bench table ${i}.`
        : i % 3 === 1
          ? `  - name: t${i}\n    domain: ${domain}\n    tier: ${tier}\n    strategy: append\n    key: id\n    description: Bench table ${i}.`
          : `  - name: t${i}\n    domain: ${domain}\n    tier: ${tier}\n    strategy: snapshot\n    description: Bench table ${i}.`,
    );
  }
  return `${header}\n${entries.join("\n\n")}\n`;
}

function env(tablesFile: string, endpoint: string): Record<string, string> {
  return {
    LAKE_NAME: "bench",
    ENVIRONMENT: "bench",
    STATE_TABLE: "bench-state",
    MANIFEST_BUCKET: "bench-scripts",
    RAW_BUCKET: "bench-raw",
    WAREHOUSE_BUCKET: "bench-warehouse",
    DATABASE_PREFIX: "bench",
    TIER_JOBS: JSON.stringify({ daily: "bench-daily", every_15_min: "bench-15" }),
    CRAWLERS: JSON.stringify(Object.fromEntries(DOMAINS.map((d) => [d, `bench-raw-${d}`]))),
    ALERT_TOPIC_ARN: "arn:aws:sns:eu-central-1:123456789012:bench-alerts",
    SOURCE_ENGINE: "mariadb",
    SOURCE_DATABASE: "erp",
    SOURCE_CONNECTION: "bench-source",
    LEASE_SECONDS: "10800",
    BUSINESS_TIME_ZONE: "Europe/Berlin",
    TABLES_FILE: tablesFile,
    AWS_ENDPOINT_URL: endpoint,
  };
}

async function benchRun(endpoint: string, tablesFile: string, mode: WriteMode): Promise<{ ms: number; calls: number; byOp: string }> {
  await fetch(`${endpoint}/moto-api/reset`, { method: "POST" });
  const clients = createClients({ endpoint, region: "eu-central-1" });
  await clients.dynamodb.send(
    new CreateTableCommand({
      TableName: "bench-state",
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  await clients.s3.send(
    new CreateBucketCommand({ Bucket: "bench-scripts", CreateBucketConfiguration: { LocationConstraint: "eu-central-1" } }),
  );
  for (const job of ["bench-daily", "bench-15"]) {
    await clients.glue.send(
      new CreateJobCommand({
        Name: job,
        Role: "arn:aws:iam::123456789012:role/x",
        Command: { Name: "glueetl", ScriptLocation: "s3://x/y.py" },
      }),
    );
  }
  const counter = new CallCounter();
  counter.attach(clients);
  const coordinator = createCoordinator({
    env: env(tablesFile, endpoint),
    bundleDir: path.dirname(tablesFile),
    clients,
    log: memoryLog(),
    writeMode: mode,
  });
  const start = process.hrtime.bigint();
  const report = await coordinator.handle({ kind: "schedule", tier: "daily", scheduledAt: "2024-05-06T23:30:00Z" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (report.outcome !== "started") throw new Error(`bench run did not start: ${JSON.stringify(report)}`);
  const byOp = [...counter.counts.entries()]
    .sort()
    .map(([op, n]) => `${op}=${n}`)
    .join(" ");
  return { ms, calls: counter.total, byOp };
}

function planningOnly(tablesFile: string): number {
  const model = loadTablesYaml(tablesFile);
  const start = process.hrtime.bigint();
  const due = dueTables(model, { kind: "schedule", tier: "daily", scheduledAt: "2024-05-06T23:30:00.000Z" });
  if (!due.ok) throw new Error(due.reason);
  const manifest = buildManifest(
    {
      source: { engine: "mariadb", database: "erp", schema: undefined, connectionName: "c" },
      lakeRoots: defaultLakeRoots("r", "w"),
      stateTable: "s",
      databasePrefix: "bench",
      icebergCatalog: "glue_catalog",
    },
    {
      runId: "daily-20240506T233000Z-00000000",
      tier: "daily",
      createdAt: new Date(),
      leaseExpiresAt: 1,
      tables: due.tables,
      watermarks: new Map(),
      reload: false,
    },
  );
  const problems = manifestProblems(manifest);
  if (problems.length > 0) throw new Error(problems.join("; "));
  JSON.stringify(manifest);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function bundleFigures(): { bytes: number; coldMs: number[] } {
  const dir = mkdtempSync(path.join(tmpdir(), "coordinator-bundle-"));
  const result = buildSync({
    entryPoints: [path.join(root, "handlers/coordinator/index.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    minify: true,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0]?.text ?? "";
  writeFileSync(path.join(dir, "index.js"), code);
  copyFileSync(path.join(root, "tables.yaml"), path.join(dir, "tables.yaml"));
  const script = `const t=process.hrtime.bigint();const m=require(${JSON.stringify(path.join(dir, "index.js"))});if(typeof m.handler!=="function")process.exit(3);console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const coldMs = Array.from({ length: 5 }, () => Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim()));
  return { bytes: Buffer.byteLength(code), coldMs: coldMs.sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  process.env["AWS_ACCESS_KEY_ID"] ??= "bench";
  process.env["AWS_SECRET_ACCESS_KEY"] ??= "bench";
  process.env["AWS_REGION"] ??= "eu-central-1";
  const script = path.join(root, "scripts/moto-server.sh");
  const motoEnv = { ...process.env, MOTO_PORT: port };
  const endpoint = execFileSync(script, ["start"], { env: motoEnv, encoding: "utf8" }).trim().split("\n").pop() as string;
  try {
    console.log(`coordinator benchmark${QUICK ? " (--quick)" : ""}: one daily run (plan, lease, manifest, StartJobRun) against moto`);
    for (const count of TABLE_COUNTS) {
      const dir = mkdtempSync(path.join(tmpdir(), "coordinator-bench-"));
      const file = path.join(dir, "tables.yaml");
      writeFileSync(file, syntheticTables(count));
      console.log(`\n${count} tables: pure planning core (due + manifest + schema check) ${planningOnly(file).toFixed(1)} ms`);
      for (const mode of ["single", "transact"] as const) {
        const r = await benchRun(endpoint, file, mode);
        console.log(`  ${mode.padEnd(8)} leases: ${r.ms.toFixed(0).padStart(6)} ms, ${String(r.calls).padStart(5)} AWS calls (${r.byOp})`);
      }
    }
    const bundle = bundleFigures();
    console.log(`\nbundle handlers/coordinator/index.ts (esbuild, minified, cjs/node20): ${(bundle.bytes / 1024).toFixed(0)} KiB`);
    console.log(
      `cold import (fresh node, tables.yaml beside it; model loads on the first event): median ${bundle.coldMs[2]?.toFixed(1)} ms, min ${bundle.coldMs[0]?.toFixed(1)} ms, max ${bundle.coldMs[4]?.toFixed(1)} ms`,
    );
  } finally {
    execFileSync(script, ["stop"], { env: motoEnv });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
