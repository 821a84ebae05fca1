/** Starting the tier's Glue job and finding the run id a job run was started with. */
import { setTimeout as sleep } from "node:timers/promises";
import { GetJobRunCommand, GetJobRunsCommand, StartJobRunCommand, type GlueClient } from "@aws-sdk/client-glue";
import { JOB_ARG_RUN_ID } from "../core/jobArgs";
import type { JobRunner, StartResult } from "../ports";
import { errorText } from "../errorText";
import { errorName } from "./values";

export interface GlueJobRunnerOptions {
  /**
   * Waits before each GetJobRuns look-up after an unanswered StartJobRun: a run the lost request
   * started may take a moment to be listed.
   */
  readonly lookupDelaysMs?: readonly number[];
}

const DEFAULT_LOOKUP_DELAYS_MS = [0, 1000, 3000];
/** GetJobRuns pages read at most while looking for a run id (newest runs come first). */
const MAX_LOOKUP_PAGES = 10;
/** How far back a look-up after an unanswered start reaches (clock skew between us and Glue). */
const LOOKUP_WINDOW_MS = 10 * 60 * 1000;

/**
 * Glue answered this one request with a 4xx (concurrent-runs limit, resource limit, missing job,
 * invalid input, access denied, throttling): the run was not started. After SDK retries, the last
 * answer says nothing about an earlier attempt whose answer was lost (with MaxConcurrentRuns=1 a
 * retry of a start that did happen is refused with ConcurrentRunsExceededException), and a timeout
 * or a 5xx says nothing at all.
 */
function definitelyRejected(error: unknown): boolean {
  const e = error as { $fault?: unknown; $metadata?: { attempts?: unknown } };
  const attempts = typeof e.$metadata?.attempts === "number" ? e.$metadata.attempts : 1;
  return e.$fault === "client" && attempts <= 1;
}

export class GlueJobRunner implements JobRunner {
  private readonly lookupDelaysMs: readonly number[];

  constructor(
    private readonly client: GlueClient,
    options: GlueJobRunnerOptions = {},
  ) {
    this.lookupDelaysMs = options.lookupDelaysMs ?? DEFAULT_LOOKUP_DELAYS_MS;
  }

  async start(jobName: string, args: Readonly<Record<string, string>>): Promise<StartResult> {
    const requestedAt = Date.now();
    try {
      const res = await this.client.send(new StartJobRunCommand({ JobName: jobName, Arguments: { ...args } }));
      if (!res.JobRunId) return { ok: false, error: "StartJobRun returned no JobRunId" };
      return { ok: true, jobRunId: res.JobRunId };
    } catch (error) {
      const text = errorText(error);
      const runId = args[JOB_ARG_RUN_ID];
      if (definitelyRejected(error) || runId === undefined) return { ok: false, error: text };
      // The job may have started anyway: its leases must stay with it if it did.
      try {
        const since = new Date(requestedAt - LOOKUP_WINDOW_MS);
        for (const delay of this.lookupDelaysMs) {
          if (delay > 0) await sleep(delay);
          const found = await this.findRun(jobName, runId, since);
          if (found !== undefined) return { ok: true, jobRunId: found };
        }
        return { ok: false, error: `${text} (and no run of ${jobName} carries ${JOB_ARG_RUN_ID} ${runId})` };
      } catch (lookupError) {
        return { ok: false, uncertain: true, error: `${text}; GetJobRuns failed too (${errorText(lookupError)}): the job may be running` };
      }
    }
  }

  async findRun(jobName: string, runId: string, startedAfter: Date): Promise<string | undefined> {
    let token: string | undefined;
    for (let page = 0; page < MAX_LOOKUP_PAGES; page++) {
      const res = await this.client.send(new GetJobRunsCommand({ JobName: jobName, ...(token ? { NextToken: token } : {}) }));
      const runs = res.JobRuns ?? [];
      const match = runs.find((r) => r.Arguments?.[JOB_ARG_RUN_ID] === runId);
      if (match?.Id) return match.Id;
      token = res.NextToken;
      // Runs are listed newest first: a page wholly older than the run cannot be followed by it.
      const older = runs.length > 0 && runs.every((r) => r.StartedOn !== undefined && r.StartedOn.getTime() < startedAfter.getTime());
      if (!token || older) return undefined;
    }
    return undefined;
  }

  async runIdOf(jobName: string, jobRunId: string): Promise<string | undefined> {
    try {
      const res = await this.client.send(new GetJobRunCommand({ JobName: jobName, RunId: jobRunId }));
      return res.JobRun?.Arguments?.[JOB_ARG_RUN_ID];
    } catch (error) {
      if (errorName(error) === "EntityNotFoundException") return undefined;
      throw error;
    }
  }
}
