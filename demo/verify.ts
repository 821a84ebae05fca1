/** Runs demo/verify.py under local Spark over a pipeline's lake and returns its per-table verdicts. */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import type { VerifyTarget } from "./pipeline";
import type { DemoSettings } from "./settings";

export type VerifyStatus = "EQUAL" | "DIFFERENT" | "SOURCE_MISSING" | "LAKE_MISSING" | "COLUMNS_MISSING";

export interface TableVerdict {
  readonly name: string;
  readonly sourceName: string;
  readonly status: VerifyStatus;
  readonly detail?: string;
  readonly sourceRows?: number;
  readonly lakeRows?: number;
  readonly missing?: number;
  readonly extra?: number;
  readonly keyDuplicates?: number;
  /** Lake rows whose primary key the source no longer has (deleted at the source, still in the lake). */
  readonly keysNotInSource?: number;
  readonly extraLakeColumns?: readonly string[];
}

export async function verifyLake(
  settings: DemoSettings,
  propertiesFile: string,
  targets: readonly VerifyTarget[],
  tag: string,
  progress: (line: string) => void,
): Promise<TableVerdict[]> {
  const dir = path.join(settings.work, "verify");
  mkdirSync(dir, { recursive: true });
  const request = path.join(dir, `${tag}-request.json`);
  const resultFile = path.join(dir, `${tag}-result.json`);
  // The schema holding the tables: the database for MariaDB, public for PostgreSQL (the manifest's default).
  const schema = settings.engine === "postgresql" ? "public" : settings.database;
  writeFileSync(request, JSON.stringify({ jdbcUrl: settings.jdbcUrl, engine: settings.engine, schema, targets }, null, 1));
  const python = path.join(settings.venv, "bin", "python");
  const child = spawn(
    path.join(settings.venv, "bin", "spark-submit"),
    ["--master", "local[2]", "--properties-file", propertiesFile, path.join(__dirname, "verify.py"), request, resultFile],
    {
      env: {
        ...process.env,
        TZ: "UTC",
        PYSPARK_PYTHON: python,
        PYSPARK_DRIVER_PYTHON: python,
        LAKE_SOURCE_USER: settings.sourceUser,
        LAKE_SOURCE_PASSWORD: settings.sourcePassword,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let tail = "";
  let stderr = "";
  let done = 0;
  child.stdout.on("data", (chunk: Buffer) => {
    tail += chunk.toString("utf8");
    const lines = tail.split("\n");
    tail = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("VERIFY ")) continue;
      const v = JSON.parse(line.slice(7)) as TableVerdict;
      done++;
      progress(
        `    verify ${done}/${targets.length}  ${v.name}: ${v.status}${v.lakeRows !== undefined ? ` (${v.lakeRows} lake rows)` : ""}`,
      );
    }
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString("utf8")).slice(-4000);
  });
  const code = await new Promise<number>((resolve) => child.on("close", (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`verification (${tag}) failed with exit code ${code}:\n${stderr}`);
  return JSON.parse(readFileSync(resultFile, "utf8")) as TableVerdict[];
}
