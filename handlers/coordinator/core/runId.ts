/** Run ids: readable, sortable per tier, unique, and valid as a lease owner and a raw batch id. */
import { compactUtc } from "./time";

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/** `<tier>-<UTC stamp>-<random hex>`; `suffix` comes from the caller so this stays pure. */
export function formatRunId(tier: string, at: Date, suffix: string): string {
  if (!/^[0-9a-f]{6,32}$/.test(suffix)) throw new Error(`run id suffix "${suffix}" is not 6-32 lower-case hex digits`);
  return `${tier}-${compactUtc(at)}-${suffix}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}
