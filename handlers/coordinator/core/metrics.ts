/** CloudWatch embedded metric format: one JSON log line per event, turned into metrics by CloudWatch. */

export const METRIC_NAMESPACE = "GovernedLake/Coordinator";

/** Whose metrics: the coordinator's LAKE_NAME and ENVIRONMENT (handlers/contracts/coordinatorEnv.ts). */
export interface MetricScope {
  readonly lakeName: string;
  readonly environment: string;
}

/**
 * The dimensions of every coordinator metric, the one place they are named: the handler emits
 * them and the Coordinator component's alarms (and the dashboard, the freshness alarms) select by them.
 */
export function metricDimensions(
  scope: MetricScope,
  by: { readonly Tier: string } | { readonly Table: string },
): Readonly<Record<string, string>> {
  return { Lake: scope.lakeName, Environment: scope.environment, ...by };
}

export type MetricUnit = "Count" | "Seconds" | "Milliseconds";

export interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit: MetricUnit;
}

export function emfLine(
  dimensions: Readonly<Record<string, string>>,
  metrics: readonly Metric[],
  at: Date,
  properties: Readonly<Record<string, string | number | boolean>> = {},
): string {
  const doc: Record<string, unknown> = {
    _aws: {
      Timestamp: at.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: METRIC_NAMESPACE,
          Dimensions: [Object.keys(dimensions)],
          Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })),
        },
      ],
    },
    ...properties,
    ...dimensions,
  };
  for (const m of metrics) doc[m.name] = m.value;
  return JSON.stringify(doc);
}
