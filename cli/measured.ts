/**
 * Measured run times for `lake plan --measured <file>`: the JSON bench/scale_bench.py writes
 * (--json). Validated on read; an error names the file and the field.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./args";

/** The "format" value bench/scale_bench.py writes (FORMAT there). */
export const MEASURED_FORMAT = "lake-scale-bench/1";

/** One timed run of the ingest job. */
export interface MeasuredRun {
  readonly label: string;
  readonly tier: string;
  readonly strategy: string;
  readonly tables: number;
  readonly rowsPerTable: number;
  readonly concurrency: number;
  readonly wallSeconds: number;
  /** 1, 5 and 15 minute load average when the run ended (the machine may be shared). */
  readonly loadAverage: readonly number[];
}

export interface MeasuredFile {
  readonly path: string;
  readonly measuredAt: string;
  readonly cores: number;
  readonly runs: readonly MeasuredRun[];
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

function field<T>(path: string, where: string, doc: Dict, name: string, check: (v: unknown) => v is T, what: string): T {
  const value = doc[name];
  if (!check(value)) throw new UsageError(`${path}: ${where}${name} must be ${what} (got ${JSON.stringify(value)})`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;
const isPositiveCount = (v: unknown): v is number => isCount(v) && v > 0;
const isSeconds = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;
const isLoad = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === "number");

export function parseMeasured(text: string, path: string): MeasuredFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not JSON (${(error as Error).message})`);
  }
  if (!isDict(doc)) throw new UsageError(`${path}: not a JSON object`);
  if (doc.format !== MEASURED_FORMAT) {
    throw new UsageError(`${path}: format must be "${MEASURED_FORMAT}" (bench/scale_bench.py --json), got ${JSON.stringify(doc.format)}`);
  }
  if (!Array.isArray(doc.runs)) throw new UsageError(`${path}: runs must be a list`);
  const runs = doc.runs.map((run: unknown, i: number): MeasuredRun => {
    const where = `runs[${i}].`;
    if (!isDict(run)) throw new UsageError(`${path}: runs[${i}] must be an object`);
    return {
      label: field(path, where, run, "label", isString, "a non-empty string"),
      tier: field(path, where, run, "tier", isString, "a non-empty string"),
      strategy: field(path, where, run, "strategy", isString, "a non-empty string"),
      tables: field(path, where, run, "tables", isPositiveCount, "a positive whole number"),
      rowsPerTable: field(path, where, run, "rowsPerTable", isCount, "a whole number"),
      concurrency: field(path, where, run, "concurrency", isPositiveCount, "a positive whole number"),
      wallSeconds: field(path, where, run, "wallSeconds", isSeconds, "a non-negative number of seconds"),
      loadAverage: field(path, where, run, "loadAverage", isLoad, "a list of numbers"),
    };
  });
  return {
    path,
    measuredAt: field(path, "", doc, "measuredAt", isString, "a timestamp"),
    cores: field(path, "", doc, "cores", isCount, "a whole number"),
    runs,
  };
}

/** path as the user gave it (errors name it), resolved against cwd. */
export function readMeasured(path: string, cwd: string): MeasuredFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    throw new UsageError(`--measured ${path}: cannot read (${(error as Error).message})`);
  }
  return parseMeasured(text, path);
}

/**
 * The run that stands for a tier's scheduled run: a run recorded under the tier's name that
 * loads changes (not the initial load, not a snapshot full reload), the one with the most tables
 * (then the highest concurrency: the job's default is concurrent). Undefined: not measured.
 */
export function runForTier(file: MeasuredFile, tier: string): MeasuredRun | undefined {
  const candidates = file.runs.filter((r) => r.tier === tier && r.strategy !== "snapshot" && r.label !== "initial load");
  return [...candidates].sort((a, b) => b.tables - a.tables || b.concurrency - a.concurrency)[0];
}
