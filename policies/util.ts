// Small helpers shared by the policy files. No side effects.
//
// Keep this file (and every policy file) to ES2020 library features: `pulumi preview --policy-pack`
// compiles the pack with ts-node using Pulumi's default compiler options (target ES2020), not the
// repository's tsconfig.json.

import * as policy from "@pulumi/policy";
import type { PolicyResource, ResourceValidation } from "@pulumi/policy";

/** A value read from policy props: during preview, values computed from other resources are unknown. */
export type Known<T> = { known: true; value: T } | { known: false };

type ErrorClass = new (...args: never[]) => Error;
// The runtime (server.js) wraps props in a proxy that throws UnknownValueError when a policy touches
// a value that is not known yet. The class is exported at runtime by @pulumi/policy's index.js but is
// missing from its type declarations, hence the narrow cast.
const runtimeUnknownValueError = (policy as unknown as { UnknownValueError?: ErrorClass }).UnknownValueError;

export function isUnknownValueError(e: unknown): boolean {
  if (runtimeUnknownValueError !== undefined && e instanceof runtimeUnknownValueError) {
    return true;
  }
  return e instanceof Error && e.constructor.name === "UnknownValueError";
}

/**
 * Reads a value without letting an unknown (preview-time) value abort the whole validation.
 * Anything else that throws is rethrown.
 */
export function read<T>(get: () => T): Known<T> {
  try {
    return { known: true, value: get() };
  } catch (e) {
    if (isUnknownValueError(e)) {
      return { known: false };
    }
    throw e;
  }
}

export type Presence = "present" | "absent" | "unknown";

/**
 * Whether a field is set to something non-empty. An unknown value counts as "unknown": it is
 * computed from another resource (a KMS key ARN, a security configuration name), so it will be set;
 * callers that only require presence treat "unknown" as satisfied.
 */
export function presence(get: () => unknown): Presence {
  const r = read(get);
  if (!r.known) {
    return "unknown";
  }
  return isEmpty(r.value) ? "absent" : "present";
}

export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null) {
    return true;
  }
  if (typeof v === "string") {
    return v.trim() === "";
  }
  if (Array.isArray(v)) {
    return v.length === 0;
  }
  if (typeof v === "object") {
    return Object.keys(v).length === 0;
  }
  return false;
}

/** "aws:s3/bucketPolicy:BucketPolicy" -> "aws:s3:BucketPolicy" (the form the Pulumi CLI prints). */
export function shortType(type: string): string {
  const m = /^([^:]+):([^/:]+)(?:\/[^:]*)?:(.+)$/.exec(type);
  return m ? `${m[1]}:${m[2]}:${m[3]}` : type;
}

/** How violation messages name a resource: `aws:s3:BucketPolicy "lake-raw-policy"`. */
export function label(r: { type: string; name: string }): string {
  return `${shortType(r.type)} "${r.name}"`;
}

/** Renders a value for a violation message. */
export function show(v: unknown): string {
  if (v === undefined) {
    return "unset";
  }
  try {
    return JSON.stringify(v);
  } catch {
    return "<not known until the update>";
  }
}

/** A string or a list of strings (IAM policy fields, tag values) as a list. */
export function asStringList(v: unknown): string[] {
  if (typeof v === "string") {
    return [v];
  }
  if (Array.isArray(v)) {
    return v.filter((x): x is string => typeof x === "string");
  }
  return [];
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Combines several `validateResourceOfType(...)` functions into one validation that dispatches on the
 * resource's type token. Unlike an array of validations (where every non-matching entry reports the
 * policy as not applicable), this reports "not applicable" only when no entry matches.
 */
export function validateResourceOfTypes(...validations: ResourceValidation[]): ResourceValidation {
  const byType = new Map<string, ResourceValidation>();
  for (const v of validations) {
    const t = (v as unknown as { __pulumiType?: unknown }).__pulumiType;
    if (typeof t !== "string" || t === "") {
      throw new Error("validateResourceOfTypes expects validations built by validateResourceOfType");
    }
    byType.set(t, v);
  }
  const types = Array.from(byType.keys());
  return (args, reportViolation) => {
    const v = byType.get(args.type);
    if (v === undefined) {
      return args.notApplicable(`Policy only applies to resources of type ${types.join(", ")}`);
    }
    return v(args, reportViolation);
  };
}

