/**
 * One component alone under Pulumi mocks (pulumi.runtime.setMocks, through stacks/offline.ts):
 * every resource it registers with its exact inputs and parent, and the outputs the component
 * registered (registerOutputs), read from the request the mock monitor receives.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { PACKAGE_ROOT } from "../../components/packageFiles";
import { loadTablesYaml } from "../../model";
import { ACCOUNT_ID, REGION, runWithMocks, type RecordedResource } from "../../stacks/offline";

export { ACCOUNT_ID, REGION };
export { ofType, parseJson, valueOf, type RecordedResource } from "../../stacks/offline";

/** Pretend existing resources, by reference: what an estate without the sibling components passes. */
export const EXISTING = {
  keyArn: `arn:aws:kms:${REGION}:${ACCOUNT_ID}:key/11111111-2222-3333-4444-555555555555`,
  buckets: {
    raw: { name: "estate-raw", arn: "arn:aws:s3:::estate-raw" },
    warehouse: { name: "estate-warehouse", arn: "arn:aws:s3:::estate-warehouse" },
    scripts: { name: "estate-scripts", arn: "arn:aws:s3:::estate-scripts" },
    athena: { name: "estate-athena", arn: "arn:aws:s3:::estate-athena" },
  },
  tagKeys: { domainKey: "estate_domain", piiKey: "estate_pii" },
  role: (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`,
  stateTableArn: `arn:aws:dynamodb:${REGION}:${ACCOUNT_ID}:table/estate-state`,
  secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:estate-source-AbCdEf`,
  topicArn: `arn:aws:sns:${REGION}:${ACCOUNT_ID}:estate-alerts`,
  queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:estate-dead-letters`,
  functionArn: `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:function:estate-coordinator`,
  scheduleGroup: { name: "estate-schedules", arn: `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:schedule-group/estate-schedules` },
} as const;

export const TAGS = { lake: "estate", environment: "test", "managed-by": "pulumi" } as const;

export interface ComponentRun<T> {
  /** What `build` returned (the component). */
  readonly result: T;
  /** Every registered resource, the component included. */
  readonly resources: RecordedResource[];
  /** The component's own record. */
  readonly component: RecordedResource;
  /** The AWS resources under it. */
  readonly children: RecordedResource[];
  /** What the component passed to registerOutputs. */
  readonly outputs: Record<string, unknown>;
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
}

/**
 * Runs `build` (which constructs exactly one component, of type `componentType`) under mocks and
 * checks the structure every component promises: every AWS resource (but the test's own
 * `external` ones) is parented, through its parents, to the component, and is named from it.
 */
export async function runComponent<T>(
  componentType: string,
  build: () => T,
  /** Names of resources the test creates outside the component (e.g. something it must wait for). */
  external: readonly string[] = [],
): Promise<ComponentRun<T>> {
  const outputsByUrn = new Map<string, Promise<Record<string, unknown>>>();
  const run = await runWithMocks({}, () => {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResourceOutputs(req: OutputsRequest, callback: unknown): void;
    };
    const original = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, callback) => {
      outputsByUrn.set(req.getUrn(), Promise.resolve(pulumi.runtime.deserializeProperties(req.getOutputs()) as Record<string, unknown>));
      original(req, callback);
    };
    return build();
  });
  const components = run.resources.filter((r) => r.type === componentType);
  assert.equal(components.length, 1, `exactly one ${componentType} was built`);
  const component = components[0];
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const children = run.resources.filter((r) => r.type.startsWith("aws:") && !external.includes(r.name));
  for (const child of children) {
    let parent = child.parentUrn ? byUrn.get(child.parentUrn) : undefined;
    while (parent && parent !== component) parent = parent.parentUrn ? byUrn.get(parent.parentUrn) : undefined;
    assert.equal(parent, component, `${child.type} ${child.name} is parented (through its parents) to the ${componentType}`);
    assert.ok(child.name.startsWith(component.name), `${child.type} ${child.name} is named from ${component.name}`);
  }
  const outputs = await (outputsByUrn.get(component.urn ?? "") ?? Promise.resolve(undefined));
  assert.ok(outputs, `${componentType} called registerOutputs`);
  return { result: run.result, resources: run.resources, component, children, outputs };
}

/** The one child of a type (fails when there are none or several). */
export function only(run: { readonly children: readonly RecordedResource[] }, type: string): RecordedResource {
  const found = run.children.filter((r) => r.type === type);
  assert.equal(found.length, 1, `exactly one ${type} (found ${found.map((r) => r.name).join(", ") || "none"})`);
  return found[0];
}

/** Children of a type, by their resource name. */
export function byName(run: { readonly children: readonly RecordedResource[] }, type: string): Map<string, RecordedResource> {
  return new Map(run.children.filter((r) => r.type === type).map((r) => [r.name, r]));
}

/** The child count per type, for an exact inventory. */
export function inventory(run: { readonly children: readonly RecordedResource[] }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of run.children) counts[r.type] = (counts[r.type] ?? 0) + 1;
  return counts;
}

/** The example lake's tables.yaml: one domain (shop), one tier (nightly), one access rule (shop_analyst). */
export const SMALL_MODEL = loadTablesYaml(join(PACKAGE_ROOT, "examples/small-lake/tables.yaml"), { knownRoles: ["shop_analyst"] });
