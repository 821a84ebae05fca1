// A test harness that runs CrossGuard policies the way the @pulumi/policy 1.21 runtime does
// (node_modules/@pulumi/policy/server.js, makeAnalyzeRpcFun / makeAnalyzeStackRpcFun), without the
// engine or gRPC:
//
//  - props travel as the engine sends them: a google.protobuf.Struct, turned back into JavaScript by the
//    runtime's own deserializeProperties (secrets unwrapped, assets rebuilt) and wrapped in its
//    unknownCheckingProxy, so reading a value that is unknown during preview throws UnknownValueError;
//  - the type token is the resource class's static __pulumiType; isType/asType compare it the same way;
//  - the per-policy enforcement level is config > policy > pack (pack default "advisory"); "disabled"
//    skips the policy and "remediate" is reported as "mandatory";
//  - a single validateResource function whose __pulumiType differs from the resource's type is skipped as
//    not applicable without being called (the runtime's fast path); an array runs every function;
//  - each validation gets freshly deserialized props; validations may be async;
//  - notApplicable() records the policy as not applicable; an UnknownValueError becomes an advisory
//    "can't run policy ... during preview" diagnostic; any other error fails the run;
//  - reportViolation(message) records `${description}\n${message}` like the runtime, and the harness keeps
//    the bare message in `violation` for assertions;
//  - stack resources get parent, dependencies and propertyDependencies linked by URN, with unresolvable
//    URNs dropped.

import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyPackConfig,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

// ----- The runtime's internals (exported by its modules, absent from its type declarations) --------

interface PolicyInternals {
  isResourcePolicy(p: Policy): boolean;
  isStackPolicy(p: Policy): boolean;
  getPulumiType(obj: unknown): string | undefined;
}
interface ProxyInternals {
  unknownCheckingProxy<T>(toProxy: T): T;
  UnknownValueError: new (...args: never[]) => Error;
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
}
interface DeserializeInternals {
  deserializeProperties(outputsStruct: { toJavaScript(): unknown }, proxySecrets: boolean): Record<string, unknown>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const policyInternals = require("@pulumi/policy/policy") as PolicyInternals;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyInternals = require("@pulumi/policy/proxy") as ProxyInternals;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const deserializeInternals = require("@pulumi/policy/deserialize") as DeserializeInternals;

/** The runtime's own predicates for the two policy kinds. */
export function isResourcePolicy(p: Policy): boolean {
  return policyInternals.isResourcePolicy(p);
}
export function isStackPolicy(p: Policy): boolean {
  return policyInternals.isStackPolicy(p);
}

/**
 * Values the engine sends for properties that are not known during preview (computed from resources
 * not created yet). The engine marshals every computed value as the string sentinel; the typed ones
 * exist for completeness.
 */
export const UNKNOWN = {
  string: proxyInternals.unknownStringValue,
  number: proxyInternals.unknownNumberValue,
  boolean: proxyInternals.unknownBooleanValue,
  array: proxyInternals.unknownArrayValue,
  object: proxyInternals.unknownObjectValue,
} as const;

/** The engine's wire form of a secret; the runtime unwraps it before policies see it. */
export function secret(value: unknown): Record<string, unknown> {
  return { [rpc.specialSigKey]: rpc.specialSecretSig, value };
}

// ----- Inputs ------------------------------------------------------------------------------------------

/** A resource class (anything with a static __pulumiType) or a raw type token. */
export type TypeRef = string | (abstract new (...args: never[]) => unknown);

export function typeOf(ref: TypeRef): string {
  if (typeof ref === "string") {
    return ref;
  }
  const t = policyInternals.getPulumiType(ref);
  if (t === undefined) {
    throw new Error(`${ref.name} has no __pulumiType`);
  }
  return t;
}

export interface ProviderSpec {
  type?: string;
  name?: string;
  urn?: string;
  props: Record<string, unknown>;
}

export interface ResourceSpec {
  type: TypeRef;
  /** Resource inputs (resource policies) or outputs (stack policies), as plain JSON-like data. */
  props: Record<string, unknown>;
  name?: string;
  /** Full URN; by default built from stack, project, the parent's type chain, type and name. */
  urn?: string;
  /**
   * Parent: a URN, or the name of another spec in the same stack run. For a single resource run a bare
   * name becomes the URN of a generic "lake:index:Component" parent; pass a URN to be exact.
   */
  parent?: string;
  opts?: Partial<Omit<PolicyResourceOptions, "parent">>;
  provider?: ProviderSpec;
  /** Stack only: names or URNs of resources this one depends on. */
  dependencies?: string[];
  /** Stack only: per property, names or URNs of the resources the property's value comes from. */
  propertyDependencies?: Record<string, string[]>;
}

export interface RunOptions {
  stack?: string;
  project?: string;
  packName?: string;
  packVersion?: string;
  /** The PolicyPack's enforcementLevel (runtime default: "advisory"). */
  packEnforcementLevel?: EnforcementLevel;
  /** Per-policy configuration, as the engine's Configure RPC would set it. */
  config?: PolicyPackConfig;
  stackTags?: Record<string, string>;
}

export interface Diagnostic {
  policyName: string;
  /** What the runtime sends to the engine: the policy description, a newline, then the violation. */
  message: string;
  /** The message passed to reportViolation (or the unknown-value explanation). */
  violation: string;
  urn?: string;
  enforcementLevel: EnforcementLevel;
  /** True when the policy could not run because a value is unknown during preview. */
  unknownDuringPreview: boolean;
}

export interface NotApplicable {
  policyName: string;
  reason?: string;
}

export interface RunResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

// ----- Runtime mirrors -----------------------------------------------------------------------------------

const DEFAULTS: Required<Pick<RunOptions, "stack" | "project" | "packName" | "packVersion" | "packEnforcementLevel">> = {
  stack: "dev",
  project: "governed-lake",
  packName: "governed-lake",
  packVersion: "0.1.0",
  packEnforcementLevel: "advisory",
};

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason);
}

