/** Event delivery: the EventBridge events Glue emits, as the coordinator receives them. */

export function glueJobStateChange(jobName: string, jobRunId: string, state: string, message: string): Record<string, unknown> {
  return {
    version: "0",
    id: `local-${jobRunId}`,
    "detail-type": "Glue Job State Change",
    source: "aws.glue",
    account: "123456789012",
    time: new Date().toISOString(),
    region: "eu-central-1",
    resources: [],
    detail: { jobName, severity: state === "SUCCEEDED" ? "INFO" : "ERROR", state, jobRunId, message },
  };
}

export function glueCrawlerStateChange(crawlerName: string, state: "Succeeded" | "Failed", message = ""): Record<string, unknown> {
  return {
    version: "0",
    id: `local-crawl-${crawlerName}-${Date.now()}`,
    "detail-type": "Glue Crawler State Change",
    source: "aws.glue",
    account: "123456789012",
    time: new Date().toISOString(),
    region: "eu-central-1",
    resources: [],
    detail: { crawlerName, state, message },
  };
}

export function scheduleEvent(tier: string, scheduledAt: Date): Record<string, string> {
  return { kind: "schedule", tier, scheduledAt: scheduledAt.toISOString() };
}

/** The coordinator's manual event (handlers/coordinator/core/events.ts), as `lake reload` sends it. */
export function manualEvent(tier: string, tables: readonly string[], requestId: string, reload: boolean): Record<string, unknown> {
  return { kind: "manual", tier, tables: [...tables], requestId, reload };
}
