/**
 * A job run ended: return the leases the run still holds, queue crawls for tables whose schema
 * the catalog has not seen (tagging their PII columns), serve the crawl queue, publish metrics
 * and an alert naming every failed table and every reconcile that repaired more rows than the
 * table tolerates. Crawl serving never stops a finalize (its problems are reported and alerted);
 * any other error gives the claim back before it is rethrown, so that the retry of the event
 * finalizes the run instead of finding it FINALIZING.
 */
import { buildAlert } from "../core/alert";
import { crawlRequests } from "../core/crawl";
import type { JobStateEvent, TerminalJobState } from "../core/events";
import { freshnessLines } from "../core/freshnessMetrics";
import { emfLine, metricDimensions } from "../core/metrics";
import { classifyRun, countOutcomes, failures, type OutcomeCounts } from "../core/outcome";
import { repairAlertReason, repairsNeedAlert, type ReconcileOutcome } from "../core/reconcileOutcome";
import { isRunId } from "../core/runId";
import { epochSeconds } from "../core/time";
import type { RunRecord } from "../core/types";
import { errorText, type FlowContext } from "./context";
import { describeRawTables, reportedColumnDocs } from "./describeTables";
import { reconcileOutcomes } from "./reconcileReport";
import { serveCrawls, tagPiiColumns, unservedCrawls, type CrawlReport } from "./serveCrawls";

/**
 * A finalizer that died mid-way (killed, not failed: a failure gives its claim back) may be
 * replaced by a job-end event delivered after this long (the Lambda's maximum timeout).
 */
export const FINALIZE_STALE_SECONDS = 900;

export type FinalizeReport =
  | { readonly outcome: "ignored"; readonly reason: string }
  | { readonly outcome: "rejected"; readonly reason: string }
  | { readonly outcome: "duplicate"; readonly runId: string; readonly status: string }
  | {
      readonly outcome: "finalized";
      readonly runId: string;
      readonly counts: OutcomeCounts;
      readonly failed: readonly { readonly table: string; readonly reason: string }[];
      readonly released: readonly string[];
      readonly crawlRequested: readonly string[];
      readonly crawl: CrawlReport;
      /** What each reconcile of the run found and repaired. */
      readonly reconciled: readonly ReconcileOutcome[];
    };

function tierOfJob(ctx: FlowContext, jobName: string): string | undefined {
  return Object.entries(ctx.config.tierJobs).find(([, job]) => job === jobName)?.[0];
}

async function resolveRun(ctx: FlowContext, event: JobStateEvent): Promise<RunRecord | string> {
  if (tierOfJob(ctx, event.jobName) === undefined) return `job "${event.jobName}" is not one of this lake's tier jobs (TIER_JOBS)`;
  const runId = await ctx.ports.jobs.runIdOf(event.jobName, event.jobRunId);
  if (runId === undefined || !isRunId(runId))
    return `job run ${event.jobRunId} carries no valid --run_id argument (started outside the coordinator?)`;
  const run = await ctx.ports.runs.get(runId);
  if (!run) return `no run record for run ${runId}`;
  return run;
}

export async function finalizeRun(ctx: FlowContext, event: JobStateEvent): Promise<FinalizeReport> {
  const { ports } = ctx;
  const { log } = ports;
  if (event.state === undefined) {
    const reason = `job state ${event.rawState} is not terminal`;
    log.info("job.state_ignored", { jobName: event.jobName, jobRunId: event.jobRunId, state: event.rawState });
    return { outcome: "ignored", reason };
  }
  const run = await resolveRun(ctx, event);
  if (typeof run === "string") {
    log.error("event.rejected", { reason: run, jobName: event.jobName, jobRunId: event.jobRunId });
    return { outcome: "rejected", reason: run };
  }
  const now = ports.clock.now();
  const claimed = await ports.runs.transition(
    run.runId,
    ["STARTING", "RUNNING"],
    "FINALIZING",
    { jobRunId: event.jobRunId },
    {
      status: "FINALIZING",
      updatedBefore: epochSeconds(now) - FINALIZE_STALE_SECONDS,
    },
  );
  if (!claimed) {
    log.info("event.duplicate", { runId: run.runId, status: run.status, jobRunId: event.jobRunId });
    return { outcome: "duplicate", runId: run.runId, status: run.status };
  }

  try {
    return await finalizeClaimed(ctx, event, event.state, run, now);
  } catch (error) {
    // Back to RUNNING (claimable at once): the Lambda retry of this event then finalizes the run.
    // Every step before FINALIZED is safe to repeat (conditional releases, set-union queue adds).
    const given = await ports.runs.transition(run.runId, ["FINALIZING"], "RUNNING", { error: errorText(error) }).catch(() => false);
    log.error("run.finalize_failed", { runId: run.runId, error: errorText(error), claimGivenBack: given });
    throw error;
  }
}

