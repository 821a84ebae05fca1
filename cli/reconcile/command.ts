/**
 * `lake verify` and `lake reconcile`: compare the full copies with the source by key ranges (and
 * repair them), on the local lake (scripts/reconcile-local.sh) or a deployed stack (the
 * coordinator Lambda, asynchronously).
 */
import type { StartRunReport } from "../../handlers/coordinator/flows/startRun";
import { formatOption, parseCommandArgs, stringOption, UsageError, type ParsedArgs } from "../args";
import { EXIT, type Io } from "../io";
import { readStackFile } from "../stackFile";
import { loadTables } from "../tablesFile";
import { runLocalScript } from "./local";
import { localJson, localText, stackText, summarize } from "./render";
import { parseLocalReport, type ReconcileMode } from "./report";
import { selectedTables, selectionOf } from "./selection";
import { invokeCoordinator, manualReconcileEvent, newRequestId, stackTarget } from "./stack";

const OPTIONS = {
  domain: { type: "string" },
  all: { type: "boolean" },
  file: { type: "string" },
  format: { type: "string" },
  "source-db": { type: "string" },
  "lake-dir": { type: "string" },
  stack: { type: "string" },
  function: { type: "string" },
  "request-id": { type: "string" },
  "dry-run": { type: "boolean" },
} as const;

const STDERR_TAIL_LINES = 20;

function tail(text: string): string {
  return text.trimEnd().split("\n").slice(-STDERR_TAIL_LINES).join("\n");
}

export async function runReconcile(mode: ReconcileMode, argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(argv, OPTIONS, Number.MAX_SAFE_INTEGER);
  const format = formatOption(args);
  const selection = selectionOf(args);
  const file = stringOption(args, "file") ?? "tables.yaml";
  const loaded = loadTables(file, io);
  if (!loaded) return EXIT.invalidInput;
  const tables = selectedTables(loaded.model, selection);
  const stack = stringOption(args, "stack");
  if (stack !== undefined) return stackRun(mode, args, io, stack, loaded.model, tables, format);
  for (const option of ["function", "request-id", "dry-run"] as const) {
    if (args.values[option] !== undefined) throw new UsageError(`--${option} applies to --stack only`);
  }

  const result = await runLocalScript(
    { tablesYaml: loaded.path, sourceDb: stringOption(args, "source-db"), lakeDir: stringOption(args, "lake-dir"), selection, mode },
    io.cwd,
  );
  if (result.code === 2 || (result.code !== 0 && result.code !== 1)) {
    io.err(`${result.script} exited ${result.code}${result.code === 2 ? " (bad input)" : ""}:\n${tail(result.stderr)}`);
    return EXIT.usage;
  }
  let report;
  try {
    report = parseLocalReport(result.stdout);
  } catch (error) {
    io.err(`${result.script} exited ${result.code} but ${(error as Error).message}\n${tail(result.stderr)}`);
    return EXIT.usage;
  }
  const summary = summarize(report);
  const found = summary.counts.failed > 0 || (mode === "verify" && summary.counts.differs > 0);
  // The script's own verdict counts too: it may know of a failure its tables list does not show.
  const code = Math.max(found ? EXIT.findings : EXIT.ok, result.code);
  if (format === "json") io.out(localJson(mode, report, summary, code === EXIT.ok));
  else for (const line of localText(mode, report, summary)) io.out(line);
  return code;
}

async function stackRun(
  mode: ReconcileMode,
  args: ParsedArgs,
  io: Io,
  stack: string,
  model: Parameters<typeof manualReconcileEvent>[0],
  tables: readonly string[],
  format: "text" | "json",
): Promise<number> {
  for (const option of ["source-db", "lake-dir"] as const) {
    if (args.values[option] !== undefined) throw new UsageError(`--${option} applies to a local lake only (not with --stack)`);
  }
  const target = stackTarget(readStackFile(stack, [io.cwd]), stringOption(args, "function"));
  const event = manualReconcileEvent(model, tables, mode, stringOption(args, "request-id") ?? newRequestId(mode));
  if (args.values["dry-run"] === true) {
    if (format === "json")
      io.out(JSON.stringify({ mode, stack, function: target.functionName, region: target.region ?? null, event }, null, 2));
    else io.out(`dry run: would invoke ${target.functionName}${target.region ? ` (${target.region})` : ""} with ${JSON.stringify(event)}`);
    return EXIT.ok;
  }
  const report = (await invokeCoordinator(target, event)) as StartRunReport;
  if (format === "json") io.out(JSON.stringify({ mode, stack, function: target.functionName, event, report }, null, 2));
  else for (const line of stackText(target, event, report)) io.out(line);
  switch (report.outcome) {
    case "started":
      return report.busy.length > 0 ? EXIT.findings : EXIT.ok;
    case "duplicate":
      return EXIT.ok;
    case "nothing-leased":
      return EXIT.findings;
    default:
      return EXIT.usage;
  }
}

const COMMON_OPTIONS = `  Tables: name them, or --domain <name>, or --all (enabled tables). --file tables.yaml.
  Local lake (default): runs scripts/reconcile-local.sh [--source-db <db>] [--lake-dir <dir>].
  --stack <name>: asks that stack's coordinator Lambda (<lake:name>-<stack>-coordinator, or
  --function) to run it in the catch-all tier's job; --request-id makes a retry a no-op, --dry-run
  prints the event. The stack's result arrives when the job ends (state items, SNS alert).
  --format text|json.`;

export const VERIFY_USAGE = `lake verify (<table>... | --domain <name> | --all) [--stack <name>] [options]
  Compares each full copy with its source by key ranges, without loading or repairing.
${COMMON_OPTIONS}
  Exit 0 every table equal (stack: request started), 1 a table differs or failed (stack: a table
  held by another run), 2 usage or runtime error, 3 tables.yaml invalid.`;

export const RECONCILE_USAGE = `lake reconcile (<table>... | --domain <name> | --all) [--stack <name>] [options]
  Compares each full copy with its source by key ranges and repairs what differs (one Iceberg
  commit per table: rows the source no longer has deleted, changed rows replaced, missing rows inserted).
${COMMON_OPTIONS}
  Exit 0 every table equal after repair (stack: request started), 1 a repair failed (stack: a table
  held by another run), 2 usage or runtime error, 3 tables.yaml invalid.`;
