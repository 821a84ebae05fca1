/**
 * Freshness metrics of a finalized run (CloudWatch embedded metric format): per table of the run,
 * TableLagSeconds = seconds since its last successful load (0 right after this run loaded it;
 * growing while it fails); per run, OldestLoadAgeSeconds = the largest of those, by tier, which
 * the freshness alarms watch (components/freshnessAlarms.ts). Tables never loaded have no lag yet.
 */
import { emfLine, metricDimensions } from "./metrics";
import type { TableState } from "./types";

export interface FreshnessInput {
  readonly lakeName: string;
  readonly environment: string;
  readonly tier: string;
  readonly runId: string;
  readonly tables: readonly string[];
  readonly states: ReadonlyMap<string, TableState>;
  readonly now: Date;
}

export function freshnessLines(input: FreshnessInput): string[] {
  const lags: number[] = [];
  const lines: string[] = [];
  for (const table of input.tables) {
    const loadedAt = Date.parse(input.states.get(table)?.lastLoadedAt ?? "");
    if (Number.isNaN(loadedAt)) continue;
    const lag = Math.max(0, Math.round((input.now.getTime() - loadedAt) / 1000));
    lags.push(lag);
    lines.push(
      emfLine(metricDimensions(input, { Table: table }), [{ name: "TableLagSeconds", value: lag, unit: "Seconds" }], input.now, {
        runId: input.runId,
      }),
    );
  }
  if (lags.length > 0) {
    lines.push(
      emfLine(
        metricDimensions(input, { Tier: input.tier }),
        [{ name: "OldestLoadAgeSeconds", value: Math.max(...lags), unit: "Seconds" }],
        input.now,
        {
          runId: input.runId,
        },
      ),
    );
  }
  return lines;
}
