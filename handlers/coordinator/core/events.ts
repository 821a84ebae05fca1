/**
 * The events the coordinator accepts, parsed from whatever arrived. Anything else is rejected
 * with a reason, before any state is touched.
 *
 * - schedule: EventBridge Scheduler target input
 *   {"kind":"schedule","tier":"daily","scheduledAt":"<aws.scheduler.scheduled-time>"}
 * - manual (backfill / reload / reconcile): {"kind":"manual","tier":"daily","tables":["customer"],
 *   "requestId":"ticket-123","reload":false}; requestId makes a redelivery a no-op. Optional
 *   "reconcile": "verify" | "repair" compares (and repairs) the full copy after the load, and
 *   "skipLoad": true (only with reconcile) compares without loading first.
 * - EventBridge "Glue Job State Change" and "Glue Crawler State Change" events.
 */
import { LAKE_IDENTIFIER } from "../../../model";
import { parseInstant } from "./time";

export const TERMINAL_JOB_STATES = ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"] as const;
export type TerminalJobState = (typeof TERMINAL_JOB_STATES)[number];

export interface ScheduleEvent {
  readonly kind: "schedule";
  readonly tier: string;
  /** Normalized ISO-8601 UTC. */
  readonly scheduledAt: string;
}

export interface ManualEvent {
  readonly kind: "manual";
  readonly tier: string;
  readonly tables: readonly string[];
  readonly requestId: string;
  /** Load from scratch: the manifest carries no watermark for these tables. */
  readonly reload: boolean;
  /** Compare each table with its source after the load (verify), and repair what differs (repair). */
  readonly reconcile?: ReconcileMode;
  /** With reconcile: compare without loading first (the watermark stays as it was). Absent: load. */
  readonly skipLoad?: true;
}

export const RECONCILE_MODES = ["verify", "repair"] as const;
export type ReconcileMode = (typeof RECONCILE_MODES)[number];

export interface JobStateEvent {
  readonly kind: "jobState";
  readonly jobName: string;
  readonly jobRunId: string;
  /** Undefined for a state that is not terminal (STARTING, RUNNING, ...): nothing to do. */
  readonly state: TerminalJobState | undefined;
  readonly rawState: string;
  readonly message: string;
}

export interface CrawlerStateEvent {
  readonly kind: "crawlerState";
  readonly crawlerName: string;
  readonly state: string;
  readonly message: string;
}

export type CoordinatorEvent = ScheduleEvent | ManualEvent | JobStateEvent | CrawlerStateEvent;

export type ParsedEvent = { readonly ok: true; readonly event: CoordinatorEvent } | { readonly ok: false; readonly reason: string };

type Dict = Readonly<Record<string, unknown>>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
const MAX_MANUAL_TABLES = 5000;

function reject(reason: string): ParsedEvent {
  return { ok: false, reason };
}

