/** Starting the tier's Glue job and finding the run id a job run was started with. */
import { GetJobRunCommand, StartJobRunCommand, type GlueClient } from "@aws-sdk/client-glue";
import { JOB_ARG_RUN_ID } from "../core/jobArgs";
import type { JobRunner, StartResult } from "../ports";
import { errorName } from "./values";

export class GlueJobRunner implements JobRunner {
  constructor(private readonly client: GlueClient) {}

  async start(jobName: string, args: Readonly<Record<string, string>>): Promise<StartResult> {
    try {
      const res = await this.client.send(new StartJobRunCommand({ JobName: jobName, Arguments: { ...args } }));
      if (!res.JobRunId) return { ok: false, error: "StartJobRun returned no JobRunId" };
      return { ok: true, jobRunId: res.JobRunId };
    } catch (error) {
      // Concurrent-runs limit, throttling after the SDK's retries, a missing job, denied access...
      return { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    }
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
