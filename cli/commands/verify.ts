/** lake verify: compare full copies with their source (no load, no repair). */
import type { Io } from "../io";
import { runReconcile, VERIFY_USAGE } from "../reconcile/command";

export { VERIFY_USAGE };

export function verifyCommand(argv: readonly string[], io: Io): Promise<number> {
  return runReconcile("verify", argv, io);
}
