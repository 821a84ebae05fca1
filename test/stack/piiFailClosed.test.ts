/**
 * PII fails closed (issue 11), under Pulumi mocks: every catalog database carries pii=true, so a
 * table or column nobody classified is hidden from roles not cleared for PII; and the principal
 * that reveals classified columns (the coordinator) holds what Lake Formation requires to assign
 * tags to tables it did not create ("Assigning LF-Tags to Data Catalog resources",
 * https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html): ASSOCIATE on
 * the tag, and DESCRIBE, ALTER, DROP, INSERT, SELECT, DELETE with the grant option on the tables.
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../handlers/coordinator/config";
import { loadTablesYaml } from "../../model";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig, withConfig } from "../fixtures/stackConfig";
import { ofType, runWithMocks, type RecordedResource } from "./harness";

type Dict = Record<string, unknown>;
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const TAG_ASSIGNER = ["ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"];
const dev = stackFileConfig("dev");

function coordinatorRoleArn(resources: RecordedResource[]): string {
  // The Coordinator component grants ASSOCIATE on the pii tag to its own role: that is the role.
  const grants = ofType(resources, PERMISSIONS).filter((g) => g.name.endsWith("pii-tag-associate"));
  assert.equal(grants.length, 1);
  const principal = String(grants[0].inputs.principal);
  assert.match(principal, /^arn:aws:iam::\d{12}:role\//);
  return principal;
}

describe("PII fails closed (Pulumi mocks)", function () {
  this.timeout(120_000);
  let example: RecordedResource[];
  let prefixed: RecordedResource[];

  before(async () => {
    example = (await runWithMocks(dev, () => runLakeProgram())).resources;
    const lf = dev["lake:lakeFormation"] as Dict;
    prefixed = (await runWithMocks(withConfig(dev, { "lake:lakeFormation": { ...lf, tagKeyPrefix: "acme_" } }), () => runLakeProgram()))
      .resources;
  });

  it("tags every full-copy and raw database pii=true (new tables and columns inherit it), with the configured key prefix", () => {
    const model = loadTablesYaml("tables.yaml");
    for (const [resources, prefix] of [
      [example, ""],
      [prefixed, "acme_"],
    ] as const) {
      const tags = ofType(resources, "aws:lakeformation/resourceLfTags:ResourceLfTags");
      assert.equal(tags.length, 2 * model.domains.length);
      for (const t of tags) {
        const lfTags = t.inputs.lfTags as { key: string; value: string }[];
        assert.deepEqual(lfTags.find((x) => x.key === `${prefix}pii`)?.value, "true", t.name);
        assert.ok(!lfTags.some((x) => x.value === "false"), `${t.name}: no database says pii=false`);
      }
    }
  });

  it("tells the coordinator its tag key: PII_TAG_KEY is the prefixed key the tags and grants use", () => {
    for (const [resources, key] of [
      [example, "pii"],
      [prefixed, "acme_pii"],
    ] as const) {
      const [fn] = ofType(resources, "aws:lambda/function:Function").map((r) => r.inputs);
      const env = (fn.environment as Dict).variables as Record<string, string>;
      assert.equal(env.PII_TAG_KEY, key);
      assert.equal(loadConfig({ ...env, TABLES_FILE: "tables.yaml" }, process.cwd()).piiTagKey, key);
    }
  });

  it("grants the coordinator, per domain, the table permissions with grant option that tag assignment requires", () => {
    const model = loadTablesYaml("tables.yaml");
    const coordinator = coordinatorRoleArn(example);
    const assigners = ofType(example, PERMISSIONS).filter((g) => g.inputs.principal === coordinator && g.inputs.lfTagPolicy !== undefined);
    assert.equal(assigners.length, model.domains.length);
    const domains: string[] = [];
    for (const grant of assigners) {
      assert.deepEqual([...(grant.inputs.permissions as string[])].sort(), TAG_ASSIGNER);
      assert.deepEqual([...(grant.inputs.permissionsWithGrantOptions as string[])].sort(), TAG_ASSIGNER);
      const policy = grant.inputs.lfTagPolicy as { resourceType: string; expressions: { key: string; values: string[] }[] };
      assert.equal(policy.resourceType, "TABLE");
      assert.equal(policy.expressions.length, 1, "scoped by domain only: the coordinator tags PII and non-PII columns alike");
      assert.equal(policy.expressions[0].key, "domain");
      domains.push(...policy.expressions[0].values);
    }
    assert.deepEqual(domains.sort(), model.domains.map((d) => d.name).sort());
    // ASSOCIATE on both pii values (the other half of the requirement), and no grant option anywhere else.
    const associate = ofType(example, PERMISSIONS).find((g) => g.name.endsWith("pii-tag-associate"));
    assert.deepEqual(associate?.inputs.lfTag, { key: "pii", values: ["false", "true"] });
    assert.ok((associate?.inputs.permissions as string[]).includes("ASSOCIATE"));
    for (const grant of ofType(example, PERMISSIONS).filter((g) => !assigners.includes(g)))
      assert.deepEqual(grant.inputs.permissionsWithGrantOptions, [], grant.name);
  });
});
