// Runs CrossGuard policies through the @pulumi/policy 1.21 runtime's own Analyze and AnalyzeStack
// handlers (node_modules/@pulumi/policy/server.js, makeAnalyzeRpcFun / makeAnalyzeStackRpcFun), in
// process: a test's resources become the requests the engine would send (props as a
// google.protobuf.Struct, URNs, parents, options, providers), and the runtime's response is read
// back. So deserialization, secrets, unknown values during preview, typed fast paths, enforcement
// levels and notApplicable are the runtime's, not a copy of it.
//
// The one thing the engine sets through another RPC is the policy configuration (Configure) and the
// stack tags (ConfigureStack), which the runtime keeps in module state it does not export; the
// harness applies them by wrapping each policy (its enforcement level, getConfig and stackTags).

import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import type {
  EnforcementLevel,
  Policies,
  Policy,
  PolicyPackConfig,
  PolicyResourceOptions,
  ResourceValidation,
  ResourceValidationPolicy,
  StackValidation,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as rpc from "@pulumi/pulumi/runtime/rpc";

// ----- The runtime's internals (exported by its modules, absent from its type declarations) --------

type AnalyzeHandler<Req> = (call: { request: Req }, callback: (err: unknown, resp?: analyzerpb.AnalyzeResponse) => void) => Promise<void>;
interface ServerInternals {
  makeAnalyzeRpcFun(name: string, version: string, level: EnforcementLevel, policies: Policies): AnalyzeHandler<analyzerpb.AnalyzeRequest>;
  makeAnalyzeStackRpcFun(
    name: string,
    version: string,
    level: EnforcementLevel,
    policies: Policies,
  ): AnalyzeHandler<analyzerpb.AnalyzeStackRequest>;
}
interface PolicyInternals {
  isResourcePolicy(p: Policy): boolean;
  isStackPolicy(p: Policy): boolean;
  getPulumiType(obj: unknown): string | undefined;
}
interface ProxyInternals {
  unknownBooleanValue: string;
  unknownNumberValue: string;
  unknownStringValue: string;
  unknownArrayValue: string;
  unknownObjectValue: string;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const server = require("@pulumi/policy/server") as ServerInternals;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const policyInternals = require("@pulumi/policy/policy") as PolicyInternals;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxyInternals = require("@pulumi/policy/proxy") as ProxyInternals;

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

const PACK = { name: "governed-lake", version: "0.1.0" };
const DEFAULTS = { stack: "dev", project: "governed-lake", packEnforcementLevel: "advisory" as EnforcementLevel };

// ----- Configure and ConfigureStack, applied per policy ------------------------------------------------

function frozenTags(tags: Record<string, string>): ReadonlyMap<string, string> {
  return Object.freeze(new Map(Object.entries(tags)));
}

/** The policy as the runtime would run it after Configure/ConfigureStack with these options. */
function configured(p: Policy, options: RunOptions): Policy {
  const entry = options.config?.[p.name];
  if (entry === undefined && options.stackTags === undefined) {
    return p;
  }
  const level = typeof entry === "string" ? entry : entry?.enforcementLevel;
  const settings: Record<string, unknown> = typeof entry === "object" ? { ...entry } : {};
  delete settings["enforcementLevel"];
  const getConfig = <T extends object>(): T => settings as T;
  const stackTags = frozenTags(options.stackTags ?? {});
  // Keep a typed validation's __pulumiType, so the runtime's fast path still sees it.
  const keepType = <F extends object>(original: F, wrapper: F): F =>
    Object.assign(wrapper, { __pulumiType: policyInternals.getPulumiType(original) });
  const withLevel = { ...p, enforcementLevel: level ?? p.enforcementLevel };
  if (isResourcePolicy(p)) {
    const rp = p as ResourceValidationPolicy;
    const wrap = (v: ResourceValidation): ResourceValidation => keepType(v, (args, report) => v({ ...args, getConfig, stackTags }, report));
    const validateResource = Array.isArray(rp.validateResource)
      ? rp.validateResource.map(wrap)
      : rp.validateResource && wrap(rp.validateResource);
    return { ...withLevel, validateResource } as ResourceValidationPolicy;
  }
  const sp = p as StackValidationPolicy;
  const validateStack: StackValidation = keepType(sp.validateStack, (args, report) =>
    sp.validateStack({ ...args, getConfig, stackTags }, report),
  );
  return { ...withLevel, validateStack } as StackValidationPolicy;
}

/** Runs one of the runtime's handlers and reads its response in the harness's terms. */
function analyze<Req>(
  make: (name: string, version: string, level: EnforcementLevel, policies: Policies) => AnalyzeHandler<Req>,
  policies: Policy | Policies,
  request: Req,
  options: RunOptions,
): Promise<RunResult> {
  const list = (Array.isArray(policies) ? policies : [policies]) as Policy[];
  const descriptions = new Map(list.map((p) => [p.name, p.description]));
  const handler = make(
    PACK.name,
    PACK.version,
    options.packEnforcementLevel ?? DEFAULTS.packEnforcementLevel,
    list.map((p) => configured(p, options)),
  );
  return new Promise((resolve, reject) => {
    void handler({ request }, (err, resp) => {
      if (err || resp === undefined) {
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      const wire = fromAnalyzeResponse(resp);
      resolve({
        diagnostics: wire.diagnostics.map((d) => {
          const description = descriptions.get(d.policyName) ?? "";
          const unknownDuringPreview = d.message.startsWith(`can't run policy '${d.policyName}' from policy pack`);
          const violation =
            unknownDuringPreview || !d.message.startsWith(description) ? d.message : d.message.slice(description.length + 1);
          return { ...d, violation, unknownDuringPreview };
        }),
        notApplicable: wire.notApplicable,
      });
    });
  });
}

// ----- Requests as the engine sends them ---------------------------------------------------------------

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

// ----- The engine's wire format --------------------------------------------------------------------------

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

// ----- Running policies --------------------------------------------------------------------------------

/**
 * Runs resource policies against one resource (its inputs) through the runtime's Analyze handler.
 * Stack policies in the list are ignored, as the runtime does.
 */
export function validateResource(policies: Policy | Policies, spec: ResourceSpec, options: RunOptions = {}): Promise<RunResult> {
  return analyze(server.makeAnalyzeRpcFun, policies, toAnalyzeRequest(spec, options), options);
}

/**
 * Runs stack policies over a whole stack (resource outputs) through the runtime's AnalyzeStack handler.
 * Resource policies in the list are ignored, as the runtime does.
 */
export function validateStack(policies: Policy | Policies, specs: ResourceSpec[], options: RunOptions = {}): Promise<RunResult> {
  return analyze(server.makeAnalyzeStackRpcFun, policies, toAnalyzeStackRequest(specs, options), options);
}

/** Violations (not preview advisories) reported by one policy. */
export function violationsOf(result: RunResult, policyName: string): Diagnostic[] {
  return result.diagnostics.filter((d) => d.policyName === policyName && !d.unknownDuringPreview);
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