/** JSON-compatible copy without undefined (the engine never sends undefined; arrays get null). */
function wireSafe(v: unknown): unknown {
  if (v === undefined) {
    return undefined;
  }
  if (Array.isArray(v)) {
    return v.map((x) => {
      const y = wireSafe(x);
      return y === undefined ? null : y;
    });
  }
  if (typeof v === "object" && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      const y = wireSafe(x);
      if (y !== undefined) {
        out[k] = y;
      }
    }
    return out;
  }
  return v;
}

/** Props as the engine sends them over gRPC. */
export function toStruct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(wireSafe(props) as Record<string, never>);
}

/** Props as a policy sees them: deserialized by the runtime and wrapped in its unknown-checking proxy. */
function policyProps(props: Record<string, unknown>): Record<string, unknown> {
  return proxyInternals.unknownCheckingProxy(deserializeInternals.deserializeProperties(toStruct(props), false));
}

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const pulumiType = policyInternals.getPulumiType(resourceClass);
  if (pulumiType !== undefined) {
    return type === pulumiType;
  }
  const isInstance = (resourceClass as { isInstance?: unknown } | undefined)?.isInstance;
  return typeof isInstance === "function" && isInstance({ __pulumiType: type }) === true;
}

function enforcementLevelOf(p: Policy, options: RunOptions): EnforcementLevel {
  const configured = options.config?.[p.name];
  const fromConfig = typeof configured === "string" ? configured : configured?.enforcementLevel;
  return fromConfig || p.enforcementLevel || options.packEnforcementLevel || DEFAULTS.packEnforcementLevel;
}

function makeGetConfig(policyName: string, options: RunOptions): <T extends object>() => T {
  return <T extends object>(): T => {
    const c = options.config?.[policyName];
    if (c === undefined || typeof c === "string") {
      return {} as T;
    }
    const properties: Record<string, unknown> = { ...c };
    delete properties["enforcementLevel"];
    return properties as T;
  };
}

function freezeMap(entries: Record<string, string> | undefined): ReadonlyMap<string, string> {
  const map = new Map(Object.entries(entries ?? {}));
  return Object.freeze({
    entries: map.entries.bind(map),
    forEach: map.forEach.bind(map),
    get: map.get.bind(map),
    has: map.has.bind(map),
    keys: map.keys.bind(map),
    size: map.size,
    values: map.values.bind(map),
    [Symbol.iterator]: map[Symbol.iterator].bind(map),
  });
}

