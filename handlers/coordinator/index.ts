/**
 * Lambda entry point: a thin adapter. The configuration and tables.yaml (shipped next to the
 * bundle) are read once per container; every event goes to the coordinator.
 */
import type { Context } from "aws-lambda";
import { createCoordinator, type Coordinator, type CoordinatorReport } from "./coordinator";

let coordinator: Coordinator | undefined;

export async function handler(event: unknown, context?: Context): Promise<CoordinatorReport> {
  coordinator ??= createCoordinator({ env: process.env, bundleDir: __dirname });
  if (context) coordinator.ports.log.info("event.received", { requestId: context.awsRequestId });
  return coordinator.handle(event);
}
