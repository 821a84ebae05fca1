/**
 * A deployed stack: the coordinator Lambda gets the manual event asking for the reconcile, and
 * starts the catch-all tier's job for it. The result arrives when that job ends (finalize's
 * alert and metrics, and lastReconciledAt / lastReconcileRepairs / lastReconcileEqual on each
 * table's state item), not in this command.
 */
import { randomBytes } from "node:crypto";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import type { LakeModel } from "../../model";
import { UsageError } from "../args";
import type { StackFile } from "../stackFile";
import type { ReconcileMode } from "./report";

export interface StackTarget {
  readonly stack: string;
  readonly functionName: string;
  readonly region: string | undefined;
}

/** The coordinator's physical name as components/coordinator.ts gives it: <lake:name>-<stack>-coordinator. */
export function stackTarget(file: StackFile, functionOverride: string | undefined): StackTarget {
  const region = typeof file.config["aws:region"] === "string" ? file.config["aws:region"] : undefined;
  if (functionOverride !== undefined) return { stack: file.stack, functionName: functionOverride, region };
  const lakeName = file.config["lake:name"];
  if (typeof lakeName !== "string" || lakeName === "") throw new UsageError(`${file.path}: lake:name is not set (or give --function)`);
  return { stack: file.stack, functionName: `${lakeName}-${file.stack}-coordinator`, region };
}

export interface ManualReconcileEvent {
  readonly kind: "manual";
  readonly tier: string;
  readonly tables: readonly string[];
  readonly requestId: string;
  readonly reconcile: ReconcileMode;
  readonly skipLoad: true;
}

export function newRequestId(mode: ReconcileMode, now = new Date()): string {
  return `lake-${mode}-${now.toISOString().replace(/[-:.]/g, "")}-${randomBytes(3).toString("hex")}`;
}

/** The event: the catch-all tier's job (it may run any table), compare without loading. */
export function manualReconcileEvent(
  model: LakeModel,
  tables: readonly string[],
  mode: ReconcileMode,
  requestId: string,
): ManualReconcileEvent {
  const tier = model.tiers.find((t) => t.syncsAllTables);
  if (!tier) throw new Error(`${model.file} has no syncsAllTables tier`);
  return { kind: "manual", tier: tier.name, tables, requestId, reconcile: mode, skipLoad: true };
}

/** Invokes the coordinator synchronously; its report, or an error carrying the function's error. */
export async function invokeCoordinator(target: StackTarget, event: ManualReconcileEvent): Promise<unknown> {
  const client = new LambdaClient(target.region !== undefined ? { region: target.region } : {});
  try {
    const res = await client.send(
      new InvokeCommand({
        FunctionName: target.functionName,
        InvocationType: "RequestResponse",
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
    const text = res.Payload ? new TextDecoder().decode(res.Payload) : "";
    if (res.FunctionError !== undefined) throw new Error(`${target.functionName} failed (${res.FunctionError}): ${text}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`${target.functionName} answered with no JSON: ${JSON.stringify(text.slice(0, 200))}`);
    }
  } finally {
    client.destroy();
  }
}
