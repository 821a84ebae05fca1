/**
 * lake reload <table...> / lake backfill <table...>: sends the coordinator its manual event
 * (handlers/coordinator/core/events.ts) for the named tables by invoking its Lambda, so the run
 * leases, loads and finalizes them like any scheduled run. backfill is reload --from-scratch:
 * the watermarks are removed first (the state contract's conditional "Reset") and the event asks
 * for a load without watermark. A table leased by a live run is refused unless --wait.
 */
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { DynamoLeaseStore } from "../../handlers/coordinator/aws/leaseStore";
import type { ManualEvent } from "../../handlers/coordinator/core/events";
import type { TableState } from "../../handlers/coordinator/core/types";
import type { CoordinatorReport } from "../../handlers/coordinator/coordinator";
import { formatOption, numberOption, parseCommandArgs, stringOption, UsageError } from "../args";
import { EXIT, type Io } from "../io";
import { loadTables } from "../tablesFile";
import { resetWatermark } from "../status/stateWrites";
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE, type StateTarget } from "../status/target";

const COMMON = `  --tier <t>             the tier whose Glue job runs the load (default: the syncsAllTables tier)
  --wait                 wait until no live run holds the tables (polls every --poll-seconds, default 15,
                         for at most --wait-minutes, default 60) instead of refusing
  --dry-run              show the tables' state and the event; change nothing, send nothing
  --request-id <id>      the event's requestId (default reload-<UTC time>-<random>); resending the same id
                         is a no-op for the coordinator
  --function <name>      the coordinator Lambda (default with --stack: <lake:name>-<stack>-coordinator)
  --lambda-endpoint <u>  where that Lambda answers (default: --endpoint)
${TARGET_USAGE}
  --format text|json
  Exit 0 sent and the run started (or nothing to do), 1 refused (leased, wait timed out, reset
  refused, or the coordinator rejected or could not start the run), 2 usage or AWS error, 3 tables.yaml invalid.`;

export const RELOAD_USAGE = `lake reload <table...> (--stack <s> | --state-table <t> --function <f>) [--from-scratch] [--tier <t>] [--wait] [--dry-run]
  Loads the named tables now, from their watermarks (--from-scratch: from the beginning, the
  watermark removed first while no run holds the table), through the coordinator's manual event.
${COMMON}`;

export const BACKFILL_USAGE = `lake backfill <table...> (--stack <s> | --state-table <t> --function <f>) [--tier <t>] [--wait] [--dry-run]
  lake reload --from-scratch: the tables are read from the source from the beginning.
${COMMON}`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  "lambda-endpoint": { type: "string" },
  tier: { type: "string" },
  "from-scratch": { type: "boolean" },
  wait: { type: "boolean" },
  "poll-seconds": { type: "string" },
  "wait-minutes": { type: "string" },
  "dry-run": { type: "boolean" },
  "request-id": { type: "string" },
  format: { type: "string" },
} as const;

function liveLease(state: TableState | undefined, now: Date): boolean {
  return state?.leaseRunId !== undefined && (state.leaseExpiresAt === undefined || state.leaseExpiresAt * 1000 >= now.getTime());
}

function describe(table: string, state: TableState | undefined, now: Date): string {
  const mark = state?.watermark ? `watermark ${state.watermark.kind} ${state.watermark.value}` : "no watermark";
  const lease = liveLease(state, now)
    ? `leased by ${state?.leaseRunId} (${state?.leaseTier ?? "?"}) until ${new Date((state?.leaseExpiresAt ?? 0) * 1000).toISOString()}`
    : "free";
  return `  ${table}: ${mark}; ${lease}`;
}

async function readStates(target: StateTarget, tables: readonly string[]): Promise<Map<string, TableState>> {
  try {
    return await new DynamoLeaseStore(target.dynamodb, target.stateTable).read(tables);
  } catch (error) {
    throw new Error(`cannot read ${target.label}: ${(error as Error).message}`);
  }
}

async function invoke(target: StateTarget, functionName: string, event: ManualEvent): Promise<CoordinatorReport> {
  const res = await target.lambda.send(
    new InvokeCommand({ FunctionName: functionName, InvocationType: "RequestResponse", Payload: Buffer.from(JSON.stringify(event)) }),
  );
  const payload = res.Payload ? Buffer.from(res.Payload).toString("utf8") : "";
  if (res.FunctionError) throw new Error(`the coordinator ${functionName} failed (${res.FunctionError}): ${payload.slice(0, 500)}`);
  return JSON.parse(payload) as CoordinatorReport;
}

function reportText(report: CoordinatorReport): string {
  switch (report.outcome) {
    case "started":
      return (
        `run ${report.runId} started (Glue job run ${report.jobRunId}): ${report.leased.join(", ")}` +
        (report.busy.length > 0
          ? `; skipped, held by another run: ${report.busy.map((b) => `${b.table} (${b.holderRunId ?? "?"})`).join(", ")}`
          : "")
      );
    case "nothing-leased":
      return `run ${report.runId}: nothing leased; held by other runs: ${report.busy.map((b) => `${b.table} (${b.holderRunId ?? "?"})`).join(", ")}`;
    case "duplicate":
      return `already sent: the coordinator has run ${report.runId ?? "?"} for this request id`;
    case "rejected":
      return `rejected by the coordinator: ${report.reason}`;
    default:
      return `coordinator: ${JSON.stringify(report)}`;
  }
}

