/**
 * Two recorded 15-minute runs of the lake. The first with the real ingest job
 * (handlers/ingest/ingest_job.py, unchanged, under local Spark with boto3 pointed at moto) run
 * between its start and its finalize against a scratch MariaDB database created from
 * demo/source/schema.sql. As in the demo, the coordinator addresses the lake in local folders
 * (LAKE_RAW_ROOT, LAKE_WAREHOUSE_ROOT: local Spark has no S3); the manifest itself, the result file
 * and the state table are moto's, and the job finds its source as in Glue: the manifest's
 * source.connectionName, the Glue connection of that name (its JDBC URL pointed at the scratch
 * database here) and the Secrets Manager secret it names (holding the local user). Its finalize
 * queues crawls of the new tables and tags their PII columns; the crawls then end. In the second
 * run the job dies before touching anything: finalize gives the leases back and alerts by SNS.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { registerFullCopies } from "../../../demo/access";
import { createClients } from "../../../handlers/coordinator/aws/clients";
import { loadTablesYaml } from "../../../model";
import { recordCoordinatorRuns, type ActorRecording, type RunPlan } from "./recordedLake";
import { recordWindow } from "./recorder";
import type { SynthesizedLake } from "./synthesized";

const REPO = path.resolve(__dirname, "../../..");
const TIER = "every_15_min";
/** A workday inside the 15-minute tier's business hours (Europe/Berlin). */
const SCHEDULED_AT = "2024-05-07T08:00:00Z";
const NEXT_RUN_AT = "2024-05-07T08:15:00Z";

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env, input?: string): string {
  return execFileSync(cmd, args, {
    env,
    encoding: "utf8",
    ...(input !== undefined ? { input } : {}),
    stdio: ["pipe", "pipe", "inherit"],
  }).trim();
}

/** A scratch source database with the demo schema (empty tables): name and JDBC URL. */
function scratchSource(): { database: string; jdbcUrl: string; drop(): void } {
  sh(path.join(REPO, "scripts/mariadb.sh"), []);
  const database = `iam_rec_${process.pid}`;
  const schema = readFileSync(path.join(REPO, "demo/source/schema.sql"), "utf8");
  sh("mariadb", ["-uroot", "-e", `DROP DATABASE IF EXISTS ${database}; CREATE DATABASE ${database}`]);
  sh("mariadb", ["-uroot", database], process.env, schema);
  return {
    database,
    jdbcUrl: `jdbc:mysql://127.0.0.1:3306/${database}`,
    drop: () => void sh("mariadb", ["-uroot", "-e", `DROP DATABASE IF EXISTS ${database}`]),
  };
}

/**
 * The program's Glue connection and its secret, in moto, standing for the source: same names and
 * SECRET_ID as synthesized, the JDBC URL of the scratch database, the local MariaDB user (its
 * development credentials from scripts/mariadb.sh, not a secret) in the secret.
 */
function createSourceConnection(lake: SynthesizedLake, motoUrl: string, jdbcUrl: string): void {
  const connection = lake.connections[0];
  if (!connection || lake.connections.length !== 1)
    throw new Error(`expected the lake's one Glue connection, found ${lake.connections.length}`);
  const secretId = connection.properties["SECRET_ID"];
  if (!secretId) throw new Error(`the Glue connection ${connection.name} has no SECRET_ID`);
  const script = [
    "import boto3, json, sys",
    "name, secret_id, url, user, password, region, endpoint = sys.argv[1:8]",
    "sm = boto3.client('secretsmanager', region_name=region, endpoint_url=endpoint)",
    "sm.create_secret(Name=secret_id, SecretString=json.dumps({'username': user, 'password': password}))",
    "glue = boto3.client('glue', region_name=region, endpoint_url=endpoint)",
    "props = {'JDBC_CONNECTION_URL': url, 'SECRET_ID': secret_id}",
    "glue.create_connection(ConnectionInput={'Name': name, 'ConnectionType': 'JDBC', 'ConnectionProperties': props})",
  ].join("\n");
  sh(
    path.join(REPO, ".venv/bin/python"),
    [
      "-c",
      script,
      connection.name,
      secretId,
      jdbcUrl,
      process.env["LAKE_SOURCE_USER"] ?? "lake_ingest",
      process.env["LAKE_SOURCE_PASSWORD"] ?? "lake_ingest_local",
      lake.region,
      motoUrl,
    ],
    { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
  );
}

function runSpark(argv: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<number> {
  const python = path.join(REPO, ".venv/bin/python");
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO, ".venv/bin/spark-submit"), argv, {
      env: { ...env, PYSPARK_PYTHON: python, PYSPARK_DRIVER_PYTHON: python, TZ: "UTC" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => out.push(c));
    child.on("close", (code) => {
      writeFileSync(logFile, Buffer.concat(out));
      resolve(code ?? 1);
    });
  });
}

