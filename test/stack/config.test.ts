/** Bad stack config and mismatches with tables.yaml fail before any resource, with the key named. */
import assert from "node:assert/strict";
import { TablesYamlError } from "../../model";
import { StackConfigError } from "../../stacks/config";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig, withConfig } from "../fixtures/stackConfig";
import { runWithMocks } from "./harness";

const dev = stackFileConfig("dev");

async function failure(config: Record<string, unknown>): Promise<Error> {
  try {
    const run = await runWithMocks(config, () => runLakeProgram());
    assert.fail(`expected the program to fail, it declared ${run.resources.length} resources`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return error as Error;
  }
}

describe("stack config", function () {
  this.timeout(60_000);

  it("synthesizes both stack files as committed", async () => {
    for (const stack of ["dev", "prod"] as const) {
      const { resources } = await runWithMocks(stackFileConfig(stack), () => runLakeProgram(), stack);
      assert.ok(resources.length > 100, stack);
    }
  });

  it("lists every missing or malformed setting at once, by key", async () => {
    const config = { ...dev };
    delete config["lake:businessTimeZone"];
    config["lake:network"] = { subnetId: "subnet-1", availabilityZone: "eu-central-1a", securityGroupIds: [] };
    config["lake:source"] = { engine: "db2", host: "h", database: "erp", secretId: "s" };
    const error = await failure(config);
    assert.ok(error instanceof StackConfigError, String(error));
    assert.deepEqual(error.problems, [
      "lake:businessTimeZone is required",
      'lake:source.engine must be one of mariadb, mysql, postgresql, sqlserver, oracle (got "db2")',
      "lake:network.securityGroupIds must list at least one security group",
    ]);
  });

  it("refuses credentials in config: they belong in Secrets Manager", async () => {
    const error = await failure(withConfig(dev, { "lake:source": { ...(dev["lake:source"] as object), password: "hunter2" } }));
    assert.ok(error instanceof StackConfigError);
    assert.match(error.message, /lake:source.password must not be in config/);
    assert.ok(!error.message.includes("hunter2"), "the secret value is never echoed");
  });

  it("refuses a grant to a Lake Formation admin", async () => {
    const admin = (dev["lake:lakeFormation"] as { admins: string[] }).admins[0];
    const error = await failure(
      withConfig(dev, { "lake:rolePrincipals": { ...(dev["lake:rolePrincipals"] as object), data_engineer: admin } }),
    );
    assert.match(error.message, /lake:rolePrincipals.data_engineer: .* is a Lake Formation admin/);
  });

  it("reports an access rule whose role has no principal, at its line in tables.yaml", async () => {
    const principals = { ...(dev["lake:rolePrincipals"] as Record<string, string>) };
    delete principals.hr_partner;
    const error = await failure(withConfig(dev, { "lake:rolePrincipals": principals }));
    assert.ok(error instanceof TablesYamlError, String(error));
    assert.equal(error.issues.length, 1);
    assert.equal(error.issues[0].field, "access.hr_partner");
    assert.match(error.issues[0].message, /no principal in the stack config/);
  });

  it("refuses job settings for a tier tables.yaml does not declare", async () => {
    const glue = dev["lake:glue"] as { tiers: Record<string, unknown> };
    const error = await failure(withConfig(dev, { "lake:glue": { ...glue, tiers: { ...glue.tiers, hourly: { numberOfWorkers: 2 } } } }));
    assert.match(error.message, /lake:glue.tiers names tiers that .* does not declare: hourly/);
  });

  it("refuses a lease shorter than the longest job timeout", async () => {
    const glue = dev["lake:glue"] as { tiers: Record<string, Record<string, unknown>> };
    const error = await failure(withConfig(dev, { "lake:leaseMarginMinutes": -150, "lake:glue": glue }));
    assert.match(error.message, /leaseSeconds .* must be longer than the longest job timeout/);
  });
});
