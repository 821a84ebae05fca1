/**
 * FreshnessAlarms: per tier, an alarm when the oldest successful load among a run's tables
 * (OldestLoadAgeSeconds from finalize, handlers/coordinator/core/freshnessMetrics.ts) is older
 * than the tier allows, or when no run of the tier finished in that window. A tier that fires
 * only on some days or hours (the 15-minute workday tier) is watched only then: CloudWatch metric
 * math has only UTC clock functions (DAY, HOUR), so the watched UTC hours are those inside the
 * tier's active hours (after its first run) under both of its zone's UTC offsets of the year.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { firesEveryDay, weekdaysFired, type TierSpec } from "../model";
import { METRIC_NAMESPACE, metricDimensions } from "../handlers/coordinator/core/metrics";
import type { LakeTags } from "./common";

export interface FreshnessAlarmsArgs {
  /** Tags on every alarm. */
  readonly tags: LakeTags;
  /** The coordinator's Lake metric dimension (its LAKE_NAME). */
  readonly lakeName: string;
  /** The coordinator's Environment metric dimension (the stack name). */
  readonly environmentName: string;
  /** The tiers from tables.yaml: one alarm each, watched on the days and hours the tier fires. */
  readonly tiers: readonly TierSpec[];
  /** Tier name -> its IANA time zone (every tier needs one). */
  readonly timeZones: Readonly<Record<string, string>>;
  /** ARN of the SNS topic the alarms notify on alarm and on OK (Coordinator.alertTopic, or an existing one). */
  readonly alarmTopicArn: pulumi.Input<string>;
}

export interface TierWatch {
  /** Oldest load age (seconds) that breaches; also the alarm's period. */
  readonly thresholdSeconds: number;
  readonly periodSeconds: number;
  /** CloudWatch DAY() numbers (1 = Monday) watched; undefined = every day. */
  readonly days: readonly number[] | undefined;
  /** UTC hours [from, to) watched; undefined = all day. */
  readonly utcHours: readonly [number, number] | undefined;
}

const DAY_SECONDS = 86_400;
/** The daily tier may be late by this much before its oldest load counts as stale. */
const DAILY_GRACE_SECONDS = 2 * 3600;
/** A sub-daily tier alarms after this many of its intervals without a fresh load. */
const MISSED_INTERVALS = 3;

/** The zone's UTC offset in hours at an instant ("GMT+02:00" -> 2, "GMT+05:30" -> 5.5). */
function offsetHours(zone: string, at: Date): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const match = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!match) return 0; // "GMT": UTC itself
  return (match[1] === "-" ? -1 : 1) * (Number(match[2]) + Number(match[3] ?? 0) / 60);
}

/** How the tier is watched, from its schedule and time zone. Exported for tests. */
export function tierWatch(tier: TierSpec, zone: string, year = new Date().getUTCFullYear()): TierWatch {
  const { cron } = tier;
  const minutes = cron.minutes.size;
  const hours = [...cron.hours].sort((a, b) => a - b);
  const intervalMinutes =
    minutes > 1 ? 60 / minutes : hours.length > 1 ? Math.max(...hours.slice(1).map((h, i) => h - hours[i])) * 60 : 1440;
  if (intervalMinutes >= 1440) {
    return { thresholdSeconds: DAY_SECONDS + DAILY_GRACE_SECONDS, periodSeconds: DAY_SECONDS, days: undefined, utcHours: undefined };
  }
  const window = Math.ceil(MISSED_INTERVALS * intervalMinutes) * 60;
  // CloudWatch DAY(): 1 = Monday .. 7 = Sunday; the model's weekdays: 1 = Sunday .. 7 = Saturday.
  const days = firesEveryDay(cron) ? undefined : [...weekdaysFired(cron)].map((d) => ((d + 5) % 7) + 1).sort((a, b) => a - b);
  let utcHours: [number, number] | undefined;
  if (hours.length < 24) {
    // Watched from the hour after the first run to the end of the last active hour (local).
    const offsets = [new Date(Date.UTC(year, 0, 15, 12)), new Date(Date.UTC(year, 6, 15, 12))].map((d) => offsetHours(zone, d));
    const from = Math.ceil(Math.max(...offsets.map((o) => hours[0] + 1 - o)));
    const to = Math.floor(Math.min(...offsets.map((o) => hours[hours.length - 1] + 1 - o)));
    if (from < 0 || to > 24 || from >= to)
      throw new Error(`tier ${tier.name}: its active hours in ${zone} do not fall within one UTC day; cannot watch them`);
    utcHours = [from, to];
  }
  return { thresholdSeconds: window, periodSeconds: window, days, utcHours };
}

/** The metric math that is above the threshold when the tier is stale (exported for tests). */
export function staleExpression(watch: TierWatch): string {
  const conditions = [
    ...(watch.days ? [`(${watch.days.map((d) => `DAY(runs0) == ${d}`).join(" OR ")})`] : []),
    ...(watch.utcHours ? [`HOUR(runs0) >= ${watch.utcHours[0]} AND HOUR(runs0) < ${watch.utcHours[1]}`] : []),
  ];
  const stale = `IF(runs0 == 0, ${watch.thresholdSeconds + 1}, FILL(age, 0))`;
  return conditions.length > 0 ? `IF(${conditions.join(" AND ")}, ${stale}, 0)` : stale;
}

export class FreshnessAlarms extends pulumi.ComponentResource {
  readonly alarms: aws.cloudwatch.MetricAlarm[] = [];

  constructor(name: string, args: FreshnessAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:runtime:FreshnessAlarms", name, {}, opts);
    for (const tier of args.tiers) {
      const zone = args.timeZones[tier.name];
      if (zone === undefined) throw new Error(`FreshnessAlarms ${name}: no time zone for tier ${tier.name}`);
      const watch = tierWatch(tier, zone);
      const metric = (id: string, stat: string): aws.types.input.cloudwatch.MetricAlarmMetricQuery => ({
        id,
        returnData: false,
        metric: {
          namespace: METRIC_NAMESPACE,
          metricName: "OldestLoadAgeSeconds",
          dimensions: { ...metricDimensions({ lakeName: args.lakeName, environment: args.environmentName }, { Tier: tier.name }) },
          stat,
          period: watch.periodSeconds,
        },
      });
      const when = [
        watch.days ? `on days ${watch.days.join(",")} (1 = Monday)` : "",
        watch.utcHours ? `${watch.utcHours[0]}:00-${watch.utcHours[1]}:00 UTC` : "",
      ]
        .filter((s) => s !== "")
        .join(", ");
      this.alarms.push(
        new aws.cloudwatch.MetricAlarm(
          `${name}-${tier.name.replace(/_/g, "-")}-freshness`,
          {
            alarmDescription:
              `Tier ${tier.name}: a table's last successful load is older than ${watch.thresholdSeconds / 60} min, or no run finished ` +
              `in that window${when ? ` (watched ${when})` : ""}. lake status --stack ${args.environmentName} shows which tables.`,
            metricQueries: [
              metric("age", "Maximum"),
              metric("runs", "SampleCount"),
              { id: "runs0", expression: "FILL(runs, 0)", label: "runs finished", returnData: false },
              { id: "stale", expression: staleExpression(watch), label: `oldest load age, ${tier.name}`, returnData: true },
            ],
            evaluationPeriods: 1,
            threshold: watch.thresholdSeconds,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            alarmActions: [args.alarmTopicArn],
            okActions: [args.alarmTopicArn],
            tags: args.tags,
          },
          { parent: this },
        ),
      );
    }
    this.registerOutputs({ alarmNames: this.alarms.map((a) => a.name) });
  }
}
