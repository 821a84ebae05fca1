/**
 * Rules the JSON Schema cannot express: references between sections, strategies and their
 * columns, identifiers, schedules and time zones. Works on the raw document defensively, so
 * it reports alongside schema problems instead of stopping at the first one.
 */
import { CronError, firesEveryDay, firesOnWeekends, firesPerActiveHour, parseCron, weekdaysFired, weekdayName } from "./cron";
import { lakeNameProblem, sourceNameProblem } from "./identifiers";
import { closest, type RawIssue } from "./schemaCheck";
import { isValidTimeZone } from "./timeZone";
import type { PathSegment } from "./yamlSource";

export interface SemanticOptions {
  /** Roles the stack can map to principals; access rules naming others are reported. */
  readonly knownRoles?: readonly string[];
}

type Dict = Record<string, unknown>;

const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
const asDict = (v: unknown): Dict => (isDict(v) ? v : {});
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const strList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

function unknownRef(kind: string, value: string, known: readonly string[]): { message: string; hint: string } {
  const suggestion = closest(value, known);
  return {
    message: `unknown ${kind} "${value}"`,
    hint: suggestion ? `did you mean "${suggestion}"?` : `declared ${kind}s: ${known.join(", ") || "(none)"}`,
  };
}

export { isValidTimeZone };

function checkTiers(tiers: Dict, report: (issue: RawIssue) => void): void {
  const catchAll: string[] = [];
  for (const [name, raw] of Object.entries(tiers)) {
    const tier = asDict(raw);
    const schedule = str(tier.schedule);
    if (tier.syncsAllTables === true) catchAll.push(name);
    const zone = str(tier.timezone);
    if (zone !== undefined && !isValidTimeZone(zone)) {
      report({
        path: ["tiers", name, "timezone"],
        message: `"${zone}" is not an IANA time zone`,
        hint: 'use a region name such as "Europe/Berlin" or "America/New_York"',
      });
    }
    if (schedule === undefined || !schedule.startsWith("cron(")) continue;
    let cron;
    try {
      cron = parseCron(schedule);
    } catch (error) {
      if (!(error instanceof CronError)) throw error;
      report({ path: ["tiers", name, "schedule"], message: `invalid cron expression: ${error.message}` });
      continue;
    }
    const weekend = [...weekdaysFired(cron)].filter((d) => d === 1 || d === 7).map(weekdayName);
    if (tier.workdaysOnly === true && firesOnWeekends(cron)) {
      report({
        path: ["tiers", name, "schedule"],
        message: `tier is workdaysOnly but the schedule fires on ${weekend.join(" and ") || "weekend days"}`,
        hint: 'set day-of-week to MON-FRI and day-of-month to "?"',
      });
    } else if (firesPerActiveHour(cron) > 1 && firesOnWeekends(cron)) {
      report({
        path: ["tiers", name, "schedule"],
        message: `a tier that fires ${firesPerActiveHour(cron)} times an hour must run on workdays only, but this one fires on ${weekend.join(" and ")}`,
        hint: "set day-of-week to MON-FRI and workdaysOnly: true; the syncsAllTables tier covers weekends",
      });
    }
    if (tier.syncsAllTables === true && !firesEveryDay(cron)) {
      report({
        path: ["tiers", name, "schedule"],
        message: "the syncsAllTables tier must fire every day so every table syncs at least daily",
        hint: 'use "*" for day-of-month, month and year, and "?" for day-of-week',
      });
    }
  }
  if (catchAll.length !== 1) {
    report({
      path: catchAll.length > 1 ? ["tiers", catchAll[1], "syncsAllTables"] : ["tiers"],
      message:
        catchAll.length === 0
          ? "no tier sets syncsAllTables: true; one tier must load every table daily"
          : `only one tier may set syncsAllTables, but ${catchAll.join(" and ")} both do`,
    });
  }
}