/** The job must find its source through Glue, not through the local-only overrides. */
function withoutLocalSource(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rest = { ...env };
  for (const name of ["LAKE_SOURCE_JDBC_URL", "LAKE_SOURCE_USER", "LAKE_SOURCE_PASSWORD"]) delete rest[name];
  return rest;
}

export interface LakeRunRecording {
  readonly recordings: ActorRecording[];
  /** Where the job's log went (spark-submit output). */
  readonly jobLog: string;
  readonly jobExitCode: number;
}

export async function recordLakeRunDetailed(lake: SynthesizedLake, motoUrl: string): Promise<LakeRunRecording> {
  const dir = mkdtempSync(path.join(tmpdir(), "iam-rec-"));
  const e = lake.coordinator.environment;
  // Local Spark has no S3: the coordinator addresses the lake under local folders (LAKE_RAW_ROOT, LAKE_WAREHOUSE_ROOT).
  const roots = { raw: `file://${dir}/raw/`, warehouse: `file://${dir}/warehouse/` };
  const source = scratchSource();
  const jobLog = path.join(dir, "job.log");
  let jobExitCode = -1;
  let job: ActorRecording | undefined;
  try {
    const jars = sh(path.join(REPO, "scripts/ingest-deps.sh"), []).split("\n").pop() as string;
    const catalog = e["ICEBERG_CATALOG"] ?? "glue_catalog";
    const props = path.join(dir, "spark.properties");
    sh(
      path.join(REPO, ".venv/bin/python"),
      [
        "-c",
        "import sys\nfrom lake_ingest.localconf import local_spark_conf, properties_file_text\nc = local_spark_conf(sys.argv[1], sys.argv[2], sys.argv[3])\nc.pop('spark.master')\nopen(sys.argv[4], 'w').write(properties_file_text(c))",
        catalog,
        roots.warehouse,
        jars,
        props,
      ],
      { ...process.env, PYTHONPATH: path.join(REPO, "handlers/ingest") },
    );
    createSourceConnection(lake, motoUrl, source.jdbcUrl);
    const runJob: RunPlan["runJob"] = async ({ started, jobName }) => {
      const glueJob = lake.jobs.find((j) => j.name === jobName);
      if (!glueJob) throw new Error(`no synthesized Glue job ${jobName}`);
      // The run's arguments; the job's default arguments are Glue's own (the manifest names the rest).
      const args: Record<string, string> = { "--run_id": started.runId, "--manifest_uri": started.manifestUri };
      const window = await recordWindow(motoUrl, async () => {
        const code = await runSpark(
          [
            "--master",
            "local[2]",
            "--properties-file",
            props,
            path.join(REPO, "handlers/ingest/ingest_job.py"),
            ...Object.entries(args).flat(),
          ],
          {
            ...withoutLocalSource(process.env),
            AWS_ENDPOINT_URL_DYNAMODB: motoUrl,
            AWS_ENDPOINT_URL_S3: motoUrl,
            AWS_ENDPOINT_URL: motoUrl,
            AWS_ACCESS_KEY_ID: "testing",
            AWS_SECRET_ACCESS_KEY: "testing",
            AWS_DEFAULT_REGION: lake.region,
          },
          jobLog,
        );
        // In AWS the job's Iceberg GlueCatalog creates and updates the catalog tables with the
        // job's role; local Spark uses a Hadoop catalog, so the stand-in makes those calls here,
        // inside the job's window (attributed to its role), and finalize has tables to tag.
        await registerFullCopies(
          createClients({ endpoint: motoUrl, region: lake.region }).glue,
          loadTablesYaml(path.join(REPO, "tables.yaml")),
          e["DATABASE_PREFIX"] as string,
          path.join(dir, "warehouse"),
        );
        return code;
      });
      jobExitCode = window.result;
      job = { actor: "ingest job", roleArn: glueJob.roleArn, requests: window.requests, extraCalls: [] };
      return { state: jobExitCode === 0 ? "SUCCEEDED" : "FAILED", message: jobExitCode === 0 ? "" : `exit ${jobExitCode}` };
    };
    const run = await recordCoordinatorRuns(
      lake,
      motoUrl,
      [
        // The job loads every table; finalize queues crawls of the new tables, tags PII, and the crawls end.
        { tier: TIER, scheduledAt: SCHEDULED_AT, runJob, crawlsSucceed: true },
        // The next run's job dies before touching anything (Glue reports FAILED): leases back, alert.
        { tier: TIER, scheduledAt: NEXT_RUN_AT, runJob: async () => ({ state: "FAILED", message: "Executor lost (recorded test)" }) },
      ],
      roots,
    );
    if (!job) throw new Error("the ingest job did not run");
    return { recordings: [run.coordinator, job], jobLog, jobExitCode };
  } finally {
    source.drop();
  }
}
