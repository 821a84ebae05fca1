/**
 * A scheduled or manual run: claim the event, lease the due tables, write the manifest, start
 * the tier's job. Any failure after leasing gives every lease back, unless the job may be running.
 * A start attempt that died before the job started is resumed by a later delivery of its event.
 */
import { manifestKey, stateKeys } from "../../../model";
import { buildAlert } from "../core/alert";
import { dueTables } from "../core/due";
import type { ManualEvent, ScheduleEvent } from "../core/events";
import { jobArguments } from "../core/jobArgs";
import { buildManifest } from "../core/manifest";
import { manifestProblems } from "../core/manifestSchema";
import { emfLine, metricDimensions, type Metric } from "../core/metrics";
import { planReconciles } from "../core/reconcilePlan";
import { formatRunId } from "../core/runId";
import { epochSeconds } from "../core/time";
import type { BusyTable, LeaseResult, RunRecord } from "../core/types";
import { errorText, RUN_TTL_SECONDS, SCHEDULE_TTL_SECONDS, type FlowContext } from "./context";

/**
 * A run still STARTING without a job run, with no progress for this long, is taken for a start
 * attempt that died (a Lambda retry comes 1 and 3 minutes after a failed attempt, and only then).
 * Longer than one step of a live attempt: the attempt also records its progress before starting
 * the job, and a taken-over attempt can no longer start it (its run writes name the attempt).
 */
export const START_STALE_SECONDS = 60;
/** How far before the run's creation a resumed attempt looks for a job run it may have started. */
const FIND_RUN_SKEW_MS = 5 * 60 * 1000;

export type StartRunReport =
  | { readonly outcome: "rejected"; readonly reason: string }
  | { readonly outcome: "duplicate"; readonly runId: string | undefined }
  | { readonly outcome: "nothing-leased"; readonly runId: string; readonly busy: readonly BusyTable[] }
  | {
      readonly outcome: "started";
      readonly runId: string;
      readonly jobRunId: string;
      readonly manifestUri: string;
      readonly leased: readonly string[];
      /** Leased tables the job also reconciles. */
      readonly reconciling: readonly string[];
      readonly busy: readonly BusyTable[];
    }
  | {
      readonly outcome: "start-failed";
      readonly runId: string;
      readonly error: string;
      readonly returned: readonly string[];
      readonly busy: readonly BusyTable[];
    }
  /**
   * StartJobRun went unanswered and its outcome could not be looked up: the job may be running, so
   * the run stays STARTING and keeps its leases (they expire; a job that did start finalizes it).
   */
  | {
      readonly outcome: "start-unconfirmed";
      readonly runId: string;
      readonly error: string;
      readonly kept: readonly string[];
      readonly busy: readonly BusyTable[];
    };

function claimKey(event: ScheduleEvent | ManualEvent): string {
  return event.kind === "schedule"
    ? stateKeys.schedule(event.tier, event.scheduledAt)
    : stateKeys.schedule(event.tier, `manual:${event.requestId}`);
}