function makeReportViolation(p: Policy, enforcementLevel: EnforcementLevel, ds: Diagnostic[]): ReportViolation {
  return (message: string, urn?: string) => {
    if (typeof message === "object" && message !== null) {
      // The runtime also accepts a policy-info object in place of the message.
      const info = message as { name?: string; message?: string; description?: string; urn?: string; enforcementLevel?: EnforcementLevel };
      const text = info.message || info.description || p.description;
      ds.push({
        policyName: info.name || p.name,
        message: text,
        violation: text,
        urn: info.urn,
        enforcementLevel: info.enforcementLevel || enforcementLevel,
        unknownDuringPreview: false,
      });
      return;
    }
    ds.push({
      policyName: p.name,
      message: message ? `${p.description}\n${message}` : p.description,
      violation: message,
      urn,
      enforcementLevel,
      unknownDuringPreview: false,
    });
  };
}

function handleError(e: unknown, p: Policy, options: RunOptions, ds: Diagnostic[], na: NotApplicable[], what: string): void {
  const packName = options.packName ?? DEFAULTS.packName;
  const packVersion = options.packVersion ?? DEFAULTS.packVersion;
  const policyFrom = `policy '${p.name}' from policy pack '${packName}@v${packVersion}'`;
  if (e instanceof proxyInternals.UnknownValueError) {
    const message = `can't run ${policyFrom} during preview: ${e.message}`;
    ds.push({
      policyName: p.name,
      message,
      violation: message,
      enforcementLevel: "advisory",
      unknownDuringPreview: true,
    });
  } else if (e instanceof NotApplicableError) {
    na.push({ policyName: p.name, reason: e.reason });
  } else {
    const detail = e instanceof Error ? e.message : String(e);
    throw new Error(`Error validating ${what} with ${policyFrom}: ${detail}`, { cause: e });
  }
}

