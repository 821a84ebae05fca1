/**
 * Runs the Pulumi program offline under pulumi.runtime.setMocks (the documented unit-test mode) and
 * records every resource with its exact inputs, so tests assert what would be sent to AWS.
 */
import * as pulumi from "@pulumi/pulumi";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** Top-level inputs the SDK sent as secrets (unwrapped in `inputs`). */
  readonly secretInputs: string[];
  /** URN as the mock monitor built it. */
  urn?: string;
  /** URN of the parent resource (the stack or a component). */
  parentUrn?: string;
  /** URNs this resource depends on (dependsOn, with components expanded, and input dependencies). */
  dependencies: string[];
}

/** What the SDK sends with a registration beyond its inputs (parent, dependencies). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
}

export const ACCOUNT_ID = "123456789012";
export const REGION = "eu-central-1";
export const DATA_LAKE_SETTINGS_CALL = "aws:lakeformation/getDataLakeSettings:getDataLakeSettings";

/** Physical names and ARNs the mocked provider hands back, shaped like AWS's. */
function mockState(args: pulumi.runtime.MockResourceArgs): Record<string, unknown> {
  const service = args.type.split(":")[1]?.split("/")[0] ?? "mock";
  const physical = (args.inputs.name as string | undefined) ?? `${args.name}-x1`;
  const state: Record<string, unknown> = {
    ...args.inputs,
    name: physical,
    arn: `arn:aws:${service}:${REGION}:${ACCOUNT_ID}:${physical}`,
  };
  if (args.type === "aws:s3/bucket:Bucket") {
    state.bucket = `${args.name}-bucket-x1`;
    state.arn = `arn:aws:s3:::${state.bucket as string}`;
  }
  if (args.type === "aws:iam/role:Role") state.arn = `arn:aws:iam::${ACCOUNT_ID}:role/${physical}`;
  return state;
}

/** The SDK's wire signature of a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270"
  );
}

function isAssetOrArchive(value: unknown): boolean {
  return pulumi.asset.Asset.isInstance(value) || pulumi.asset.Archive.isInstance(value);
}

function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets((value as Record<string, unknown>).value);
  // Assets and archives stay the SDK's objects: their paths are promises a copy would lose.
  if (isAssetOrArchive(value)) return value;
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export interface StackRun<T> {
  readonly resources: RecordedResource[];
  readonly result: T;
}

/**
 * Sets config (as `pulumi config set` would), runs `program` under mocks, and waits until every
 * registration has been answered.
 */
export async function runWithMocks<T>(
  config: Record<string, unknown>,
  program: () => T,
  stack = "dev",
  callResults: Readonly<Record<string, Record<string, unknown>>> = {},
  /** Adjusts a mocked resource's state (e.g. ARNs shaped exactly like AWS's for a policy evaluator). */
  adjustState: (args: pulumi.runtime.MockResourceArgs, state: Record<string, unknown>) => Record<string, unknown> = (_args, state) => state,
): Promise<StackRun<T>> {
  const resources: RecordedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        const secretInputs = Object.keys(inputs).filter((k) => isSecret(inputs[k]));
        resources.push({
          type: args.type,
          name: args.name,
          inputs: unwrapSecrets(inputs) as Record<string, unknown>,
          secretInputs,
          dependencies: [],
        });
        return { id: `${args.name}-id`, state: adjustState(args, mockState(args)) };
      },
      call(args) {
        if (args.token in callResults) return callResults[args.token];
        switch (args.token) {
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT_ID, arn: `arn:aws:iam::${ACCOUNT_ID}:user/test`, userId: "test", id: ACCOUNT_ID };
          case "aws:index/getRegion:getRegion":
            return { region: REGION, name: REGION, id: REGION };
          // An account whose defaults grant IAMAllowedPrincipals nothing (tests override it).
          case DATA_LAKE_SETTINGS_CALL:
            return { admins: [], createDatabaseDefaultPermissions: [], createTableDefaultPermissions: [], id: ACCOUNT_ID };
          default:
            throw new Error(`unmocked call ${args.token}`);
        }
      },
    },
    "governed-lake",
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
  );
  // The mocks see inputs only; parent and dependencies travel in the request the mock monitor
  // receives, so record them there (the engine would see the same request).
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    resources?: Map<string, unknown>;
    registerResource(req: RegisterRequest, callback: unknown): Promise<void>;
  };
  const requests = new Map<string, RegisterRequest>();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    requests.set(`${req.getType()}::${req.getName()}`, req);
    return register(req, callback);
  };
  const result = program();
  await pulumi.runtime.disconnect();
  const urns = [...(monitor.resources?.keys() ?? [])];
  for (const r of resources) {
    r.urn = urns.find((u) => u.endsWith(`::${r.type}::${r.name}`) || u.endsWith(`$${r.type}::${r.name}`));
    const req = requests.get(`${r.type}::${r.name}`);
    r.parentUrn = req?.getParent() || undefined;
    r.dependencies = req?.getDependenciesList() ?? [];
  }
  return { resources, result };
}

/** Resolves an output inside a test (mock mode resolves every output). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export function ofType(resources: readonly RecordedResource[], type: string): RecordedResource[] {
  return resources.filter((r) => r.type === type);
}

export function parseJson<T = unknown>(value: unknown): T {
  if (typeof value !== "string") throw new Error(`expected a JSON string, got ${typeof value}`);
  return JSON.parse(value) as T;
}
