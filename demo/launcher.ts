/**
 * The local job launcher: the JobRunner port. Where Glue would start a job run, it runs
 * handlers/ingest/ingest_job.py under local Spark (spark-submit) with the arguments Glue would
 * pass: the job's default arguments (--tier, --state_table, --connection_name) plus the run's
 * (--run_id, --manifest_uri), and the local-only --jdbc_url. It reports each table as the job
 * finishes it, and the run's end (exit code, INGEST_RESULT) for the event delivery.
 */
import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import * as path from "node:path";
import type { JobRunner, StartResult } from "../handlers/coordinator/ports";
import { REPO, type DemoSettings } from "./settings";

/** What one reconcile of a table compared and repaired (the job's Outcome.to_result, reconcile.py). */
export interface ReconcileResult {
  readonly mode: "verify" | "repair";
  readonly equal: boolean;
  readonly method: string;
  readonly rangesCompared: number;
  readonly rangesRepaired: number;
  readonly rowsDeleted: number;
  readonly rowsUpdated: number;
  readonly rowsInserted: number;
  readonly sourceRowsScanned: number;
  readonly seconds: number;
}

export interface IngestTableResult {
  readonly name: string;
  readonly status: "LOADED" | "UNCHANGED" | "FAILED" | "REFUSED";
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsDeleted: number | null;
  readonly schemaChanged: boolean;
  readonly error: string | null;
  readonly durationMs: number;
  /** Present when the job reconciled the table in this run. */
  readonly reconcile?: ReconcileResult | null;
}

export interface IngestResult {
  readonly runId: string;
  readonly tier: string;
  readonly status: "SUCCEEDED" | "FAILED";
  readonly tables: readonly IngestTableResult[];
  readonly error?: string | null;
}

/** What Glue knows about a job: its default arguments and Spark settings. */
export interface LocalJob {
  readonly propertiesFile: string;
  readonly defaultArguments: Readonly<Record<string, string>>;
}

export interface JobRunEnd {
  readonly jobName: string;
  readonly jobRunId: string;
  readonly state: "SUCCEEDED" | "FAILED";
  readonly exitCode: number;
  readonly message: string;
  readonly result: IngestResult | undefined;
  readonly wallMs: number;
  readonly logFile: string;
}

interface Running {
  readonly jobName: string;
  readonly args: Readonly<Record<string, string>>;
  done: Promise<JobRunEnd> | undefined;
  readonly finished: string[];
  label: string;
  total: number | undefined;
  ended: boolean;
}

// The job's log format (job.py main): "<time> INFO lake_ingest [<thread>] <message>"; a table's
// worker thread is "table:<name>".
const TABLE_DONE = / lake_ingest (?:\[[^\]]*\] )?(\S+): (LOADED|UNCHANGED) rows read (\d+), written (\d+)/;
const TABLE_FAILED = / lake_ingest (?:\[[^\]]*\] )?(\S+) failed: (.*)$/;

/** A table's end as the job logs it (LOADED, UNCHANGED or failed), or undefined for any other line. */
export function tableEnd(line: string): { table: string; what: string } | undefined {
  const done = TABLE_DONE.exec(line);
  if (done) return { table: done[1] ?? "?", what: `${done[2]} (read ${done[3]}, written ${done[4]})` };
  const failed = TABLE_FAILED.exec(line);
  if (failed) return { table: failed[1] ?? "?", what: `FAILED ${(failed[2] ?? "").slice(0, 120)}` };
  return undefined;
}

export class LocalJobRunner implements JobRunner {
  private readonly runs = new Map<string, Running>();
  private counter = 0;

  constructor(
    private readonly settings: DemoSettings,
    private readonly jobs: Readonly<Record<string, LocalJob>>,
    private readonly logDir: string,
    private readonly progress: (line: string) => void,
  ) {
    mkdirSync(logDir, { recursive: true });
  }

  async start(jobName: string, args: Readonly<Record<string, string>>): Promise<StartResult> {
    const job = this.jobs[jobName];
    if (!job) return { ok: false, error: `EntityNotFoundException: job ${jobName} does not exist` };
    this.counter++;
    const jobRunId = `jr_local_${Date.now().toString(16)}_${this.counter}`;
    const argv: string[] = [];
    for (const [k, v] of Object.entries({ ...job.defaultArguments, ...args, "--jdbc_url": this.settings.jdbcUrl })) argv.push(k, v);
    const running: Running = {
      jobName,
      args,
      done: undefined,
      finished: [],
      label: args["--run_id"] ?? jobRunId,
      total: undefined,
      ended: false,
    };
    this.runs.set(jobRunId, running);
    running.done = this.spawnJob(jobName, jobRunId, job, argv, running);
    return { ok: true, jobRunId };
  }