function checkAccess(access: Dict, domainNames: string[], options: SemanticOptions, report: (issue: RawIssue) => void): void {
  for (const [role, raw] of Object.entries(access)) {
    const rule = asDict(raw);
    if (options.knownRoles && !options.knownRoles.includes(role)) {
      report({
        path: ["access", role],
        atKey: true,
        ...unknownRef("role", role, options.knownRoles),
        message: `role "${role}" has no principal in the stack config (lake:rolePrincipals)`,
      });
    }
    const seen = new Set<string>();
    strList(rule.domains).forEach((domain, i) => {
      if (seen.has(domain)) report({ path: ["access", role, "domains", i], message: `domain "${domain}" is listed twice` });
      seen.add(domain);
      if (!domainNames.includes(domain)) report({ path: ["access", role, "domains", i], ...unknownRef("domain", domain, domainNames) });
    });
  }
}

// Rows whose transaction commits after a run read its window, with a cursor stamped before the
// window's end, are found only by re-reading the last minutes: an incremental table needs some.
const NO_LOOKBACK =
  "lookbackMinutes 0 is refused for incremental tables: a change committed after a run read its window, " +
  "with a cursor stamped before the window's end, would never be read; use at least 1";

function checkTable(table: Dict, index: number, ctx: { domains: string[]; tiers: string[]; report: (issue: RawIssue) => void }): void {
  const at = (...rest: PathSegment[]): PathSegment[] => ["tables", index, ...rest];
  const { report } = ctx;
  const name = str(table.name);
  if (name !== undefined) {
    const problem = lakeNameProblem(name);
    if (problem) {
      report({
        path: at("name"),
        message: `table name "${name}" would need quoting: ${problem}`,
        hint: `use a lake-safe name (e.g. "${suggestLakeName(name)}") and put the exact source name in "source"`,
      });
    }
  }
  const source = str(table.source);
  if (source !== undefined) {
    const problem = sourceNameProblem(source);
    if (problem) report({ path: at("source"), message: `source table name "${source}" cannot be addressed safely: ${problem}` });
  }
  const domain = str(table.domain);
  if (domain !== undefined && !ctx.domains.includes(domain)) report({ path: at("domain"), ...unknownRef("domain", domain, ctx.domains) });
  const tier = str(table.tier);
  if (tier !== undefined && !ctx.tiers.includes(tier)) report({ path: at("tier"), ...unknownRef("tier", tier, ctx.tiers) });

  // Column lists: valid names, no repeats.
  const columnsIn = (field: "primaryKey" | "pii" | "nonPii"): string[] => {
    const list = strList(table[field]);
    const seen = new Set<string>();
    list.forEach((column, i) => {
      const problem = sourceNameProblem(column);
      if (problem) report({ path: at(field, i), message: `column name "${column}" is invalid: ${problem}` });
      if (seen.has(column.toLowerCase())) report({ path: at(field, i), message: `column "${column}" is named twice in ${field}` });
      seen.add(column.toLowerCase());
    });
    return list;
  };
  const primaryKey = columnsIn("primaryKey");
  const pii = columnsIn("pii").map((c) => c.toLowerCase());
  columnsIn("nonPii");
  // A column is classified once: both lists would leave its tag (hidden or visible) to chance.
  strList(table.nonPii).forEach((column, i) => {
    if (pii.includes(column.toLowerCase())) {
      report({
        path: at("nonPii", i),
        message: `column "${column}" is in both pii and nonPii; classify it once`,
        hint: "keep it in pii if it may hold personal data",
      });
    }
  });
  for (const field of ["cursor", "key"] as const) {
    const column = str(table[field]);
    const problem = column !== undefined ? sourceNameProblem(column) : undefined;
    if (problem) report({ path: at(field), message: `column name "${column}" is invalid: ${problem}` });
  }

  const strategy = str(table.strategy);
  const cursor = str(table.cursor);
  const key = str(table.key);
  const requireField = (field: string, why: string): void => {
    if (table[field] === undefined) report({ path: at(field), message: `strategy "${strategy}" needs "${field}": ${why}` });
  };
  const forbidField = (field: string, why: string): void => {
    if (table[field] !== undefined)
      report({ path: at(field), atKey: true, message: `"${field}" is not used by strategy "${strategy}": ${why}` });
  };
  if (strategy === "incremental") {
    requireField("cursor", "the column updated on every change (e.g. updated_at)");
    requireField("primaryKey", "the full copy merges changed rows by it");
    forbidField("key", "use strategy append for an insert-only table with an ever-increasing key");
    forbidField("lookbackKeys", "an incremental table looks back by time (lookbackMinutes)");
    if (table.lookbackMinutes === 0) report({ path: at("lookbackMinutes"), message: NO_LOOKBACK });
  } else if (strategy === "append") {
    requireField("key", "the ever-increasing key of the insert-only table");
    forbidField("cursor", "use strategy incremental for a table whose rows are updated");
    forbidField("lookbackMinutes", "append looks back by keys (lookbackKeys), not by time");
    if (key !== undefined && primaryKey.length > 0 && !primaryKey.some((c) => c.toLowerCase() === key.toLowerCase())) {
      report({ path: at("primaryKey"), message: `the append key "${key}" must be part of the primary key` });
    }
  } else if (strategy === "snapshot") {
    forbidField("cursor", "a snapshot reads the whole table");
    forbidField("key", "a snapshot reads the whole table");
    forbidField("lookbackMinutes", "a snapshot reads the whole table");
    forbidField("lookbackKeys", "a snapshot reads the whole table");
  }

  // A column may play one role: a cursor changes on update so it cannot identify a row, and a
  // key column hidden as PII would leave uncleared roles unable to join.
  if (cursor !== undefined && primaryKey.some((c) => c.toLowerCase() === cursor.toLowerCase())) {
    report({
      path: at("cursor"),
      message: `cursor "${cursor}" is also in primaryKey; a column that changes on update cannot identify a row`,
    });
  }
  const roleOf: [string, string | undefined][] = [
    ["cursor", cursor],
    ["key", key],
  ];
  for (const [field, column] of roleOf) {
    if (column !== undefined && pii.includes(column.toLowerCase())) {
      report({ path: at("pii"), message: `column "${column}" is both the ${field} and PII; roles without PII clearance would lose it` });
    }
  }
  for (const column of primaryKey) {
    if (pii.includes(column.toLowerCase())) {
      report({
        path: at("pii"),
        message: `primary key column "${column}" is marked PII; roles without PII clearance could not identify or join rows`,
        hint: "use a surrogate key",
      });
    }
  }
}

