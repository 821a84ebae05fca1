/** lake reconcile: compare full copies with their source and repair what differs. */
import type { Io } from "../io";
import { RECONCILE_USAGE, runReconcile } from "../reconcile/command";

export { RECONCILE_USAGE };

export function reconcileCommand(argv: readonly string[], io: Io): Promise<number> {
  return runReconcile("repair", argv, io);
}
