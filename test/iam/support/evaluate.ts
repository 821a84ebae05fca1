/**
 * Evaluates recorded requests with a real IAM policy evaluator (@cloud-copilot/iam-simulate):
 * the role's identity policies as the program synthesizes them, plus the resource policy AWS
 * consults for the resource (the bucket's policy for S3, the key policy for KMS).
 *
 * Calls AWS makes on the caller's behalf are evaluated too: an object written to or read from a
 * bucket encrypted with the lake's key needs kms:GenerateDataKey / kms:Decrypt on that key (via
 * S3), and publishing to a topic encrypted with it needs both via SNS ("Using server-side
 * encryption with AWS KMS keys (SSE-KMS)", S3 User Guide; "Encryption at rest", SNS Developer Guide).
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { RecordedRequest } from "./recorder";
import { mapRequest, type AuthorizationCheck } from "./requestActions";
import type { PolicyDocument, SynthesizedLake, SynthesizedRole } from "./synthesized";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "Error";

export interface EvaluatedCheck extends AuthorizationCheck {
  readonly call: string;
  readonly decision: Decision;
  /** Validation errors of the simulator, when decision is Error. */
  readonly detail?: string;
  /** True for a check AWS makes on the caller's behalf (KMS behind S3/SNS). */
  readonly implied: boolean;
}

export interface RoleEvaluation {
  readonly actor: string;
  readonly role: SynthesizedRole;
  /** Recorded requests evaluated. */
  readonly requests: number;
  readonly checks: readonly EvaluatedCheck[];
}

function impliedKmsChecks(lake: SynthesizedLake, c: AuthorizationCheck): AuthorizationCheck[] {
  const via = (service: string): Record<string, string> => ({
    "aws:SecureTransport": "true",
    "kms:ViaService": `${service}.${lake.region}.amazonaws.com`,
    "kms:CallerAccount": lake.accountId,
  });
  const key = lake.kmsKey.arn;
  if (c.action === "s3:PutObject" || c.action === "s3:GetObject") {
    const bucket = c.resource.replace(/^arn:aws:s3:::/, "").split("/")[0] ?? "";
    if (!lake.kmsEncryptedBuckets.includes(bucket)) return [];
    const action = c.action === "s3:PutObject" ? "kms:GenerateDataKey" : "kms:Decrypt";
    return [{ action, resource: key, context: via("s3") }];
  }
  if (c.action === "sns:Publish" && lake.kmsEncryptedTopics.includes(c.resource)) {
    return ["kms:GenerateDataKey", "kms:Decrypt"].map((action) => ({ action, resource: key, context: via("sns") }));
  }
  return [];
}

function resourcePolicyFor(lake: SynthesizedLake, resource: string): PolicyDocument | undefined {
  if (resource.startsWith("arn:aws:s3:::")) return lake.bucketPolicies.get(resource.slice("arn:aws:s3:::".length).split("/")[0] ?? "");
  if (resource === lake.kmsKey.arn) return lake.kmsKey.policy;
  return undefined;
}

export async function decide(
  lake: SynthesizedLake,
  role: SynthesizedRole,
  c: AuthorizationCheck,
): Promise<{ decision: Decision; detail?: string }> {
  const resourcePolicy = resourcePolicyFor(lake, c.resource);
  const simulation: Simulation = {
    request: {
      principal: role.arn,
      action: c.action,
      resource: { resource: c.resource, accountId: lake.accountId },
      contextVariables: { "aws:PrincipalArn": role.arn, "aws:PrincipalAccount": lake.accountId, ...c.context },
    },
    identityPolicies: role.policies.map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === "error") return { decision: "Error", detail: JSON.stringify(result.errors) };
  return { decision: result.overallResult as Decision };
}

/** Maps and evaluates every recorded request of one actor against its role. */
export async function evaluateRequests(
  lake: SynthesizedLake,
  actor: string,
  role: SynthesizedRole,
  requests: readonly RecordedRequest[],
  extraCalls: readonly { call: string; checks: readonly AuthorizationCheck[] }[] = [],
): Promise<RoleEvaluation> {
  const scope = { accountId: lake.accountId, region: lake.region };
  const mapped = [...requests.map((r) => mapRequest(r, scope)), ...extraCalls];
  const checks: EvaluatedCheck[] = [];
  for (const m of mapped) {
    for (const c of m.checks) {
      checks.push({ ...c, call: m.call, implied: false, ...(await decide(lake, role, c)) });
      for (const k of impliedKmsChecks(lake, c))
        checks.push({ ...k, call: `${m.call} (KMS via ${c.action.split(":")[0]})`, implied: true, ...(await decide(lake, role, k)) });
    }
  }
  return { actor, role, requests: mapped.length, checks };
}

function actionPattern(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`, "i");
}

/** Actions the role's identity policies allow (as written, wildcards kept) that no evaluated check used. */
export function unusedAllowedActions(evaluation: RoleEvaluation): string[] {
  const used = new Set(evaluation.checks.map((c) => c.action));
  const allowed = new Set<string>();
  for (const p of evaluation.role.policies) {
    for (const st of p.policy.Statement) {
      if (st["Effect"] !== "Allow") continue;
      const actions = st["Action"];
      for (const a of Array.isArray(actions) ? actions : [actions]) if (typeof a === "string") allowed.add(a);
    }
  }
  return [...allowed].filter((a) => ![...used].some((u) => actionPattern(a).test(u))).sort();
}

export function countDecisions(evaluation: RoleEvaluation): { allowed: number; denied: number } {
  const allowed = evaluation.checks.filter((c) => c.decision === "Allowed").length;
  return { allowed, denied: evaluation.checks.length - allowed };
}
