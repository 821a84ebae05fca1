/**
 * When a table should last have been loaded: the latest time one of the tiers that load it fired
 * (its own tier and the catch-all tier), evaluated in the tier's time zone, at least `graceMinutes`
 * before now so the run had time to finish. A table loaded before that time is stale. Pure.
 *
 * Day-of-month L/W and day-of-week # forms are matched as model/cron.ts parses them (a superset
 * of the days they fire on), so a schedule using them may be reported due one day early.
 */
import type { CronSchedule, LakeModel, TableSpec, TierSpec } from "../../model";
import { tierTimeZone } from "../../model";

const WEEKDAY_NUMBER: Readonly<Record<string, number>> = { Sun: 1, Mon: 2, Tue: 3, Wed: 4, Thu: 5, Fri: 6, Sat: 7 };
/** How far back to look for a fire time (a weekly schedule fires within 7 days). */
const LOOKBACK_MINUTES = 8 * 24 * 60;

interface WallClock {
  readonly minute: number;
  readonly hour: number;
  readonly day: number;
  readonly month: number;
  readonly weekday: number;
}

function wallClockReader(zone: string): (at: Date) => WallClock {
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    weekday: "short",
  });
  return (at) => {
    const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
    return {
      minute: Number(parts.minute),
      hour: Number(parts.hour),
      day: Number(parts.day),
      month: Number(parts.month),
      weekday: WEEKDAY_NUMBER[parts.weekday] ?? 0,
    };
  };
}

function fires(cron: CronSchedule, t: WallClock): boolean {
  if (!cron.minutes.has(t.minute) || !cron.hours.has(t.hour) || !cron.months.has(t.month)) return false;
  const dom = cron.daysOfMonth;
  const dow = cron.daysOfWeek;
  if (dom instanceof Set && !dom.has(t.day)) return false;
  if (dow instanceof Set && !dow.has(t.weekday)) return false;
  return true;
}

/** The latest minute at or before `at` when the schedule fires in `zone`; undefined if none in 8 days. */
export function lastFireAtOrBefore(cron: CronSchedule, zone: string, at: Date): Date | undefined {
  const read = wallClockReader(zone);
  const start = Math.floor(at.getTime() / 60_000) * 60_000;
  for (let i = 0; i <= LOOKBACK_MINUTES; i++) {
    const candidate = new Date(start - i * 60_000);
    if (fires(cron, read(candidate))) return candidate;
  }
  return undefined;
}

export interface DueTime {
  /** The fire time the table should have been loaded by. */
  readonly at: Date;
  readonly tier: string;
}

/** Per tier, its latest fire at or before now - grace (computed once per tier, shared by its tables). */
export function tierDueTimes(
  model: LakeModel,
  businessTimeZone: string,
  now: Date,
  graceMinutes: number,
): Map<string, DueTime | undefined> {
  const cutoff = new Date(now.getTime() - graceMinutes * 60_000);
  return new Map(
    model.tiers.map((tier: TierSpec) => {
      const at = lastFireAtOrBefore(tier.cron, tierTimeZone(tier, businessTimeZone), cutoff);
      return [tier.name, at ? { at, tier: tier.name } : undefined];
    }),
  );
}

/** The due time of a table: the later of its own tier's and the catch-all tier's. */
export function tableDueTime(table: TableSpec, model: LakeModel, due: ReadonlyMap<string, DueTime | undefined>): DueTime | undefined {
  const tiers = new Set([table.tier, ...model.tiers.filter((t) => t.syncsAllTables).map((t) => t.name)]);
  let latest: DueTime | undefined;
  for (const tier of tiers) {
    const d = due.get(tier);
    if (d && (!latest || d.at > latest.at)) latest = d;
  }
  return latest;
}

/** "3d 4h", "2h 05m", "12m", "40s". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}