export function urnOf(type: string, name: string, options: RunOptions = {}, parentTypeChain?: string): string {
  const stack = options.stack ?? DEFAULTS.stack;
  const project = options.project ?? DEFAULTS.project;
  const qualified = parentTypeChain ? `${parentTypeChain}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** The type chain of a URN ("a$b$c" between the project and the name). */
function typeChainOf(urn: string): string | undefined {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2] : undefined;
}

function defaultOptions(spec: ResourceSpec, parentUrn: string | undefined): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...spec.opts,
  };
  if (parentUrn !== undefined) {
    opts.parent = parentUrn;
  }
  return opts;
}

function providerOf(spec: ResourceSpec, options: RunOptions): PolicyProviderResource | undefined {
  if (spec.provider === undefined) {
    return undefined;
  }
  const type = spec.provider.type ?? "pulumi:providers:aws";
  const name = spec.provider.name ?? "default_7_48_0";
  return {
    type,
    name,
    urn: spec.provider.urn ?? urnOf(type, name, options),
    props: policyProps(spec.provider.props),
  };
}

// ----- Resource policies ---------------------------------------------------------------------------------

/**
 * Runs resource policies against one resource (its inputs), like the runtime's Analyze RPC.
 * Stack policies in the list are ignored, as the runtime does.
 */
export async function validateResource(policies: Policy | Policies, spec: ResourceSpec, options: RunOptions = {}): Promise<RunResult> {
  const list = (Array.isArray(policies) ? policies : [policies]) as Policy[];
  const type = typeOf(spec.type);
  const name = spec.name ?? "test";
  const parentUrn =
    spec.parent === undefined
      ? undefined
      : spec.parent.startsWith("urn:")
        ? spec.parent
        : urnOf("lake:index:Component", spec.parent, options);
  const urn = spec.urn ?? urnOf(type, name, options, parentUrn === undefined ? undefined : typeChainOf(parentUrn));
  const ds: Diagnostic[] = [];
  const na: NotApplicable[] = [];

  for (const p of list) {
    let enforcementLevel = enforcementLevelOf(p, options);
    if (enforcementLevel === "disabled" || !policyInternals.isResourcePolicy(p)) {
      continue;
    }
    const rp = p as ResourceValidationPolicy;
    if (!rp.validateResource) {
      na.push({ policyName: p.name, reason: "Policy does not implement validateResource" });
      continue;
    }
    if (enforcementLevel === "remediate") {
      enforcementLevel = "mandatory";
    }
    if (!Array.isArray(rp.validateResource)) {
      const pulumiType = policyInternals.getPulumiType(rp.validateResource);
      if (pulumiType !== undefined && type !== pulumiType) {
        na.push({ policyName: p.name, reason: `Policy only applies to resources of type '${pulumiType}'` });
        continue;
      }
    }
    const report = makeReportViolation(p, enforcementLevel, ds);
    const validations: ResourceValidation[] = Array.isArray(rp.validateResource) ? rp.validateResource : [rp.validateResource];
    for (const validation of validations) {
      try {
        const props = policyProps(spec.props);
        const args: ResourceValidationArgs = {
          type,
          props,
          urn,
          name,
          opts: defaultOptions(spec, parentUrn),
          stackTags: freezeMap(options.stackTags),
          isType: (resourceClass) => isTypeOf(type, resourceClass),
          asType: (resourceClass) => (isTypeOf(type, resourceClass) ? (props as never) : undefined),
          getConfig: makeGetConfig(p.name, options),
          notApplicable: throwNotApplicable,
        };
        const provider = providerOf(spec, options);
        if (provider !== undefined) {
          args.provider = provider;
        }
        await Promise.resolve(validation(args, report));
      } catch (e) {
        handleError(e, p, options, ds, na, "resource");
      }
    }
  }
  return { diagnostics: ds, notApplicable: na };
}

// ----- Stack policies ------------------------------------------------------------------------------------

interface Intermediate {
  resource: PolicyResource;
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

/** Resolves each spec's URN (following parents given by name) so references can use names. */
function resolveUrns(specs: ResourceSpec[], options: RunOptions): string[] {
  const byName = new Map<string, number>();
  specs.forEach((s, i) => byName.set(s.name ?? `r${i}`, i));
  const urns: (string | undefined)[] = specs.map((s) => s.urn);
  const resolving = new Set<number>();
  const resolve = (i: number): string => {
    const known = urns[i];
    if (known !== undefined) {
      return known;
    }
    if (resolving.has(i)) {
      throw new Error(`parent cycle at ${specs[i].name}`);
    }
    resolving.add(i);
    const s = specs[i];
    const type = typeOf(s.type);
    const name = s.name ?? `r${i}`;
    let chain: string | undefined;
    if (s.parent !== undefined) {
      const parentUrn = s.parent.startsWith("urn:") ? s.parent : resolve(lookup(s.parent));
      chain = typeChainOf(parentUrn);
    }
    const urn = urnOf(type, name, options, chain);
    urns[i] = urn;
    return urn;
  };
  const lookup = (ref: string): number => {
    const i = byName.get(ref);
    if (i === undefined) {
      throw new Error(`unknown resource reference "${ref}"`);
    }
    return i;
  };
  return specs.map((_s, i) => resolve(i));
}

/**
 * Runs stack policies over a whole stack (resource outputs), like the runtime's AnalyzeStack RPC.
 * Resource policies in the list are ignored, as the runtime does.
 */
export async function validateStack(policies: Policy | Policies, specs: ResourceSpec[], options: RunOptions = {}): Promise<RunResult> {
  const list = (Array.isArray(policies) ? policies : [policies]) as Policy[];
  const urns = resolveUrns(specs, options);
  const byName = new Map<string, string>();
  specs.forEach((s, i) => byName.set(s.name ?? `r${i}`, urns[i]));
  const ref = (r: string) => (r.startsWith("urn:") ? r : (byName.get(r) ?? r));
  const types = specs.map((s) => typeOf(s.type));
  const ds: Diagnostic[] = [];
  const na: NotApplicable[] = [];

  for (const p of list) {
    let enforcementLevel = enforcementLevelOf(p, options);
    if (enforcementLevel === "disabled" || !policyInternals.isStackPolicy(p)) {
      continue;
    }
    if (enforcementLevel === "remediate") {
      enforcementLevel = "mandatory";
    }
    const sp = p as StackValidationPolicy;
    const pulumiType = policyInternals.getPulumiType(sp.validateStack);
    if (pulumiType !== undefined && !types.some((t) => t === pulumiType)) {
      na.push({ policyName: p.name, reason: `Policy only applies to resources of type '${pulumiType}'` });
      continue;
    }
    const report = makeReportViolation(p, enforcementLevel, ds);
    try {
      const intermediates: Intermediate[] = specs.map((s, i) => {
        const type = types[i];
        const props = policyProps(s.props);
        const parent = s.parent === undefined ? undefined : ref(s.parent);
        const resource: PolicyResource = {
          type,
          props,
          urn: urns[i],
          name: s.name ?? `r${i}`,
          opts: defaultOptions(s, parent),
          dependencies: [],
          propertyDependencies: {},
          isType: (resourceClass) => isTypeOf(type, resourceClass),
          asType: (resourceClass) => (isTypeOf(type, resourceClass) ? (props as never) : undefined),
        };
        const provider = providerOf(s, options);
        if (provider !== undefined) {
          resource.provider = provider;
        }
        const propertyDependencies: Record<string, string[]> = {};
        for (const [k, v] of Object.entries(s.propertyDependencies ?? {})) {
          propertyDependencies[k] = v.map(ref);
        }
        return { resource, parent, dependencies: (s.dependencies ?? []).map(ref), propertyDependencies };
      });
      const urnsToResources = new Map<string, PolicyResource>();
      for (const i of intermediates) {
        urnsToResources.set(i.resource.urn, i.resource);
      }
      const known = (u: string): PolicyResource[] => {
        const r = urnsToResources.get(u);
        return r === undefined ? [] : [r];
      };
      for (const i of intermediates) {
        if (i.parent !== undefined) {
          const parent = urnsToResources.get(i.parent);
          if (parent !== undefined) {
            i.resource.parent = parent;
          }
        }
        i.resource.dependencies = i.dependencies.flatMap(known);
        for (const [k, v] of Object.entries(i.propertyDependencies)) {
          i.resource.propertyDependencies[k] = v.flatMap(known);
        }
      }
      const args: StackValidationArgs = {
        resources: intermediates.map((i) => i.resource),
        getConfig: makeGetConfig(p.name, options),
        stackTags: freezeMap(options.stackTags),
        notApplicable: throwNotApplicable,
      };
      await Promise.resolve(sp.validateStack(args, report));
    } catch (e) {
      handleError(e, p, options, ds, na, "stack");
    }
  }
  return { diagnostics: ds, notApplicable: na };
}

// ----- Assertions helpers ---------------------------------------------------------------------------------

/** Violations (not preview advisories) reported by one policy. */
export function violationsOf(result: RunResult, policyName: string): Diagnostic[] {
  return result.diagnostics.filter((d) => d.policyName === policyName && !d.unknownDuringPreview);
}

export function findPolicy(policies: Policies, name: string): Policy {
  const p = policies.find((x) => x.name === name);
  if (p === undefined) {
    throw new Error(`no policy named ${name}`);
  }
  return p;
}

/** The bare violation messages one resource policy reports for one resource. */
export async function resourceViolations(policy: Policy, spec: ResourceSpec, options: RunOptions = {}): Promise<string[]> {
  const result = await validateResource(policy, spec, options);
  return violationsOf(result, policy.name).map((d) => d.violation);
}

/** The bare violation messages one stack policy reports for a stack. */
export async function stackViolations(policy: Policy, specs: ResourceSpec[], options: RunOptions = {}): Promise<string[]> {
  const result = await validateStack(policy, specs, options);
  return violationsOf(result, policy.name).map((d) => d.violation);
}

// ----- The engine's wire format (for running the real runtime or the real pack process) ------------------

function toOptionsProto(opts: PolicyResourceOptions): analyzerpb.AnalyzerResourceOptions {
  const o = new analyzerpb.AnalyzerResourceOptions();
  o.setProtect(opts.protect);
  o.setIgnorechangesList(opts.ignoreChanges);
  o.setAliasesList(opts.aliases);
  o.setAdditionalsecretoutputsList(opts.additionalSecretOutputs);
  if (opts.deleteBeforeReplace !== undefined) {
    o.setDeletebeforereplace(opts.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(true);
  }
  if (opts.parent !== undefined) {
    o.setParent(opts.parent);
  }
  return o;
}

function toProviderProto(spec: ResourceSpec, options: RunOptions): analyzerpb.AnalyzerProviderResource | undefined {
  if (spec.provider === undefined) {
    return undefined;
  }
  const type = spec.provider.type ?? "pulumi:providers:aws";
  const name = spec.provider.name ?? "default_7_48_0";
  const p = new analyzerpb.AnalyzerProviderResource();
  p.setType(type);
  p.setName(name);
  p.setUrn(spec.provider.urn ?? urnOf(type, name, options));
  p.setProperties(toStruct(spec.provider.props));
  return p;
}

/** The AnalyzeRequest the engine would send for one resource. */
export function toAnalyzeRequest(spec: ResourceSpec, options: RunOptions = {}): analyzerpb.AnalyzeRequest {
  const type = typeOf(spec.type);
  const name = spec.name ?? "test";
  const parentUrn =
    spec.parent === undefined
      ? undefined
      : spec.parent.startsWith("urn:")
        ? spec.parent
        : urnOf("lake:index:Component", spec.parent, options);
  const req = new analyzerpb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(spec.urn ?? urnOf(type, name, options, parentUrn === undefined ? undefined : typeChainOf(parentUrn)));
  req.setProperties(toStruct(spec.props));
  req.setOptions(toOptionsProto(defaultOptions(spec, parentUrn)));
  const provider = toProviderProto(spec, options);
  if (provider !== undefined) {
    req.setProvider(provider);
  }
  return req;
}

/** The AnalyzeStackRequest the engine would send for a stack. */
export function toAnalyzeStackRequest(specs: ResourceSpec[], options: RunOptions = {}): analyzerpb.AnalyzeStackRequest {
  const urns = resolveUrns(specs, options);
  const byName = new Map<string, string>();
  specs.forEach((s, i) => byName.set(s.name ?? `r${i}`, urns[i]));
  const ref = (r: string) => (r.startsWith("urn:") ? r : (byName.get(r) ?? r));
  const req = new analyzerpb.AnalyzeStackRequest();
  req.setResourcesList(
    specs.map((s, i) => {
      const r = new analyzerpb.AnalyzerResource();
      const parent = s.parent === undefined ? undefined : ref(s.parent);
      r.setType(typeOf(s.type));
      r.setName(s.name ?? `r${i}`);
      r.setUrn(urns[i]);
      r.setProperties(toStruct(s.props));
      r.setOptions(toOptionsProto(defaultOptions(s, parent)));
      if (parent !== undefined) {
        r.setParent(parent);
      }
      r.setDependenciesList((s.dependencies ?? []).map(ref));
      for (const [k, v] of Object.entries(s.propertyDependencies ?? {})) {
        const deps = new analyzerpb.AnalyzerPropertyDependencies();
        deps.setUrnsList(v.map(ref));
        r.getPropertydependenciesMap().set(k, deps);
      }
      const provider = toProviderProto(s, options);
      if (provider !== undefined) {
        r.setProvider(provider);
      }
      return r;
    }),
  );
  return req;
}

const LEVELS: Record<number, EnforcementLevel> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerpb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerpb.EnforcementLevel.REMEDIATE]: "remediate",
};

/** A diagnostic as the engine receives it, for comparing the harness with the real runtime. */
export interface WireDiagnostic {
  policyName: string;
  message: string;
  urn?: string;
  enforcementLevel: EnforcementLevel;
}

export function fromAnalyzeResponse(resp: analyzerpb.AnalyzeResponse): { diagnostics: WireDiagnostic[]; notApplicable: NotApplicable[] } {
  return {
    diagnostics: resp.getDiagnosticsList().map((d) => {
      const out: WireDiagnostic = {
        policyName: d.getPolicyname(),
        message: d.getMessage(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
      };
      if (d.getUrn() !== "") {
        out.urn = d.getUrn();
      }
      return out;
    }),
    notApplicable: resp.getNotApplicableList().map((n) => {
      const out: NotApplicable = { policyName: n.getPolicyName() };
      if (n.getReason() !== "") {
        out.reason = n.getReason();
      }
      return out;
    }),
  };
}

/** The harness's result in the same shape as fromAnalyzeResponse. */
export function toWire(result: RunResult): { diagnostics: WireDiagnostic[]; notApplicable: NotApplicable[] } {
  return {
    diagnostics: result.diagnostics.map((d) => {
      const out: WireDiagnostic = { policyName: d.policyName, message: d.message, enforcementLevel: d.enforcementLevel };
      if (d.urn !== undefined && d.urn !== "") {
        out.urn = d.urn;
      }
      return out;
    }),
    notApplicable: result.notApplicable.map((n) => (n.reason === undefined ? { policyName: n.policyName } : { ...n })),
  };
}