export async function startRun(ctx: FlowContext, event: ScheduleEvent | ManualEvent): Promise<StartRunReport> {
  const { config, model, ports } = ctx;
  const { log, clock } = ports;
  const due = dueTables(model, event);
  if (!due.ok) {
    log.error("event.rejected", { reason: due.reason, event });
    return { outcome: "rejected", reason: due.reason };
  }
  const jobName = config.tierJobs[event.tier];
  if (jobName === undefined) {
    const reason = `TIER_JOBS has no Glue job for tier "${event.tier}"`;
    log.error("event.rejected", { reason, event });
    return { outcome: "rejected", reason };
  }

  const now = clock.now();
  const nowSeconds = epochSeconds(now);
  const key = claimKey(event);
  // This attempt's name: the run's status changes while starting are conditional on it.
  const holder = `start-${clock.randomHex(4)}`;
  const planned: RunRecord = {
    runId: formatRunId(event.tier, now, clock.randomHex(4)),
    tier: event.tier,
    trigger: event.kind,
    status: "STARTING",
    createdAt: now.toISOString(),
    ...(event.kind === "schedule" ? { scheduledAt: event.scheduledAt } : {}),
    jobName,
    tables: [],
  };
  const claim = await ports.runs.claim(key, planned, holder, {
    schedule: nowSeconds + SCHEDULE_TTL_SECONDS,
    run: nowSeconds + RUN_TTL_SECONDS,
  });
  let run = planned;
  const resuming = !claim.claimed;
  if (!claim.claimed) {
    const resumed = claim.runId === undefined ? undefined : await ports.runs.resume(claim.runId, holder, nowSeconds - START_STALE_SECONDS);
    if (resumed === undefined) {
      log.info("event.duplicate", { key, runId: claim.runId });
      return { outcome: "duplicate", runId: claim.runId };
    }
    log.warn("run.resumed", {
      key,
      runId: resumed.runId,
      createdAt: resumed.createdAt,
      reason: "a start attempt died before the job started",
    });
    run = resumed;
  }
  const runId = run.runId;
  const superseded = (): StartRunReport => {
    log.warn("run.superseded", { runId, reason: "another attempt took this start over, or the job already ended" });
    return { outcome: "duplicate", runId };
  };

  const names = due.tables.map((t) => t.name);
  const expiresAt = nowSeconds + config.leaseSeconds;
  let lease: LeaseResult = { leased: new Map(), busy: [] };
  let jobMayRun = false;
  const giveBack = async (error: string): Promise<StartRunReport> => {
    // Only while this attempt still owns the start: the leases are the run's, and a newer attempt
    // of the same run may hold them for a job it started.
    if (!(await ports.runs.advanceStart(runId, holder, "START_FAILED", { error }))) return superseded();
    // Conditional on this run holding the lease: safe even for tables it never got.
    const { released } = await ports.leases.release(names, runId);
    log.error("run.start_failed", { runId, tier: event.tier, error, returned: released.length });
    const alert = buildAlert({
      lakeName: config.lakeName,
      environment: config.environment,
      runId,
      tier: event.tier,
      headline: `run could not start; ${released.length} lease(s) returned`,
      failures: [...lease.leased.keys()].map((table) => ({ table, reason: `not loaded: ${error}` })),
    });
    await ports.alerter.publish(alert.subject, alert.message);
    emitMetrics(ctx, event.tier, due.tables.length, lease, "failed");
    return { outcome: "start-failed", runId, error, returned: released, busy: lease.busy };
  };

  try {
    lease = await ports.leases.lease(names, runId, event.tier, nowSeconds, expiresAt);
    if (lease.busy.length > 0) log.warn("tables.skipped_leased", { runId, tables: lease.busy });
    if (lease.leased.size === 0) {
      if (!(await ports.runs.advanceStart(runId, holder, "FINALIZED", { tables: [] }))) return superseded();
      log.info("run.nothing_leased", { runId, tier: event.tier, due: names.length });
      emitMetrics(ctx, event.tier, due.tables.length, lease, "empty");
      return { outcome: "nothing-leased", runId, busy: lease.busy };
    }
    const leasedSpecs = due.tables.filter((t) => lease.leased.has(t.name));
    const reconciles = planReconciles(model, event, leasedSpecs, lease, now);
    const manifest = buildManifest(config, {
      runId,
      tier: event.tier,
      createdAt: now,
      leaseExpiresAt: expiresAt,
      tables: leasedSpecs,
      watermarks: lease.leased,
      reload: event.kind === "manual" && event.reload,
      reconciles,
    });
    const problems = manifestProblems(manifest);
    if (problems.length > 0) return await giveBack(`manifest does not match the contract: ${problems.join("; ")}`);
    const objectKey = manifestKey(event.tier, runId);
    const manifestUri = await ports.manifests.put(objectKey, JSON.stringify(manifest, null, 1));
    const tables = leasedSpecs.map((t) => t.name);
    // The last check before the job starts: refused if another attempt took this start over.
    if (!(await ports.runs.advanceStart(runId, holder, "STARTING", { tables, manifestKey: objectKey }))) return superseded();
    // From here on the job may be running: its leases are never given back.
    jobMayRun = true;
    // A resumed start: the attempt that died may have started the job before it could record it.
    const adopted = !resuming
      ? undefined
      : await ports.jobs.findRun?.(jobName, runId, new Date(Date.parse(run.createdAt) - FIND_RUN_SKEW_MS));
    if (adopted !== undefined) log.warn("run.job_adopted", { runId, jobName, jobRunId: adopted });
    const started =
      adopted !== undefined ? { ok: true as const, jobRunId: adopted } : await ports.jobs.start(jobName, jobArguments(manifestUri, runId));
    if (!started.ok && started.uncertain === true)
      return await unconfirmed(ctx, event.tier, runId, holder, started.error, due.tables.length, lease);
    if (!started.ok) return await giveBack(`StartJobRun ${jobName} failed: ${started.error}`);
    // The job may already have finished and been finalized (from STARTING): then this is a no-op.
    await ports.runs.transition(runId, ["STARTING"], "RUNNING", { jobRunId: started.jobRunId });
    log.info("run.started", {
      runId,
      tier: event.tier,
      jobName,
      jobRunId: started.jobRunId,
      manifestUri,
      tables: tables.length,
      reconciling: reconciles.size,
      busy: lease.busy.length,
    });
    emitMetrics(ctx, event.tier, due.tables.length, lease, "started");
    return {
      outcome: "started",
      runId,
      jobRunId: started.jobRunId,
      manifestUri,
      leased: tables,
      reconciling: [...reconciles.keys()],
      busy: lease.busy,
    };
  } catch (error) {
    if (!jobMayRun) return await giveBack(errorText(error));
    // Unrecorded: the run stays STARTING with its leases; a retry of this event resumes it (after
    // START_STALE_SECONDS) and adopts the job run, or the leases expire.
    log.error("run.start_unrecorded", { runId, tier: event.tier, error: errorText(error) });
    throw error;
  }
}

