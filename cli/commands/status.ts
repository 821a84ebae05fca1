/**
 * lake status (--stack <s> | --state-table <t> [--endpoint <url>] [--region r]) [--format text|json] [--grace 30] [--at <ISO>]
 * Per table of tables.yaml: last load outcome and time, watermark, lag against its tiers'
 * schedules, lease, last error, rows read; a summary per tier. Read-only: consistent reads of
 * the `table#` items (handlers/contracts/STATE.md) through the coordinator's own state code.
 */
import { DynamoLeaseStore } from "../../handlers/coordinator/aws/leaseStore";
import { formatOption, numberOption, parseCommandArgs, stringOption, UsageError } from "../args";
import { EXIT, type Io } from "../io";
import { loadTables } from "../tablesFile";
import { tierDueTimes } from "../status/freshness";
import { renderStatus, statusReport } from "../status/report";
import { resolveTarget, TARGET_OPTIONS, TARGET_USAGE } from "../status/target";

export const STATUS_USAGE = `lake status (--stack <s> | --state-table <t> [--endpoint <url>] [--region <r>]) [--format text|json]
            [--grace <minutes>] [--at <ISO time>]
  Per table: health (fresh, stale, failing, never-loaded, disabled), last load outcome and time, lag,
  the tier fire it is due by, watermark, rows read, lease holder and expiry, last error; then a
  summary per tier. A table is stale when it was not loaded since the last fire of its tier or the
  catch-all tier at least --grace minutes (default 30) before now (or --at).
${TARGET_USAGE}
  Exit 0 every enabled table fresh, 1 a table stale, failing or never loaded, 2 usage or AWS error,
  3 tables.yaml invalid.`;

export async function statusCommand(argv: readonly string[], io: Io): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { ...TARGET_OPTIONS, format: { type: "string" }, grace: { type: "string" }, at: { type: "string" } },
    0,
  );
  const format = formatOption(args);
  const graceMinutes = numberOption(args, "grace", 30);
  const atText = stringOption(args, "at");
  const now = atText !== undefined ? new Date(atText) : new Date();
  if (Number.isNaN(now.getTime())) throw new UsageError(`--at "${atText}" is not an ISO-8601 time`);
  const target = await resolveTarget(args, io);
  const loaded = loadTables(target.tablesFile, io);
  if (!loaded) return EXIT.invalidInput;
  const model = loaded.model;
  let states;
  try {
    states = await new DynamoLeaseStore(target.dynamodb, target.stateTable).read(model.tables.map((t) => t.name));
  } catch (error) {
    throw new Error(`cannot read ${target.label}: ${(error as Error).message}`);
  }
  const report = statusReport(model, states, tierDueTimes(model, target.businessTimeZone, now, graceMinutes), now, graceMinutes);
  io.out(
    format === "json"
      ? JSON.stringify({ target: target.label, stateTable: target.stateTable, ...report }, null, 2)
      : renderStatus(report, target.label),
  );
  return report.needsAttention > 0 ? EXIT.findings : EXIT.ok;
}
