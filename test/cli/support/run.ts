/** Runs the lake CLI in-process (main) or as a child process, capturing output and the exit code. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../../../cli/index";
import { PASSWORD, REPO_ROOT } from "./mariadb";

export interface CliResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function lake(args: readonly string[], cwd = REPO_ROOT): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const previous = process.env.LAKE_SOURCE_PASSWORD;
  process.env.LAKE_SOURCE_PASSWORD = PASSWORD;
  try {
    const code = await main(args, { cwd, out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    if (previous === undefined) delete process.env.LAKE_SOURCE_PASSWORD;
    else process.env.LAKE_SOURCE_PASSWORD = previous;
  }
}

/** The real command line: `node -r ts-node/register/transpile-only cli/index.ts ...`. */
export function lakeProcess(args: readonly string[], cwd = REPO_ROOT): CliResult {
  const result = spawnSync(
    process.execPath,
    ["-r", require.resolve("ts-node/register/transpile-only"), join(REPO_ROOT, "cli", "index.ts"), ...args],
    {
      cwd,
      encoding: "utf8",
      env: { ...process.env, LAKE_SOURCE_PASSWORD: PASSWORD, TS_NODE_PROJECT: join(REPO_ROOT, "tsconfig.json") },
      timeout: 60_000,
    },
  );
  if (result.error) throw result.error;
  return { code: result.status ?? -1, out: result.stdout, err: result.stderr };
}

const tempDirs: string[] = [];
process.on("exit", () => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temp directory holding a copy of the repository's tables.yaml, removed when the test process exits. */
export function tempTablesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "lake-cli-"));
  tempDirs.push(dir);
  copyFileSync(join(REPO_ROOT, "tables.yaml"), join(dir, "tables.yaml"));
  return dir;
}