async function finalizeClaimed(
  ctx: FlowContext,
  event: JobStateEvent,
  state: TerminalJobState,
  run: RunRecord,
  now: Date,
): Promise<FinalizeReport> {
  const { ports, config } = ctx;
  const { log } = ports;
  const job = { state, message: event.message };
  const states = await ports.leases.read(run.tables);
  const outcomes = classifyRun(run.runId, run.tables, states, job);
  const unfinished = outcomes.filter((o) => o.kind === "unfinished").map((o) => o.table);
  const reason = `job run ended ${state} before the table was committed${event.message ? `: ${event.message}` : ""}`;
  const { released } = unfinished.length > 0 ? await ports.leases.release(unfinished, run.runId, reason) : { released: [] };

  const requested = crawlRequests(outcomes, states);
  // Every run, both zones, whether or not the schema changed (issue 11: tags are reconciled, not only set once).
  const fullTagFailures = [...(await tagPiiColumns(ctx, run.tables, "full")), ...(await tagPiiColumns(ctx, run.tables, "raw"))];
  // Raw tables' description, parameters and column comments, reconciled like the tags.
  const describeFailures = await describeRawTables(ctx, run.tables, states, await reportedColumnDocs(ctx, run));
  let crawl: CrawlReport;
  try {
    if (requested.length > 0) await ports.crawlQueue.add(requested);
    crawl = await serveCrawls(ctx, run.runId);
  } catch (error) {
    // Not queued, or queued but not served: a request not queued is detected again on the
    // table's next load (its fingerprint still differs from the catalog's).
    log.error("crawler.serve_failed", { runId: run.runId, error: errorText(error), requested });
    crawl = unservedCrawls(ctx, requested, `crawl queue not served (${errorText(error)})`);
  }
  if (requested.length === 0 && crawl.started.length === 0)
    log.info("crawler.skipped", { runId: run.runId, reason: "no table of the run is new or changed" });

  const reconciled = await reconcileOutcomes(ctx, run, states);
  await ports.runs.transition(run.runId, ["FINALIZING"], "FINALIZED");
  const counts = countOutcomes(outcomes);
  const crawlProblems = crawl.problems.flatMap((p) => p.tables.map((table) => ({ table, reason: p.reason })));
  const failed = [...failures(outcomes), ...fullTagFailures, ...describeFailures, ...crawl.tagFailures, ...crawlProblems];
  const overRepaired = reconciled.filter(repairsNeedAlert);
  log.info("run.finalized", {
    runId: run.runId,
    tier: run.tier,
    jobState: state,
    ...counts,
    released: released.length,
    crawlRequested: requested,
    reconciled: reconciled.length,
  });
  if (overRepaired.length > 0)
    log.warn("reconcile.repairs_over_threshold", {
      runId: run.runId,
      tables: overRepaired.map((o) => ({ table: o.table, repaired: o.repaired, repairAlertRows: o.repairAlertRows })),
    });
  // Read after the job's commits: lastLoadedAt is this run's for the tables it loaded.
  const freshness = {
    lakeName: config.lakeName,
    environment: config.environment,
    tier: run.tier,
    runId: run.runId,
    tables: run.tables,
    states,
    now,
  };
  for (const line of freshnessLines(freshness)) log.metric(line);
  publishMetrics(ctx, run, counts, crawl, requested.length, now, state, reconciled);
  const jobFailed = failed.length > 0 || state !== "SUCCEEDED";
  if (jobFailed || overRepaired.length > 0) {
    const headline = [
      ...(jobFailed ? [`job ${state}: ${counts.failed} of ${run.tables.length} table(s) failed`] : []),
      ...(overRepaired.length > 0 ? [`reconcile repaired too many rows in ${overRepaired.length} table(s)`] : []),
    ].join("; ");
    const alert = buildAlert({
      lakeName: config.lakeName,
      environment: config.environment,
      runId: run.runId,
      tier: run.tier,
      headline,
      failures: [...failed, ...overRepaired.map((o) => ({ table: o.table, reason: repairAlertReason(o) }))],
    });
    await ports.alerter.publish(alert.subject, alert.message);
  }
  return { outcome: "finalized", runId: run.runId, counts, failed, released, crawlRequested: requested, crawl, reconciled };
}

function publishMetrics(
  ctx: FlowContext,
  run: RunRecord,
  counts: OutcomeCounts,
  crawl: CrawlReport,
  requested: number,
  now: Date,
  state: string,
  reconciled: readonly ReconcileOutcome[],
): void {
  const since = Date.parse(run.scheduledAt ?? run.createdAt);
  const lagSeconds = Number.isNaN(since) ? 0 : Math.max(0, Math.round((now.getTime() - since) / 1000));
  const pendingTables = crawl.pending.reduce((n, p) => n + p.tables.length, 0);
  const line = emfLine(
    metricDimensions(ctx.config, { Tier: run.tier }),
    [
      { name: "TablesLoaded", value: counts.loaded, unit: "Count" },
      { name: "TablesUnchanged", value: counts.unchanged, unit: "Count" },
      { name: "TablesFailed", value: counts.failed, unit: "Count" },
      { name: "TablesSuperseded", value: counts.superseded, unit: "Count" },
      { name: "RowsRead", value: counts.rowsRead, unit: "Count" },
      { name: "RowsWritten", value: counts.rowsWritten, unit: "Count" },
      { name: "CrawlersStarted", value: crawl.started.length, unit: "Count" },
      { name: "CrawlSkipped", value: requested === 0 && crawl.started.length === 0 ? 1 : 0, unit: "Count" },
      { name: "CrawlPendingTables", value: pendingTables, unit: "Count" },
      { name: "RunLagSeconds", value: lagSeconds, unit: "Seconds" },
      { name: "JobRunsFailed", value: state === "SUCCEEDED" ? 0 : 1, unit: "Count" },
      { name: "ReconcileTables", value: reconciled.length, unit: "Count" },
      // A verify repairs nothing, whatever differences it counted.
      { name: "ReconcileRepairedRows", value: reconciled.reduce((n, o) => n + (o.mode === "verify" ? 0 : o.repaired), 0), unit: "Count" },
    ],
    now,
    { runId: run.runId, jobState: state },
  );
  ctx.ports.log.metric(line);
}
