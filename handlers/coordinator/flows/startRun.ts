/**
 * A scheduled or manual run: claim the event, lease the due tables, write the manifest, start
 * the tier's job. Any failure after leasing gives every lease back.
 */
import { manifestKey, stateKeys } from "../../../model";
import { buildAlert } from "../core/alert";
import { dueTables } from "../core/due";
import type { ManualEvent, ScheduleEvent } from "../core/events";
import { jobArguments } from "../core/jobArgs";
import { buildManifest } from "../core/manifest";
import { manifestProblems } from "../core/manifestSchema";
import { emfLine, type Metric } from "../core/metrics";
import { formatRunId } from "../core/runId";
import { epochSeconds } from "../core/time";
import type { BusyTable, LeaseResult } from "../core/types";
import { errorText, RUN_TTL_SECONDS, SCHEDULE_TTL_SECONDS, type FlowContext } from "./context";

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
      readonly busy: readonly BusyTable[];
    }
  | {
      readonly outcome: "start-failed";
      readonly runId: string;
      readonly error: string;
      readonly returned: readonly string[];
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
  const runId = formatRunId(event.tier, now, clock.randomHex(4));
  const claim = await ports.runs.claimSchedule(claimKey(event), runId, nowSeconds + SCHEDULE_TTL_SECONDS);
  if (!claim.claimed) {
    log.info("event.duplicate", { key: claimKey(event), runId: claim.runId });
    return { outcome: "duplicate", runId: claim.runId };
  }
  await ports.runs.create(
    {
      runId,
      tier: event.tier,
      trigger: event.kind,
      status: "STARTING",
      createdAt: now.toISOString(),
      ...(event.kind === "schedule" ? { scheduledAt: event.scheduledAt } : {}),
      jobName,
      tables: [],
    },
    nowSeconds + RUN_TTL_SECONDS,
  );

  const names = due.tables.map((t) => t.name);
  const expiresAt = nowSeconds + config.leaseSeconds;
  let lease: LeaseResult = { leased: new Map(), busy: [] };
  const giveBack = async (error: string): Promise<StartRunReport> => {
    // Conditional on this run holding the lease: safe even for tables it never got.
    const { released } = await ports.leases.release(names, runId);
    await ports.runs.transition(runId, ["STARTING"], "START_FAILED", { error });
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
      await ports.runs.transition(runId, ["STARTING"], "FINALIZED", { tables: [] });
      log.info("run.nothing_leased", { runId, tier: event.tier, due: names.length });
      emitMetrics(ctx, event.tier, due.tables.length, lease, "empty");
      return { outcome: "nothing-leased", runId, busy: lease.busy };
    }
    const leasedSpecs = due.tables.filter((t) => lease.leased.has(t.name));
    const manifest = buildManifest(config, {
      runId,
      tier: event.tier,
      createdAt: now,
      leaseExpiresAt: expiresAt,
      tables: leasedSpecs,
      watermarks: lease.leased,
      reload: event.kind === "manual" && event.reload,
    });
    const problems = manifestProblems(manifest);
    if (problems.length > 0) return await giveBack(`manifest does not match the contract: ${problems.join("; ")}`);
    const key = manifestKey(event.tier, runId);
    const manifestUri = await ports.manifests.put(key, JSON.stringify(manifest, null, 1));
    const tables = leasedSpecs.map((t) => t.name);
    await ports.runs.transition(runId, ["STARTING"], "STARTING", { tables, manifestKey: key });
    const started = await ports.jobs.start(jobName, jobArguments(manifestUri, runId));
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
      busy: lease.busy.length,
    });
    emitMetrics(ctx, event.tier, due.tables.length, lease, "started");
    return { outcome: "started", runId, jobRunId: started.jobRunId, manifestUri, leased: tables, busy: lease.busy };
  } catch (error) {
    return await giveBack(errorText(error));
  }
}

function emitMetrics(ctx: FlowContext, tier: string, due: number, lease: LeaseResult, result: "started" | "failed" | "empty"): void {
  const metrics: Metric[] = [
    { name: "TablesDue", value: due, unit: "Count" },
    { name: "TablesLeased", value: lease.leased.size, unit: "Count" },
    { name: "TablesSkippedLeased", value: lease.busy.length, unit: "Count" },
    { name: "RunsStarted", value: result === "started" ? 1 : 0, unit: "Count" },
    { name: "RunsStartFailed", value: result === "failed" ? 1 : 0, unit: "Count" },
  ];
  ctx.ports.log.metric(
    emfLine({ Lake: ctx.config.lakeName, Environment: ctx.config.environment, Tier: tier }, metrics, ctx.ports.clock.now()),
  );
}
