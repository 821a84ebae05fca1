/**
 * The events the coordinator receives in AWS (Scheduler input, EventBridge Glue state changes) and
 * a settable clock. Kept here rather than imported from test/coordinator/support/lake.ts, whose
 * import registers mocha hooks that start another moto (this module also serves a plain script).
 */
import { randomBytes } from "node:crypto";
import type { Clock } from "../../../handlers/coordinator/ports";

export class SettableClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return new Date(this.current.getTime());
  }
  randomHex(bytes: number): string {
    return randomBytes(bytes).toString("hex");
  }
  advance(seconds: number): void {
    this.current = new Date(this.current.getTime() + seconds * 1000);
  }
}

export function scheduleEvent(tier: string, scheduledAt: string): Record<string, string> {
  return { kind: "schedule", tier, scheduledAt };
}

function glueEvent(detailType: string, account: string, region: string, detail: Record<string, string>): Record<string, unknown> {
  return {
    version: "0",
    id: randomBytes(8).toString("hex"),
    "detail-type": detailType,
    source: "aws.glue",
    account,
    time: new Date().toISOString(),
    region,
    resources: [],
    detail,
  };
}

export function jobStateEvent(
  account: string,
  region: string,
  jobName: string,
  jobRunId: string,
  state: string,
  message: string,
): Record<string, unknown> {
  return glueEvent("Glue Job State Change", account, region, {
    jobName,
    jobRunId,
    state,
    message,
    severity: state === "SUCCEEDED" ? "INFO" : "ERROR",
  });
}

export function crawlerStateEvent(account: string, region: string, crawlerName: string, state: string): Record<string, unknown> {
  return glueEvent("Glue Crawler State Change", account, region, { crawlerName, state, message: "" });
}
