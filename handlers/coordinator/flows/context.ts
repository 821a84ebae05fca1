/** What every flow runs with: the configuration, the validated model and the ports. */
import type { LakeModel } from "../../../model";
import type { CoordinatorConfig } from "../config";
import type { Ports } from "../ports";

export interface FlowContext {
  readonly config: CoordinatorConfig;
  readonly model: LakeModel;
  readonly ports: Ports;
}

/** How long schedule-idempotency records and run records are kept (DynamoDB TTL). */
export const SCHEDULE_TTL_SECONDS = 7 * 24 * 3600;
export const RUN_TTL_SECONDS = 90 * 24 * 3600;

export { errorText } from "../errorText";
