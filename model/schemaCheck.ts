/** Structural checks against model/tables.schema.json, translated into plain words. */
import Ajv, { type ErrorObject } from "ajv";
import schema from "./tables.schema.json";
import type { PathSegment } from "./yamlSource";

export interface RawIssue {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly hint?: string;
  /** Point at the mapping key rather than its value. */
  readonly atKey?: boolean;
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
const validate = ajv.compile(schema);

/** The JSON Schema shipped with the model, for editors and the CLI. */
export const TABLES_SCHEMA: unknown = schema;

function pointerToPath(pointer: string, root: unknown): PathSegment[] {
  if (pointer === "") return [];
  const path: PathSegment[] = [];
  let node: unknown = root;
  for (const raw of pointer.slice(1).split("/")) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    const asIndex = Array.isArray(node) && /^\d+$/.test(segment) ? Number(segment) : segment;
    path.push(asIndex);
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[segment] : undefined;
  }
  return path;
}

/** Known field names at a schema location, for "did you mean" hints. */
function allowedFields(error: ErrorObject): string[] {
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(parent?.properties ?? {});
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function translate(error: ErrorObject, root: unknown): RawIssue | undefined {
  const path = pointerToPath(error.instancePath, root);
  const value = path.reduce<unknown>(
    (node, seg) => (node && typeof node === "object" ? (node as Record<string, unknown>)[String(seg)] : undefined),
    root,
  );
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return { path: [...path, String(params.missingProperty)], message: `required field "${String(params.missingProperty)}" is missing` };
    case "additionalProperties": {
      const field = String(params.additionalProperty);
      const suggestion = closest(field, allowedFields(error));
      return {
        path: [...path, field],
        atKey: true,
        message: `unknown field "${field}"`,
        hint: suggestion ? `did you mean "${suggestion}"?` : `allowed fields: ${allowedFields(error).join(", ")}`,
      };
    }
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof value === "string" ? closest(value, allowed) : undefined;
      return {
        path,
        message: `must be one of ${allowed.join(", ")} (got ${describeValue(value)})`,
        hint: suggestion ? `did you mean "${suggestion}"?` : undefined,
      };
    }
    case "const":
      return { path, message: `must be ${JSON.stringify(params.allowedValue)} (got ${describeValue(value)})` };
    case "type":
      return { path, message: `must be ${String(params.type)} (got ${describeValue(value)})` };
    case "pattern": {
      const described = (error.parentSchema as { description?: string } | undefined)?.description;
      return { path, message: `${describeValue(value)} is not allowed here${described ? ": " + described : ""}` };
    }
    case "propertyNames":
      return {
        path: [...path, String(params.propertyName)],
        atKey: true,
        message: `name "${String(params.propertyName)}" is invalid: use lower-case letters, digits and underscores, starting with a letter`,
      };
    case "minItems":
      return { path, message: `must list at least ${String(params.limit)} item(s)` };
    case "minProperties":
      return { path, message: `must declare at least ${String(params.limit)} entry` };
    case "minLength":
      return { path, message: "must not be empty" };
    case "maxLength":
      return { path, message: `must be at most ${String(params.limit)} characters` };
    case "minimum":
    case "maximum":
      return {
        path,
        message: `must be ${error.keyword === "minimum" ? "at least" : "at most"} ${String(params.limit)} (got ${describeValue(value)})`,
      };
    case "integer":
      return { path, message: `must be a whole number (got ${describeValue(value)})` };
    default:
      return { path, message: error.message ?? "is invalid" };
  }
}

/** All structural problems at once; empty when the document matches the schema. */
export function schemaIssues(root: unknown): RawIssue[] {
  if (validate(root)) return [];
  const issues: RawIssue[] = [];
  const seen = new Set<string>();
  for (const error of validate.errors ?? []) {
    // propertyNames reports the pattern failure of the name as well; the propertyNames entry says it better.
    if (error.keyword === "pattern" && error.propertyName !== undefined) continue;
    const issue = translate(error, root);
    if (!issue) continue;
    const dedupeKey = JSON.stringify(issue.path) + issue.message;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    issues.push(issue);
  }
  return issues;
}