// ----- IAM policy documents -------------------------------------------------------------------

export interface PolicyStatement {
  Sid?: unknown;
  Effect?: unknown;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: unknown;
  NotAction?: unknown;
  Resource?: unknown;
  NotResource?: unknown;
  Condition?: unknown;
}

export type ParsedPolicy = { ok: true; statements: PolicyStatement[] } | { ok: false; error: string };

/** Parses a policy given as a JSON string (the usual form) or as a PolicyDocument object. */
export function parsePolicyDocument(doc: unknown): ParsedPolicy {
  let value: unknown = doc;
  if (typeof doc === "string") {
    try {
      value = JSON.parse(doc);
    } catch (e) {
      return { ok: false, error: `is not valid JSON (${e instanceof Error ? e.message : String(e)})` };
    }
  }
  if (!isRecord(value)) {
    return { ok: false, error: "is not a policy document object" };
  }
  const st = value["Statement"];
  if (Array.isArray(st)) {
    return { ok: true, statements: st.filter(isRecord) as PolicyStatement[] };
  }
  if (isRecord(st)) {
    return { ok: true, statements: [st as PolicyStatement] };
  }
  return { ok: false, error: "has no Statement" };
}

/** True when a Principal means "anyone": "*" or {"AWS": "*"} (alone or in a list). */
export function principalIsEveryone(p: unknown): boolean {
  if (p === "*") {
    return true;
  }
  if (isRecord(p)) {
    return asStringList(p["AWS"]).indexOf("*") >= 0;
  }
  return false;
}

// ----- Stack helpers --------------------------------------------------------------------------

/** URNs of the resources a property of `r` depends on (as recorded by the engine). */
export function propertyDependencyUrns(r: PolicyResource, prop: string): Set<string> {
  const deps = r.propertyDependencies[prop] ?? [];
  return new Set(deps.map((d) => d.urn));
}

/** All resources `r` depends on, directly or transitively (dependencies and parents' dependencies). */
export function transitiveDependencyUrns(r: PolicyResource): Set<string> {
  const seen = new Set<string>();
  const stack: PolicyResource[] = [...r.dependencies];
  for (let p = r.parent; p !== undefined; p = p.parent) {
    stack.push(...p.dependencies);
  }
  while (stack.length > 0) {
    const d = stack.pop() as PolicyResource;
    if (seen.has(d.urn)) {
      continue;
    }
    seen.add(d.urn);
    stack.push(...d.dependencies);
  }
  return seen;
}

/** Stack name from a URN: urn:pulumi:<stack>::<project>::<type>::<name>. */
export function stackFromUrn(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m ? m[1] : undefined;
}

/**
 * The type token of a resource class (what the engine sends as the resource's type), read the way
 * @pulumi/policy does: from the class's static `__pulumiType`, which the SDK's type declarations omit.
 */
export function typeToken(resourceClass: object): string {
  const t = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof t !== "string" || t === "") {
    throw new Error("resource class has no __pulumiType");
  }
  return t;
}

/**
 * The known elements of a list (for example LF-tag values or admin ARNs, some of which may be computed
 * during preview). Iterating the runtime's proxied array with forEach/map/some reads every element and
 * throws at the first unknown one; this reads them one by one instead. A list that is itself unknown
 * (or not a list) gives no elements.
 */
export function knownElements(get: () => unknown): unknown[] {
  const list = read(get);
  if (!list.known || !Array.isArray(list.value)) {
    return [];
  }
  const arr: unknown[] = list.value;
  const out: unknown[] = [];
  for (let i = 0; i < arr.length; i++) {
    const item = read(() => arr[i]);
    if (item.known) {
      out.push(item.value);
    }
  }
  return out;
}

/** Renders a value that may be unknown during preview. */
export function showRead(get: () => unknown): string {
  const r = read(get);
  return r.known ? show(r.value) : "(computed)";
}
