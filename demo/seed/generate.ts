/**
 * Row values from column types alone: a deterministic PRNG per table, unique values for the
 * columns of every primary and unique key, about 10% NULLs in nullable columns, ENUM values,
 * DECIMAL precision and scale, TINYINT(1) flags, BIGINT UNSIGNED beyond 2^63, JSON documents,
 * DATETIME/TIMESTAMP in the past (TIMESTAMP columns that default to now are left to the database).
 */
import type { SourceColumn, SourceTable } from "./columns";
import { Prng } from "./prng";

export type Value = string | number | null;

/** Distinct values a generated key column must be able to take (seed rows plus every later insert). */
const KEY_CAPACITY = 1_000_000;
const NULL_SHARE = 0.1;
const DAY_MS = 86_400_000;
const WORDS = [
  "alpha",
  "Müller",
  "straße",
  "order",
  "Zoë",
  "quality",
  "delivery",
  "Ærø",
  "invoice",
  "north",
  "pump",
  "valve",
  "bolt",
  "São Paulo",
  "Kraków",
  "ĳssel",
  "blue",
  "steel",
  "batch",
  "línea",
  "résumé",
  "urgent",
  "🚚",
  "naïve",
];

const INT_RANGES: Readonly<Record<string, readonly [bigint, bigint]>> = {
  tinyint: [-128n, 127n],
  smallint: [-32768n, 32767n],
  mediumint: [-8388608n, 8388607n],
  int: [-2147483648n, 2147483647n],
  bigint: [-9223372036854775808n, 9223372036854775807n],
};

function intRange(c: SourceColumn): readonly [bigint, bigint] {
  const range = INT_RANGES[c.dataType] ?? INT_RANGES["int"];
  const [lo, hi] = range as readonly [bigint, bigint];
  return c.unsigned ? [0n, hi * 2n + 1n] : [lo, hi];
}

const isInt = (c: SourceColumn): boolean => c.dataType in INT_RANGES;
const isText = (c: SourceColumn): boolean => ["varchar", "char", "text", "mediumtext", "longtext", "tinytext"].includes(c.dataType);

/** How many distinct values a key column can hold when filled from the row index. */
function capacity(c: SourceColumn): number {
  if (isInt(c)) {
    const [, hi] = intRange(c);
    return hi > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(hi);
  }
  if (isText(c)) return 10 ** Math.min(c.maxLength ?? 12, 12);
  if (c.dataType === "date") return 2_900_000;
  if (c.dataType === "datetime" || c.dataType === "timestamp") return 100_000_000;
  if (c.dataType === "decimal") return 10 ** Math.min((c.precision ?? 10) - (c.scale ?? 0), 12);
  return c.enumValues.length;
}

