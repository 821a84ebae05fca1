/**
 * A local lake: runs scripts/reconcile-local.sh (the real job through the local harness, with
 * skipLoad) and reads the one JSON document it prints. LAKE_RECONCILE_SCRIPT replaces the script
 * (the CLI tests put a stand-in there; nothing else should).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { REPO_ROOT } from "../stackFile";
import type { ReconcileMode } from "./report";
import type { Selection } from "./selection";

export const RECONCILE_LOCAL_SCRIPT = join(REPO_ROOT, "scripts", "reconcile-local.sh");
export const SCRIPT_OVERRIDE_ENV = "LAKE_RECONCILE_SCRIPT";

export interface LocalRun {
  readonly tablesYaml: string;
  readonly sourceDb: string | undefined;
  readonly lakeDir: string | undefined;
  readonly selection: Selection;
  readonly mode: ReconcileMode;
}

export interface ScriptResult {
  readonly script: string;
  readonly args: readonly string[];
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The script's arguments, in the contract's form. */
export function localArguments(run: LocalRun): string[] {
  const args = ["--tables-yaml", run.tablesYaml];
  if (run.sourceDb !== undefined) args.push("--source-db", run.sourceDb);
  if (run.lakeDir !== undefined) args.push("--lake-dir", run.lakeDir);
  const s = run.selection;
  if (s.kind === "tables") args.push("--tables", s.tables.join(","));
  else if (s.kind === "domain") args.push("--domain", s.domain);
  else args.push("--all");
  args.push("--mode", run.mode);
  return args;
}

export function localScript(env: NodeJS.ProcessEnv = process.env): string {
  return env[SCRIPT_OVERRIDE_ENV]?.trim() || RECONCILE_LOCAL_SCRIPT;
}

/** Runs the script to its end; stdout and stderr are captured (Spark logs are long). */
export function runLocalScript(run: LocalRun, cwd: string, script = localScript()): Promise<ScriptResult> {
  const args = localArguments(run);
  return new Promise((resolve, reject) => {
    const child = spawn(script, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", (error) => reject(new Error(`cannot run ${script}: ${error.message}`)));
    child.on("close", (code, signal) =>
      resolve({
        script,
        args,
        code: code ?? (signal ? 128 : -1),
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}
