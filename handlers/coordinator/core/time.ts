/** Time helpers: epoch seconds and the compact UTC stamps used in run ids. */

export function epochSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** 2024-05-06T01:30:00.000Z -> 20240506T013000Z */
export function compactUtc(at: Date): string {
  return at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "Z");
}

/** Parses an ISO-8601 instant with an explicit zone; undefined when it is not one. */
export function parseInstant(text: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