/** The table's columns filled from the row index: one per unique index (unless it has an AUTO_INCREMENT column). */
export function keyColumns(table: SourceTable): Set<string> {
  const chosen = new Set<string>();
  for (const index of table.uniqueIndexes) {
    const cols = index.map((n) => table.columns.find((c) => c.name === n)).filter((c): c is SourceColumn => c !== undefined);
    if (cols.some((c) => c.autoIncrement || chosen.has(c.name))) continue;
    const fit = cols.find((c) => capacity(c) >= KEY_CAPACITY);
    if (!fit)
      throw new Error(`table ${table.name}: no column of unique key (${index.join(", ")}) can hold ${KEY_CAPACITY} distinct values`);
    chosen.add(fit.name);
  }
  return chosen;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

function keyValue(c: SourceColumn, index: number): Value {
  const n = index + 1;
  if (isInt(c) || c.dataType === "decimal") return n;
  if (isText(c)) {
    const width = String(KEY_CAPACITY).length;
    const prefix =
      c.name
        .replace(/[^A-Za-z]/g, "")
        .slice(0, 3)
        .toUpperCase() + "-";
    const max = c.maxLength ?? 64;
    return prefix.length + width <= max ? prefix + pad(n, width) : pad(n, Math.min(width, max)).slice(-max);
  }
  if (c.dataType === "date") return isoDate(new Date(Date.UTC(2000, 0, 1) + n * DAY_MS));
  if (c.dataType === "datetime" || c.dataType === "timestamp") return sqlDateTime(new Date(Date.UTC(2020, 0, 1) + n * 1000), 0);
  throw new Error(`column ${c.name} (${c.columnType}) cannot be a generated key`);
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:MM:SS[.ffffff]' in UTC with `fraction` digits. */
export function sqlDateTime(d: Date, fraction: number): string {
  const base = d.toISOString().replace("T", " ").slice(0, 19);
  if (fraction <= 0) return base;
  const micros = pad(d.getUTCMilliseconds() * 1000, 6);
  return `${base}.${micros.slice(0, fraction)}`;
}

function fractionDigits(c: SourceColumn): number {
  const m = /\((\d)\)/.exec(c.columnType);
  return m && m[1] !== undefined ? Number(m[1]) : 0;
}

function randomText(rng: Prng, max: number): string {
  const words: string[] = [];
  let text = "";
  const target = rng.int(1, Math.max(1, Math.min(max, 60)));
  while (text.length < target) {
    words.push(rng.pick(WORDS));
    text = words.join(" ");
  }
  // Cut by code point so a multi-byte character is never split.
  return [...text].slice(0, max).join("").trimEnd() || "x";
}

function randomValue(c: SourceColumn, rng: Prng, index: number, now: number): Value {
  if (c.enumValues.length > 0) return rng.pick(c.enumValues);
  // A flag: MariaDB's TINYINT(1), PostgreSQL's boolean (which reads '0' and '1').
  if (c.columnType === "tinyint(1)" || c.dataType === "boolean") return rng.int(0, 1);
  if (isInt(c)) {
    if (c.dataType === "bigint" && c.unsigned && rng.chance(0.02)) {
      // Beyond the signed range: the lake must carry it as decimal(20,0), not wrap it.
      return (18446744073709551615n - BigInt(rng.int(0, 1_000_000_000))).toString();
    }
    const [lo, hi] = intRange(c);
    const top = hi < 100_000n ? Number(hi) : 100_000;
    const bottom = lo < 0n ? Math.max(Number(lo), -1000) : 0;
    return rng.int(bottom, top);
  }
  if (c.dataType === "decimal") {
    const scale = c.scale ?? 0;
    const intDigits = Math.min((c.precision ?? 10) - scale, 9);
    const whole = intDigits > 0 ? rng.int(0, 10 ** intDigits - 1) : 0;
    const frac = scale > 0 ? "." + Array.from({ length: scale }, () => rng.int(0, 9)).join("") : "";
    const sign = !c.unsigned && rng.chance(0.05) ? "-" : "";
    return `${sign}${whole}${frac}`;
  }
  if (c.dataType === "float" || c.dataType === "double") return Math.round(rng.next() * 1e6) / 1e3;
  if (c.json) return JSON.stringify({ row: index, tag: rng.pick(WORDS), score: rng.int(0, 1000) / 10, nested: { ok: rng.chance(0.5) } });
  if (c.dataType === "char") {
    const len = c.maxLength ?? 1;
    return Array.from({ length: len }, () => String.fromCharCode(65 + rng.int(0, 25))).join("");
  }
  if (isText(c)) return randomText(rng, c.maxLength !== undefined ? Math.min(c.maxLength, 200) : 200);
  if (c.dataType === "date") return isoDate(new Date(Date.UTC(2015, 0, 1) + rng.int(0, 3650) * DAY_MS));
  if (c.dataType === "datetime" || c.dataType === "timestamp") {
    // In the past (at least two days), so the first load's cursor bound covers every seeded row.
    const at = now - 2 * DAY_MS - rng.int(0, 3 * 365) * DAY_MS - rng.int(0, DAY_MS - 1);
    return sqlDateTime(new Date(at), fractionDigits(c));
  }
  if (c.dataType === "time") return `${pad(rng.int(0, 23), 2)}:${pad(rng.int(0, 59), 2)}:${pad(rng.int(0, 59), 2)}`;
  if (c.dataType === "year") return rng.int(1990, 2030);
  throw new Error(`column ${c.name}: no generator for type ${c.columnType}`);
}

/**
 * Columns an INSERT sets: all but AUTO_INCREMENT. Seeded rows get past values even in TIMESTAMP
 * columns the database would stamp (rows that existed before the day); rows inserted during the
 * day get the current time there (SourceEditor.insert), as the database or application would.
 */
export function insertColumns(table: SourceTable): SourceColumn[] {
  return table.columns.filter((c) => !c.autoIncrement);
}

export class RowGenerator {
  readonly columns: readonly SourceColumn[];
  private readonly keys: Set<string>;
  private readonly rng: Prng;

  constructor(
    readonly table: SourceTable,
    seed: string,
    private readonly now: number = Date.now(),
  ) {
    this.columns = insertColumns(table);
    this.keys = keyColumns(table);
    this.rng = new Prng(`${seed}:${table.name}`);
  }

  /** One row for the given index (indexes must never repeat for one table: they fill the keys). */
  row(index: number): Value[] {
    return this.columns.map((c) => this.value(c, index));
  }

  value(c: SourceColumn, index: number): Value {
    if (this.keys.has(c.name)) return keyValue(c, index);
    if (c.nullable && this.rng.chance(NULL_SHARE)) return null;
    return randomValue(c, this.rng, index, this.now);
  }

  /** A fresh random value for a non-key column (updates). */
  changed(c: SourceColumn, index: number): Value {
    if (this.keys.has(c.name)) throw new Error(`column ${c.name} fills a unique key; updates leave it alone`);
    return randomValue(c, this.rng, index, this.now);
  }

  isKey(name: string): boolean {
    return this.keys.has(name) || this.table.uniqueIndexes.some((ix) => ix.includes(name));
  }

  get prng(): Prng {
    return this.rng;
  }
}