/** The job may be running: keep the run STARTING (a job end finalizes it) and its leases, and say so. */
async function unconfirmed(
  ctx: FlowContext,
  tier: string,
  runId: string,
  holder: string,
  error: string,
  due: number,
  lease: LeaseResult,
): Promise<StartRunReport> {
  const { config, ports } = ctx;
  const kept = [...lease.leased.keys()];
  await ports.runs.advanceStart(runId, holder, "STARTING", { error });
  ports.log.error("run.start_unconfirmed", { runId, tier, error, kept: kept.length });
  const alert = buildAlert({
    lakeName: config.lakeName,
    environment: config.environment,
    runId,
    tier,
    headline: `job start unconfirmed; ${kept.length} lease(s) kept until they expire`,
    failures: kept.map((table) => ({ table, reason: `may not be loaded: ${error}` })),
  });
  await ports.alerter.publish(alert.subject, alert.message);
  emitMetrics(ctx, tier, due, lease, "failed");
  return { outcome: "start-unconfirmed", runId, error, kept, busy: lease.busy };
}

function emitMetrics(ctx: FlowContext, tier: string, due: number, lease: LeaseResult, result: "started" | "failed" | "empty"): void {
  const metrics: Metric[] = [
    { name: "TablesDue", value: due, unit: "Count" },
    { name: "TablesLeased", value: lease.leased.size, unit: "Count" },
    { name: "TablesSkippedLeased", value: lease.busy.length, unit: "Count" },
    { name: "RunsStarted", value: result === "started" ? 1 : 0, unit: "Count" },
    { name: "RunsStartFailed", value: result === "failed" ? 1 : 0, unit: "Count" },
  ];
  ctx.ports.log.metric(emfLine(metricDimensions(ctx.config, { Tier: tier }), metrics, ctx.ports.clock.now()));
}
