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
      'lake:source.engine must be one of mariadb, mysql, postgresql (got "db2")',
      "lake:network.securityGroupIds must list at least one security group",
    ]);
  });

  it("refuses a source engine the ingest job cannot load, naming lake:source.engine", async () => {
    for (const engine of ["sqlserver", "oracle"]) {
      const error = await failure(withConfig(dev, { "lake:source": { ...(dev["lake:source"] as object), engine, schema: "ERP" } }));
      assert.ok(error instanceof StackConfigError, String(error));
      assert.deepEqual(
        error.problems.filter((p) => p.startsWith("lake:source.engine")),
        [
          `lake:source.engine "${engine}" cannot be loaded yet: the ingest job reads mariadb, mysql, postgresql (no ${engine} dialect in handlers/ingest/lake_ingest/dialects)`,
        ],
      );
    }
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

  it("validates every Glue job setting's type and range, naming the stack file key", async () => {
    const error = await failure(
      withConfig(dev, {
        "lake:glue": {
          defaults: { glueVersion: 5.1, workerType: "G.025X", numberOfWorkers: 1, timeoutMinutes: 0, workers: 4 },
          tiers: {
            daily: {
              glueVersion: "4.0",
              workerType: "Z.2X",
              numberOfWorkers: 2.5,
              timeoutMinutes: 3000,
              flex: "yes",
              maxConcurrentRuns: 0,
            },
            every_15_min: { glueVersion: "latest", workerType: "G.3X", timeoutMinutes: 12.5, maxConcurrentRuns: "2" },
          },
        },
      }),
    );
    assert.ok(error instanceof StackConfigError, String(error));
    const spark = "a Spark job takes one of G.1X, G.2X, G.4X, G.8X, G.12X, G.16X, R.1X, R.2X, R.4X, R.8X";
    assert.deepEqual(error.problems, [
      "lake:glue.defaults.workers is not a Glue job setting (known: glueVersion, workerType, numberOfWorkers, timeoutMinutes, flex, maxConcurrentRuns)",
      'lake:glue.defaults.glueVersion must be a string like "5.1" (quoted in the stack file), got 5.1',
      `lake:glue.defaults.workerType "G.025X" is for Glue streaming jobs only: ${spark}`,
      "lake:glue.defaults.numberOfWorkers must be a whole number >= 2 (one driver and at least one executor), got 1",
      "lake:glue.defaults.timeoutMinutes must be a whole number of minutes from 1 to 2880, got 0",
      'lake:glue.tiers.daily.glueVersion must be "5.0" or later (Spark 3.5, Iceberg), got "4.0"',
      `lake:glue.tiers.daily.workerType "Z.2X" is for Glue Ray jobs only: ${spark}`,
      "lake:glue.tiers.daily.numberOfWorkers must be a whole number >= 2 (one driver and at least one executor), got 2.5",
      "lake:glue.tiers.daily.timeoutMinutes must be a whole number of minutes from 1 to 2880, got 3000",
      'lake:glue.tiers.daily.flex must be true or false, got "yes"',
      "lake:glue.tiers.daily.maxConcurrentRuns must be a whole number >= 1, got 0",
      'lake:glue.tiers.every_15_min.glueVersion must be a string like "5.1" (quoted in the stack file), got "latest"',
      `lake:glue.tiers.every_15_min.workerType "G.3X" is not a Glue worker type: ${spark}`,
      "lake:glue.tiers.every_15_min.timeoutMinutes must be a whole number of minutes from 1 to 2880, got 12.5",
      'lake:glue.tiers.every_15_min.maxConcurrentRuns must be a whole number >= 1, got "2"',
    ]);
  });

  it("accepts Glue 5.0 and later versions, compared as numbers", async () => {
    const glue = dev["lake:glue"] as { defaults: Record<string, unknown>; tiers: Record<string, unknown> };
    for (const glueVersion of ["5.0", "5.10"]) {
      const { resources } = await runWithMocks(
        withConfig(dev, { "lake:glue": { ...glue, defaults: { ...glue.defaults, glueVersion } } }),
        () => runLakeProgram(),
      );
      const versions = resources.filter((r) => r.type === "aws:glue/job:Job").map((r) => r.inputs.glueVersion);
      assert.deepEqual(versions, [glueVersion, glueVersion]);
    }
  });

  it("refuses Flex on a tier that fires more than once an hour, naming the key that set it", async () => {
    const glue = dev["lake:glue"] as { defaults: Record<string, unknown>; tiers: Record<string, Record<string, unknown>> };
    const own = await failure(
      withConfig(dev, { "lake:glue": { ...glue, tiers: { ...glue.tiers, every_15_min: { ...glue.tiers.every_15_min, flex: true } } } }),
    );
    assert.ok(own instanceof StackConfigError, String(own));
    assert.deepEqual(own.problems, [
      "lake:glue.tiers.every_15_min.flex is true, but tier every_15_min fires 4 times an hour: a Flex run may wait minutes to start, " +
        "which defeats a sub-hourly tier (set lake:glue.tiers.every_15_min.flex: false)",
    ]);
    const frequent = { ...glue.tiers.every_15_min };
    delete frequent.flex;
    const inherited = await failure(
      withConfig(dev, {
        "lake:glue": { defaults: { ...glue.defaults, flex: true }, tiers: { ...glue.tiers, every_15_min: frequent } },
      }),
    );
    assert.ok(inherited instanceof StackConfigError, String(inherited));
    assert.deepEqual(inherited.problems, [
      "lake:glue.defaults.flex is true, but tier every_15_min fires 4 times an hour: a Flex run may wait minutes to start, " +
        "which defeats a sub-hourly tier (set lake:glue.tiers.every_15_min.flex: false)",
    ]);
  });

  it("refuses Flex on worker types other than G.1X and G.2X", async () => {
    const glue = dev["lake:glue"] as { defaults: Record<string, unknown>; tiers: Record<string, Record<string, unknown>> };
    const error = await failure(
      withConfig(dev, { "lake:glue": { ...glue, tiers: { ...glue.tiers, daily: { ...glue.tiers.daily, workerType: "G.4X" } } } }),
    );
    assert.ok(error instanceof StackConfigError, String(error));
    assert.deepEqual(error.problems, [
      "lake:glue.tiers.daily.flex is true with lake:glue.tiers.daily.workerType G.4X: Flex runs on G.1X or G.2X only",
    ]);
  });

  it("passes lake:source.timeZone to the coordinator as SOURCE_TIME_ZONE, UTC when the stack file names none", async () => {
    const source = { ...(dev["lake:source"] as Record<string, unknown>) };
    delete source.timeZone;
    const { resources } = await runWithMocks(withConfig(dev, { "lake:source": source }), () => runLakeProgram());
    const [fn] = resources.filter((r) => r.type === "aws:lambda/function:Function");
    const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    assert.equal(env.SOURCE_TIME_ZONE, "UTC");
  });

  it("refuses a source time zone that is not an IANA Area/Location or UTC", async () => {
    for (const timeZone of ["EST", "Europe/Atlantis", 1]) {
      const error = await failure(withConfig(dev, { "lake:source": { ...(dev["lake:source"] as object), timeZone } }));
      assert.ok(error instanceof StackConfigError, String(error));
      assert.deepEqual(error.problems, [
        `lake:source.timeZone ${JSON.stringify(timeZone)} is not an IANA time zone: use the Area/Location of the source's DATETIME wall times (e.g. "Europe/Berlin"), or "UTC"`,
      ]);
    }
  });

  it("refuses a lease shorter than the longest job timeout", async () => {
    const glue = dev["lake:glue"] as { tiers: Record<string, Record<string, unknown>> };
    const error = await failure(withConfig(dev, { "lake:leaseMarginMinutes": -150, "lake:glue": glue }));
    assert.match(error.message, /leaseSeconds .* must be longer than the longest job timeout/);
  });
});
