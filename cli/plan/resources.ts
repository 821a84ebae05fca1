/**
 * The resources a tables.yaml change touches: the program synthesized offline (Pulumi mocks, as
 * the tests do) for the base and the head file with the same stack config and program code,
 * compared by type and name, then by inputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runWithMocks, type RecordedResource } from "../../stacks/offline";
import { runLakeProgram } from "../../stacks/program";

export interface ResourceChange {
  readonly type: string;
  readonly name: string;
  /** Dotted paths of the inputs that differ. */
  readonly paths: readonly string[];
}

export interface ResourceDiff {
  readonly baseCount: number;
  readonly headCount: number;
  readonly added: readonly RecordedResource[];
  readonly removed: readonly RecordedResource[];
  readonly changed: readonly ResourceChange[];
}

/** Synthesizes the program for tables.yaml text under the given stack config. */
export async function synthesize(
  config: Readonly<Record<string, unknown>>,
  tablesText: string,
  stack: string,
): Promise<RecordedResource[]> {
  const dir = mkdtempSync(join(tmpdir(), "lake-plan-"));
  try {
    const file = join(dir, "tables.yaml");
    writeFileSync(file, tablesText);
    const run = await runWithMocks({ ...config, "lake:tablesFile": file }, () => runLakeProgram(), stack);
    return run.resources;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function keyOf(r: RecordedResource): string {
  return `${r.type}::${r.name}`;
}

/** Paths (a.b[2].c) where two JSON-like values differ, with short values before → after; at most `limit`. */
export function differingPaths(a: unknown, b: unknown, path = "", out: string[] = [], limit = 8): string[] {
  if (out.length >= limit) return out;
  if (Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b)) return out;
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (typeof a === "string" && typeof b === "string" && a.startsWith("{") && b.startsWith("{")) {
    try {
      return differingPaths(JSON.parse(a), JSON.parse(b), path, out, limit);
    } catch {
      /* not JSON: compare as strings */
    }
  }
  const primitive = (v: unknown): boolean => v === null || ["string", "number", "boolean", "undefined"].includes(typeof v);
  const show = (v: unknown): string => (Array.isArray(v) ? `[${v.join(", ")}]` : v === undefined ? "(none)" : String(v));
  const leaf = (label: string): void => {
    const change = `${show(a)} → ${show(b)}`;
    out.push(change.length <= 120 ? `${label}: ${change}` : label);
  };
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].every(primitive)) {
    leaf(path || "(value)");
    return out;
  }
  if (isObj(a) && isObj(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const sub = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
      differingPaths(a[k], b[k], sub, out, limit);
    }
    return out;
  }
  if (primitive(a) && primitive(b)) leaf(path || "(value)");
  else out.push(path || "(value)");
  return out;
}

export function diffResources(base: readonly RecordedResource[], head: readonly RecordedResource[]): ResourceDiff {
  const before = new Map(base.map((r) => [keyOf(r), r]));
  const after = new Map(head.map((r) => [keyOf(r), r]));
  const changed: ResourceChange[] = [];
  for (const [key, now] of after) {
    const was = before.get(key);
    if (!was) continue;
    const paths = differingPaths(was.inputs, now.inputs);
    if (paths.length > 0) changed.push({ type: now.type, name: now.name, paths });
  }
  return {
    baseCount: base.length,
    headCount: head.length,
    added: head.filter((r) => !before.has(keyOf(r))),
    removed: base.filter((r) => !after.has(keyOf(r))),
    changed,
  };
}