  async runIdOf(_jobName: string, jobRunId: string): Promise<string | undefined> {
    return this.runs.get(jobRunId)?.args["--run_id"];
  }

  /** Names the run in progress lines ("daily 01:30 3/45"). */
  describe(jobRunId: string, label: string, total: number): void {
    const run = this.get(jobRunId);
    run.label = label;
    run.total = total;
  }

  /** Tables the job has finished so far (loaded, unchanged or failed). */
  finishedTables(jobRunId: string): readonly string[] {
    return this.get(jobRunId).finished;
  }

  /** The job run's process has exited. */
  hasEnded(jobRunId: string): boolean {
    return this.get(jobRunId).ended;
  }

  wait(jobRunId: string): Promise<JobRunEnd> {
    const done = this.get(jobRunId).done;
    if (!done) throw new Error(`local job run ${jobRunId} was never launched`);
    return done;
  }

  private get(jobRunId: string): Running {
    const run = this.runs.get(jobRunId);
    if (!run) throw new Error(`no local job run ${jobRunId}`);
    return run;
  }

  private spawnJob(jobName: string, jobRunId: string, job: LocalJob, argv: string[], running: Running): Promise<JobRunEnd> {
    const s = this.settings;
    const logFile = path.join(this.logDir, `${running.label.replace(/[^A-Za-z0-9_.-]/g, "_")}.log`);
    const log = createWriteStream(logFile);
    const started = Date.now();
    const python = path.join(s.venv, "bin", "python");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL_DYNAMODB: s.motoUrl,
      AWS_ENDPOINT_URL_S3: s.motoUrl,
      AWS_ACCESS_KEY_ID: "testing",
      AWS_SECRET_ACCESS_KEY: "testing",
      AWS_DEFAULT_REGION: s.region,
      LAKE_SOURCE_USER: s.sourceUser,
      LAKE_SOURCE_PASSWORD: s.sourcePassword,
      TZ: "UTC",
      PYSPARK_PYTHON: python,
      PYSPARK_DRIVER_PYTHON: python,
    };
    const child = spawn(
      path.join(s.venv, "bin", "spark-submit"),
      ["--master", "local[2]", "--properties-file", job.propertiesFile, path.join(REPO, "handlers", "ingest", "ingest_job.py"), ...argv],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let result: IngestResult | undefined;
    let stdoutTail = "";
    let stderrTail = "";
    const onLine = (line: string): void => {
      const run = running;
      const end = tableEnd(line);
      if (end) {
        run.finished.push(end.table);
        const of = run.total !== undefined ? `/${run.total}` : "";
        this.progress(`    ${run.label} ${run.finished.length}${of}  ${end.table} ${end.what}`);
      }
    };
    child.stdout.on("data", (chunk: Buffer) => {
      log.write(chunk);
      stdoutTail += chunk.toString("utf8");
      const lines = stdoutTail.split("\n");
      stdoutTail = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("INGEST_RESULT ")) result = JSON.parse(line.slice("INGEST_RESULT ".length)) as IngestResult;
        else onLine(line);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      log.write(chunk);
      stderrTail += chunk.toString("utf8");
      const lines = stderrTail.split("\n");
      stderrTail = lines.pop() ?? "";
      for (const line of lines) onLine(line);
    });
    return new Promise<JobRunEnd>((resolve) => {
      child.on("close", (code) => {
        running.ended = true;
        log.end();
        const exitCode = code ?? 1;
        const state = exitCode === 0 ? "SUCCEEDED" : "FAILED";
        const failedTables = result?.tables.filter((t) => t.status === "FAILED").map((t) => t.name) ?? [];
        const message =
          exitCode === 0
            ? ""
            : result?.error
              ? `job failed before loading any table: ${result.error}`
              : failedTables.length > 0
                ? `${failedTables.length} table(s) failed: ${failedTables.join(", ")}`
                : `spark-submit exited ${exitCode} (see ${logFile})`;
        resolve({ jobName, jobRunId, state, exitCode, message, result, wallMs: Date.now() - started, logFile });
      });
    });
  }
}
