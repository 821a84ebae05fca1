/**
 * LakeDashboard: one CloudWatch dashboard for the lake's operators, from the coordinator's
 * embedded metrics (namespace GovernedLake/Coordinator, dimensions Lake, Environment, Tier or
 * Table): runs and failures per tier, the oldest successful load per tier and the ten slowest
 * tables, rows read and written, crawls, reconcile repairs, the coordinator Lambda's errors and
 * the freshness alarms.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { METRIC_NAMESPACE } from "../handlers/coordinator/core/metrics";

export interface LakeDashboardArgs {
  /** The coordinator's Lake metric dimension (its LAKE_NAME); also the dashboard's name. */
  readonly lakeName: string;
  /** The coordinator's Environment metric dimension (the stack name). */
  readonly environmentName: string;
  /** Tier names: one line per tier in the per-tier charts. */
  readonly tiers: readonly string[];
  /** Region the widgets read metrics from. */
  readonly region: pulumi.Input<string>;
  /** Name of the coordinator Lambda (its invocations, errors and duration). */
  readonly coordinatorFunctionName: pulumi.Input<string>;
  /** ARNs of the freshness alarms shown in the alarm widget (FreshnessAlarms.alarms). */
  readonly freshnessAlarmArns: readonly pulumi.Input<string>[];
}

type MetricLine = (string | Record<string, unknown>)[];

interface Widget {
  readonly type: "metric" | "alarm" | "text";
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/** The dashboard body (CloudWatch dashboard body structure), without layout positions. Exported for tests. */
export function dashboardWidgets(
  args: Omit<LakeDashboardArgs, "region" | "coordinatorFunctionName" | "freshnessAlarmArns">,
  region: string,
  functionName: string,
  alarmArns: readonly string[],
): Widget[] {
  const dims = (tier: string): string[] => ["Lake", args.lakeName, "Environment", args.environmentName, "Tier", tier];
  const perTier = (metric: string, stat: string, label = ""): MetricLine[] =>
    args.tiers.map((t) => [METRIC_NAMESPACE, metric, ...dims(t), { stat, label: `${label}${t}` }]);
  const chart = (title: string, metrics: MetricLine[], extra: Record<string, unknown> = {}): Widget => ({
    type: "metric",
    width: 12,
    height: 6,
    properties: { title, region, view: "timeSeries", stacked: false, period: 900, metrics, ...extra },
  });
  const search = (query: string, stat: string, period: number): string =>
    `SEARCH('{${METRIC_NAMESPACE},Environment,Lake,Table} ${query}', '${stat}', ${period})`;
  return [
    chart("Runs finished per tier", perTier("JobRunsFailed", "SampleCount")),
    chart("Failures: job runs and tables", [
      ...perTier("JobRunsFailed", "Sum", "job runs failed "),
      ...perTier("TablesFailed", "Sum", "tables failed "),
    ]),
    chart("Oldest successful load per tier (seconds)", perTier("OldestLoadAgeSeconds", "Maximum"), { yAxis: { left: { min: 0 } } }),
    chart("Ten slowest tables: seconds since their last load", [
      [
        {
          expression: `SORT(${search(`MetricName="TableLagSeconds" Lake="${args.lakeName}" Environment="${args.environmentName}"`, "Maximum", 900)}, MAX, DESC, 10)`,
          label: "",
          id: "lag",
        },
      ],
    ]),
    chart("Rows read and written", [...perTier("RowsRead", "Sum", "read "), ...perTier("RowsWritten", "Sum", "written ")]),
    chart("Crawls", [
      ...perTier("CrawlersStarted", "Sum", "crawlers started "),
      ...perTier("CrawlSkipped", "Sum", "crawl skipped "),
      ...perTier("CrawlPendingTables", "Maximum", "tables waiting "),
    ]),
    chart(
      "Reconcile repairs",
      [
        [
          {
            expression: `SEARCH('{${METRIC_NAMESPACE}} Lake="${args.lakeName}" Environment="${args.environmentName}" (Reconcile OR Repair)', 'Sum', 3600)`,
            label: "",
            id: "repairs",
          },
        ],
      ],
      { period: 3600 },
    ),
    chart("Coordinator Lambda", [
      ["AWS/Lambda", "Invocations", "FunctionName", functionName, { stat: "Sum" }],
      ["AWS/Lambda", "Errors", "FunctionName", functionName, { stat: "Sum" }],
      ["AWS/Lambda", "Duration", "FunctionName", functionName, { stat: "Maximum", yAxis: "right" }],
    ]),
    {
      type: "alarm",
      width: 24,
      height: 3,
      properties: { title: "Freshness alarms (lake status shows the tables)", alarms: [...alarmArns] },
    },
  ];
}

/** Widgets laid out two per row (full-width ones alone). */
function layout(widgets: readonly Widget[]): Record<string, unknown>[] {
  let x = 0;
  let y = 0;
  return widgets.map((w) => {
    if (x + w.width > 24) {
      x = 0;
      y += 6;
    }
    const placed = { ...w, x, y };
    x += w.width;
    return placed;
  });
}

export class LakeDashboard extends pulumi.ComponentResource {
  readonly dashboard: aws.cloudwatch.Dashboard;

  constructor(name: string, args: LakeDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:runtime:LakeDashboard", name, {}, opts);
    const body = pulumi
      .all([pulumi.output(args.region), pulumi.output(args.coordinatorFunctionName), pulumi.all([...args.freshnessAlarmArns])])
      .apply(([region, fn, alarms]) => JSON.stringify({ widgets: layout(dashboardWidgets(args, region, fn, alarms)) }));
    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      { dashboardName: args.lakeName, dashboardBody: body },
      { parent: this },
    );
    this.registerOutputs({ dashboardName: this.dashboard.dashboardName });
  }
}
