/**
 * EventBridge Scheduler cron expressions: cron(minutes hours day-of-month month day-of-week year).
 * We parse them to reject bad schedules before deploy and to reason about when a tier fires
 * (weekends, every day, more than once an hour). Day-of-week 1..7 is SUN..SAT, as in AWS.
 */

export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** undefined when the field is `?` (the other day field decides). */
  readonly daysOfMonth: ReadonlySet<number> | "any" | undefined;
  readonly months: ReadonlySet<number>;
  /** undefined when the field is `?`. */
  readonly daysOfWeek: ReadonlySet<number> | "any" | undefined;
  /** The year field is `*`. */
  readonly everyYear: boolean;
}

export class CronError extends Error {}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
export const SUNDAY = 1;
export const SATURDAY = 7;

interface FieldRule {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Extra suffix forms allowed (L, W, #) in the day fields. */
  readonly dayField?: "month" | "week";
}

const FIELDS: readonly FieldRule[] = [
  { label: "minutes", min: 0, max: 59 },
  { label: "hours", min: 0, max: 23 },
  { label: "day-of-month", min: 1, max: 31, dayField: "month" },
  { label: "month", min: 1, max: 12, names: MONTHS },
  { label: "day-of-week", min: 1, max: 7, names: WEEKDAYS, dayField: "week" },
  { label: "year", min: 1970, max: 2199 },
];

function parseValue(token: string, rule: FieldRule): number {
  const upper = token.toUpperCase();
  const named = rule.names?.indexOf(upper) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(token)) {
    throw new CronError(`${rule.label}: "${token}" is not a number${rule.names ? " or a name like " + rule.names[0] : ""}`);
  }
  const value = Number(token);
  if (value < rule.min || value > rule.max) {
    throw new CronError(`${rule.label}: ${value} is outside ${rule.min}-${rule.max}`);
  }
  return value;
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** Parses one comma-separated field into the set of values it matches. */
function parseField(field: string, rule: FieldRule): Set<number> | "any" {
  if (field === "*") return "any";
  const values = new Set<number>();
  for (const part of field.split(",")) {
    if (part === "") throw new CronError(`${rule.label}: empty list item in "${field}"`);
    const dayMatch = parseDaySpecial(part, rule);
    if (dayMatch) {
      for (const v of dayMatch) values.add(v);
      continue;
    }
    const [base, stepText] = part.split("/");
    if (part.split("/").length > 2) throw new CronError(`${rule.label}: "${part}" has more than one "/"`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0) {
        throw new CronError(`${rule.label}: step "${stepText}" must be a positive number`);
      }
      step = Number(stepText);
    }
    if (base === "*") {
      range(rule.min, rule.max, step).forEach((v) => values.add(v));
    } else if (base.includes("-")) {
      const [fromText, toText] = base.split("-");
      const from = parseValue(fromText, rule);
      const to = parseValue(toText, rule);
      if (from > to) throw new CronError(`${rule.label}: range "${base}" runs backwards`);
      range(from, to, step).forEach((v) => values.add(v));
    } else {
      const start = parseValue(base, rule);
      // "5/15" means from 5 to the end of the field, every 15.
      (stepText === undefined ? [start] : range(start, rule.max, step)).forEach((v) => values.add(v));
    }
  }
  return values;
}

/** L, W and # forms of the day fields; returns the weekdays or days they can fall on. */
function parseDaySpecial(part: string, rule: FieldRule): number[] | undefined {
  const upper = part.toUpperCase();
  if (rule.dayField === "month") {
    if (upper === "L" || upper === "LW") return range(28, 31, 1);
    const weekday = /^(\d+)W$/.exec(upper);
    if (weekday) {
      const day = parseValue(weekday[1], rule);
      return range(Math.max(1, day - 2), Math.min(31, day + 2), 1);
    }
  }
  if (rule.dayField === "week") {
    const nth = /^([A-Z]+|\d)#([1-5])$/.exec(upper);
    if (nth) return [parseValue(nth[1], rule)];
    const last = /^([A-Z]+|\d)L$/.exec(upper);
    if (last) return [parseValue(last[1], rule)];
    if (upper === "L") return [SATURDAY];
  }
  return undefined;
}

/** Parses `cron(...)`; throws CronError with a plain message naming the bad field. */
export function parseCron(expression: string): CronSchedule {
  const match = /^cron\((.*)\)$/.exec(expression.trim());
  if (!match) throw new CronError(`"${expression}" is not of the form cron(minutes hours day-of-month month day-of-week year)`);
  const fields = match[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronError(`expected 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`);
  }
  const [dom, dow] = [fields[2], fields[4]];
  if ((dom === "?") === (dow === "?")) {
    throw new CronError(`exactly one of day-of-month ("${dom}") and day-of-week ("${dow}") must be "?"`);
  }
  const parsed = fields.map((field, i) => {
    if (field === "?") {
      if (!FIELDS[i].dayField) throw new CronError(`${FIELDS[i].label}: "?" is only allowed in the day fields`);
      return undefined;
    }
    return parseField(field, FIELDS[i]);
  });
  const asSet = (v: Set<number> | "any" | undefined, rule: FieldRule): Set<number> =>
    v === "any" || v === undefined ? new Set(range(rule.min, rule.max, 1)) : v;
  return {
    expression,
    minutes: asSet(parsed[0], FIELDS[0]),
    hours: asSet(parsed[1], FIELDS[1]),
    daysOfMonth: parsed[2],
    months: asSet(parsed[3], FIELDS[3]),
    daysOfWeek: parsed[4],
    everyYear: parsed[5] === "any",
  };
}

/** Weekdays (1=SUN..7=SAT) the schedule can fire on. */
export function weekdaysFired(cron: CronSchedule): ReadonlySet<number> {
  if (cron.daysOfWeek === undefined || cron.daysOfWeek === "any") return new Set(range(1, 7, 1));
  return cron.daysOfWeek;
}

export function firesOnWeekends(cron: CronSchedule): boolean {
  const days = weekdaysFired(cron);
  return days.has(SATURDAY) || days.has(SUNDAY);
}

/** True when the schedule fires on every day of every month and year. */
export function firesEveryDay(cron: CronSchedule): boolean {
  const anyDom = cron.daysOfMonth === "any" || cron.daysOfMonth === undefined;
  const anyDow = cron.daysOfWeek === "any" || cron.daysOfWeek === undefined;
  return anyDom && anyDow && cron.months.size === 12 && cron.everyYear;
}

/** How many times an hour the schedule fires in the hours it is active. */
export function firesPerActiveHour(cron: CronSchedule): number {
  return cron.minutes.size;
}

/** Number of runs on a day the schedule is active (for cost estimates). */
export function runsPerActiveDay(cron: CronSchedule): number {
  return cron.minutes.size * cron.hours.size;
}

export function weekdayName(day: number): string {
  return WEEKDAYS[day - 1];
}
