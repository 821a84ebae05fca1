/**
 * The real program, synthesized offline for both stacks, passes every policy of the pack:
 * each resource through its resource policies and the whole stack through the stack policies.
 */
import assert from "node:assert/strict";
import { lakePolicies } from "../../policies/pack";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig } from "../fixtures/stackConfig";
import { validateResource, validateStack, type ResourceSpec } from "../policies/harness";
import { runWithMocks, type RecordedResource } from "./harness";

function specOf(r: RecordedResource): ResourceSpec {
  return { type: r.type, name: r.name, urn: r.urn, parent: r.parentUrn, props: r.inputs, dependencies: r.dependencies };
}

describe("the lake program against the policy pack", function () {
  this.timeout(120_000);

  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: no resource or stack policy is violated`, async () => {
      const { resources } = await runWithMocks(stackFileConfig(stack), () => runLakeProgram(), stack);
      const awsResources = resources.filter((r) => r.type.startsWith("aws:"));
      const violations: string[] = [];
      for (const r of awsResources) {
        const result = await validateResource(lakePolicies, specOf(r), { stack });
        violations.push(...result.diagnostics.map((d) => `${d.policyName} on ${r.type} ${r.name}: ${d.violation}`));
      }
      const stackResult = await validateStack(lakePolicies, awsResources.map(specOf), { stack });
      violations.push(...stackResult.diagnostics.map((d) => `${d.policyName}: ${d.violation}`));
      assert.deepEqual(violations, []);
    });
  }

  it("dev: the pack tells the program's analyst grants from its service roles' (one analyst grant widened to ALL fails)", async () => {
    const { resources } = await runWithMocks(stackFileConfig("dev"), () => runLakeProgram(), "dev");
    const specs = resources.filter((r) => r.type.startsWith("aws:")).map(specOf);
    const analystTables = specs.find((r) => r.name === "acme-dev-grant-sales_ops-tables");
    assert.ok(analystTables, "the sales_ops rule's table grant");
    analystTables.props = { ...analystTables.props, permissions: ["ALL"] };
    const result = await validateStack(lakePolicies, specs, { stack: "dev" });
    assert.deepEqual(
      result.diagnostics.filter((d) => d.policyName === "lakeformation-analyst-select-describe-only").map((d) => d.violation),
      [
        'aws:lakeformation:Permissions "acme-dev-grant-sales_ops-tables" (principal "arn:aws:iam::111111111111:role/sales-ops"): an analyst principal is granted ["ALL"]; analysts get SELECT and DESCRIBE only.',
      ],
    );
  });
});