function exitFor(report: CoordinatorReport): number {
  return report.outcome === "started" || report.outcome === "duplicate" ? EXIT.ok : EXIT.findings;
}

async function reloadTables(argv: readonly string[], io: Io, command: "reload" | "backfill"): Promise<number> {
  const args = parseCommandArgs(argv, OPTIONS, Number.MAX_SAFE_INTEGER);
  const format = formatOption(args);
  const tables = [...new Set(args.positionals)];
  if (tables.length === 0) throw new UsageError("name at least one table");
  const fromScratch = command === "backfill" || args.values["from-scratch"] === true;
  const dryRun = args.values["dry-run"] === true;
  const pollSeconds = numberOption(args, "poll-seconds", 15);
  const waitMinutes = numberOption(args, "wait-minutes", 60);
  const lambdaEndpoint = stringOption(args, "lambda-endpoint");
  const target = await resolveTarget(args, io, lambdaEndpoint);
  const functionName = target.coordinatorFunction;
  if (!functionName) throw new UsageError("--function <coordinator Lambda> is required with --state-table");
  const loaded = loadTables(target.tablesFile, io);
  if (!loaded) return EXIT.invalidInput;
  const model = loaded.model;
  const unknown = tables.filter((t) => !model.tables.some((m) => m.name === t));
  if (unknown.length > 0) throw new UsageError(`${loaded.file}: no table named ${unknown.join(", ")}`);
  const disabled = tables.filter((t) => model.tables.some((m) => m.name === t && !m.enabled));
  if (disabled.length > 0) throw new UsageError(`${loaded.file}: table(s) ${disabled.join(", ")} are disabled (enabled: false)`);
  const tier = stringOption(args, "tier") ?? model.tiers.find((t) => t.syncsAllTables)?.name ?? model.tiers[0].name;
  if (!model.tiers.some((t) => t.name === tier))
    throw new UsageError(`--tier: unknown tier "${tier}" (tiers in ${loaded.file}: ${model.tiers.map((t) => t.name).join(", ")})`);
  const requestId =
    stringOption(args, "request-id") ??
    `reload-${new Date()
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+Z$/, "Z")}-${randomBytes(4).toString("hex")}`;
  const event: ManualEvent = { kind: "manual", tier, tables, requestId, reload: fromScratch };

  const lines: string[] = [];
  const say = (line: string): void => {
    if (format === "text") io.out(line);
    else lines.push(line);
  };
  const finish = (code: number, extra: Record<string, unknown>): number => {
    if (format === "json")
      io.out(JSON.stringify({ event, functionName, stateTable: target.stateTable, dryRun, ...extra, messages: lines }, null, 2));
    return code;
  };

  say(
    `${command} of ${tables.length} table(s) through ${functionName} (tier ${tier}, request ${requestId}, ${fromScratch ? "from scratch" : "from the watermark"}):`,
  );
  let states = await readStates(target, tables);
  for (const t of tables) say(describe(t, states.get(t), new Date()));
  const held = (): string[] => tables.filter((t) => liveLease(states.get(t), new Date()));

  if (dryRun) {
    const busy = held();
    if (busy.length > 0) say(`would ${args.values.wait === true ? "wait for" : "refuse"}: ${busy.join(", ")} held by a live run`);
    if (fromScratch) say(`would remove the watermark of ${tables.join(", ")} (conditional: no live lease)`);
    say(`would invoke ${functionName} with ${JSON.stringify(event)}`);
    say("dry run: nothing changed, nothing sent");
    return finish(EXIT.ok, { sent: false });
  }

  if (held().length > 0) {
    if (args.values.wait !== true) {
      say(`refused: ${held().join(", ")} held by a live run; pass --wait to wait for it`);
      return finish(EXIT.findings, { sent: false, refused: held() });
    }
    const deadline = Date.now() + waitMinutes * 60_000;
    while (held().length > 0) {
      if (Date.now() >= deadline) {
        say(`gave up after ${waitMinutes} min: ${held().join(", ")} still held`);
        return finish(EXIT.findings, { sent: false, refused: held() });
      }
      say(`waiting for ${held().join(", ")} (next check in ${pollSeconds} s)`);
      await sleep(pollSeconds * 1000);
      states = await readStates(target, tables);
    }
  }

  if (fromScratch) {
    const refused: string[] = [];
    for (const t of tables) {
      if (!states.has(t)) continue; // never loaded: no watermark to remove
      const outcome = await resetWatermark(target.dynamodb, target.stateTable, t, requestId, new Date());
      if (outcome.reset) say(`  ${t}: ${states.get(t)?.watermark ? "watermark removed" : "reset (no watermark was stored)"}`);
      else refused.push(`${t} (leased by ${outcome.holderRunId ?? "?"} meanwhile)`);
    }
    if (refused.length > 0) {
      say(
        `refused: a run leased ${refused.join(", ")} before the reset; nothing sent (tables reset above load from scratch on their next run)`,
      );
      return finish(EXIT.findings, { sent: false, refused });
    }
  }
  const report = await invoke(target, functionName, event);
  say(reportText(report));
  return finish(exitFor(report), { sent: true, report });
}

export const reloadCommand = (argv: readonly string[], io: Io): Promise<number> => reloadTables(argv, io, "reload");
export const backfillCommand = (argv: readonly string[], io: Io): Promise<number> => reloadTables(argv, io, "backfill");