function suggestLakeName(name: string): string {
  const base = name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  const safe = /^[a-z]/.test(base) ? base : `t_${base}`;
  return lakeNameProblem(safe) ? `${safe}_table` : safe;
}

export function semanticIssues(root: unknown, options: SemanticOptions = {}): RawIssue[] {
  const issues: RawIssue[] = [];
  const report = (issue: RawIssue): void => {
    issues.push(issue);
  };
  const doc = asDict(root);
  const tiers = asDict(doc.tiers);
  const domains = asDict(doc.domains);
  const domainNames = Object.keys(domains);
  const tierNames = Object.keys(tiers);
  checkTiers(tiers, report);
  checkAccess(asDict(doc.access), domainNames, options, report);
  if (asDict(doc.defaults).lookbackMinutes === 0) report({ path: ["defaults", "lookbackMinutes"], message: NO_LOOKBACK });

  const tables = Array.isArray(doc.tables) ? doc.tables : [];
  const byName = new Map<string, number>();
  const bySource = new Map<string, number>();
  tables.forEach((raw, index) => {
    const table = asDict(raw);
    checkTable(table, index, { domains: domainNames, tiers: tierNames, report });
    const name = str(table.name);
    if (name !== undefined) {
      const first = byName.get(name.toLowerCase());
      if (first !== undefined) {
        report({ path: ["tables", index, "name"], message: `table "${name}" is declared twice (first as entry #${first + 1})` });
      } else byName.set(name.toLowerCase(), index);
      // Two entries reading one source table would load it twice under different names.
      const source = str(table.source) ?? name;
      const firstSource = bySource.get(source);
      if (firstSource !== undefined && first === undefined) {
        report({
          path: ["tables", index, table.source !== undefined ? "source" : "name"],
          message: `source table "${source}" is already loaded by entry #${firstSource + 1}`,
        });
      } else if (firstSource === undefined) bySource.set(source, index);
    }
  });
  return issues;
}