function text(d: Dict, key: string): string | undefined {
  const v = d[key];
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

function parseTier(d: Dict): string | ParsedEvent {
  const tier = text(d, "tier");
  if (tier === undefined) return reject('"tier" is missing or not a string');
  if (!LAKE_IDENTIFIER.test(tier)) return reject(`"tier" value "${tier}" is not a tier name`);
  return tier;
}

function parseSchedule(d: Dict): ParsedEvent {
  const tier = parseTier(d);
  if (typeof tier !== "string") return tier;
  const when = text(d, "scheduledAt");
  if (when === undefined) return reject('schedule event: "scheduledAt" is missing (set it to <aws.scheduler.scheduled-time>)');
  const at = parseInstant(when);
  if (!at) return reject(`schedule event: "scheduledAt" value "${when}" is not an ISO-8601 instant with a zone`);
  return { ok: true, event: { kind: "schedule", tier, scheduledAt: at.toISOString() } };
}

function parseManual(d: Dict): ParsedEvent {
  const tier = parseTier(d);
  if (typeof tier !== "string") return tier;
  const requestId = text(d, "requestId");
  if (requestId === undefined || !REQUEST_ID.test(requestId)) {
    return reject('manual event: "requestId" must be 1-100 letters, digits, "_", ".", ":" or "-" (it makes redelivery a no-op)');
  }
  const tables = d["tables"];
  if (!Array.isArray(tables) || tables.length === 0) return reject('manual event: "tables" must be a non-empty list of lake table names');
  if (tables.length > MAX_MANUAL_TABLES) return reject(`manual event: more than ${MAX_MANUAL_TABLES} tables`);
  const bad = tables.filter((t) => typeof t !== "string" || !LAKE_IDENTIFIER.test(t));
  if (bad.length > 0) return reject(`manual event: not lake table names: ${bad.map((b) => JSON.stringify(b)).join(", ")}`);
  const names = tables as string[];
  const reload = d["reload"];
  if (reload !== undefined && typeof reload !== "boolean") return reject('manual event: "reload" must be true or false');
  const reconcile = d["reconcile"];
  if (reconcile !== undefined && !(RECONCILE_MODES as readonly unknown[]).includes(reconcile))
    return reject(
      `manual event: "reconcile" must be ${RECONCILE_MODES.map((m) => `"${m}"`).join(" or ")} (got ${JSON.stringify(reconcile)})`,
    );
  const skipLoad = d["skipLoad"];
  if (skipLoad !== undefined && typeof skipLoad !== "boolean") return reject('manual event: "skipLoad" must be true or false');
  if (skipLoad === true && reconcile === undefined)
    return reject('manual event: "skipLoad" needs "reconcile" (a run that skips the load does nothing else)');
  if (skipLoad === true && reload === true) return reject('manual event: "skipLoad" and "reload" contradict each other');
  return {
    ok: true,
    event: {
      kind: "manual",
      tier,
      tables: [...new Set(names)],
      requestId,
      reload: reload === true,
      ...(reconcile !== undefined ? { reconcile: reconcile as ReconcileMode } : {}),
      ...(skipLoad === true ? { skipLoad: true as const } : {}),
    },
  };
}

function parseJobState(detail: Dict): ParsedEvent {
  const jobName = text(detail, "jobName");
  const jobRunId = text(detail, "jobRunId");
  const rawState = text(detail, "state");
  if (!jobName || !jobRunId || !rawState) return reject("Glue Job State Change: detail needs jobName, jobRunId and state");
  const state = (TERMINAL_JOB_STATES as readonly string[]).includes(rawState) ? (rawState as TerminalJobState) : undefined;
  return { ok: true, event: { kind: "jobState", jobName, jobRunId, state, rawState, message: text(detail, "message") ?? "" } };
}

function parseCrawlerState(detail: Dict): ParsedEvent {
  const crawlerName = text(detail, "crawlerName");
  const state = text(detail, "state");
  if (!crawlerName || !state) return reject("Glue Crawler State Change: detail needs crawlerName and state");
  return { ok: true, event: { kind: "crawlerState", crawlerName, state, message: text(detail, "message") ?? "" } };
}

export function parseEvent(input: unknown): ParsedEvent {
  if (!isDict(input)) return reject(`event is ${input === null ? "null" : Array.isArray(input) ? "a list" : typeof input}, not an object`);
  const detailType = input["detail-type"];
  if (typeof detailType === "string") {
    const detail = input["detail"];
    if (input["source"] !== "aws.glue" || !isDict(detail))
      return reject(`EventBridge event "${detailType}" is not from aws.glue with a detail object`);
    if (detailType === "Glue Job State Change") return parseJobState(detail);
    if (detailType === "Glue Crawler State Change") return parseCrawlerState(detail);
    return reject(`EventBridge event type "${detailType}" is not handled`);
  }
  switch (input["kind"]) {
    case "schedule":
      return parseSchedule(input);
    case "manual":
      return parseManual(input);
    default:
      return reject(`event has no "detail-type" and its "kind" is ${JSON.stringify(input["kind"])}, not "schedule" or "manual"`);
  }
}
