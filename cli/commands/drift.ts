/** lake drift --source <url> [--file tables.yaml] [--format text|json] [--baseline drift.json] */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { formatOption, parseCommandArgs, stringOption, UsageError } from "../args";
import { findDrift } from "../drift";
import { readSourceSchema } from "../introspect";
import { EXIT, type Io } from "../io";
import { loadTables } from "../tablesFile";

export const DRIFT_USAGE = `lake drift --source <url> [--file tables.yaml] [--format text|json] [--baseline <previous drift json>]
  Compares tables.yaml with the source: onboarded tables missing at the source, a cursor, key,
  primary-key or pii column gone (action); source tables not onboarded, columns that look like
  PII but are not listed, and with --baseline new columns since that run (info).
  Exit 0 no action needed, 1 drift needs action, 2 usage/connection error, 3 tables.yaml invalid.`;

function readBaseline(path: string): Record<string, string[]> {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as { columns?: Record<string, string[]> };
    if (typeof parsed.columns !== "object" || parsed.columns === null) throw new Error('no "columns" object');
    return parsed.columns;
  } catch (error) {
    throw new UsageError(`--baseline ${path}: not a lake drift --format json output (${(error as Error).message})`);
  }
}

export async function driftCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { source: { type: "string" }, file: { type: "string" }, format: { type: "string" }, baseline: { type: "string" } },
    0,
  );
  const url = stringOption(args, "source");
  if (!url) throw new UsageError("--source <url> is required");
  const format = formatOption(args);
  const baselinePath = stringOption(args, "baseline");
  const baseline = baselinePath ? readBaseline(resolve(io.cwd, baselinePath)) : undefined;
  const loaded = loadTables(stringOption(args, "file") ?? "tables.yaml", io);
  if (!loaded) return EXIT.invalidInput;
  const report = findDrift(loaded.model, await readSourceSchema(url), baseline);
  const action = report.findings.filter((f) => f.severity === "action");
  if (format === "json") {
    io.out(JSON.stringify({ ...report, needsAction: action.length > 0 }, null, 2));
  } else {
    for (const f of report.findings) io.out(`${f.severity === "action" ? "ACTION" : "info  "} ${f.kind}: ${f.message}`);
    const info = report.findings.length - action.length;
    io.out(
      `${report.source} vs ${report.file}: ${action.length} finding(s) need action, ${info} info` +
        (baseline ? "" : " (new columns need --baseline)"),
    );
  }
  return action.length > 0 ? EXIT.findings : EXIT.ok;
}
