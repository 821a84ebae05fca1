/**
 * Components composed over an existing estate (test/library/existingEstate.ts, quoted in
 * docs/library.md), synthesized under Pulumi mocks (pulumi.runtime.setMocks): no sibling
 * component is created, and every resource points at the estate's own buckets, tag keys and roles.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../components/packageFiles";
import { ofType, runWithMocks } from "../../stacks/offline";
import { addDomain, type Estate } from "./existingEstate";

const role = (name: string): string => `arn:aws:iam::123456789012:role/${name}`;
const ESTATE: Estate = {
  buckets: {
    raw: { name: "corp-lake-raw", arn: "arn:aws:s3:::corp-lake-raw" },
    warehouse: { name: "corp-lake-warehouse", arn: "arn:aws:s3:::corp-lake-warehouse" },
  },
  tagKeys: { domainKey: "corp_domain", piiKey: "corp_pii" },
  roles: {
    dataAccess: role("corp-lf-data"),
    ingest: role("corp-ingest"),
    crawler: role("corp-crawler"),
    coordinator: role("corp-coordinator"),
  },
  securityConfigurationName: "corp-glue-security",
  analystArn: role("logistics-analyst"),
};

describe("components over an existing estate (Pulumi mocks)", () => {
  it("adds a governed domain, its crawler and an analyst grant using only the estate's references", async () => {
    const { resources } = await runWithMocks({}, () => addDomain(ESTATE), "prod");
    const components = [...new Set(resources.filter((r) => r.type.startsWith("lake:")).map((r) => r.type))].sort();
    assert.deepEqual(components, ["lake:catalog:RawZoneCrawler", "lake:governance:GovernedDatabase", "lake:governance:RoleGrant"]);
    assert.equal(ofType(resources, "aws:s3/bucket:Bucket").length, 0, "no bucket of its own");
    assert.equal(ofType(resources, "aws:kms/key:Key").length, 0, "no key of its own");
    assert.equal(ofType(resources, "aws:lakeformation/lfTag:LfTag").length, 0, "no LF-tag of its own");
    assert.equal(ofType(resources, "aws:iam/role:Role").length, 0, "no role of its own");
    const locations = ofType(resources, "aws:lakeformation/resource:Resource").map((r) => [r.inputs.arn, r.inputs.roleArn]);
    assert.deepEqual(locations.sort(), [
      ["arn:aws:s3:::corp-lake-raw/raw/logistics/", role("corp-lf-data")],
      ["arn:aws:s3:::corp-lake-warehouse/warehouse/logistics/", role("corp-lf-data")],
    ]);
    const crawler = ofType(resources, "aws:glue/crawler:Crawler")[0].inputs;
    assert.deepEqual(crawler.s3Targets, [{ path: "s3://corp-lake-raw/raw/logistics/" }]);
    assert.equal(crawler.databaseName, "estate_prod_logistics_raw");
    const analyst = ofType(resources, "aws:lakeformation/permissions:Permissions").filter(
      (r) => r.inputs.principal === role("logistics-analyst"),
    );
    assert.equal(analyst.length, 2);
    for (const grant of analyst) {
      const keys = ((grant.inputs.lfTagPolicy as { expressions: { key: string }[] }).expressions ?? []).map((e) => e.key);
      assert.ok(
        keys.every((k) => k.startsWith("corp_")),
        `grants select by the estate's tag keys: ${keys.join(", ")}`,
      );
    }
  });

  it("is the code docs/library.md shows under 'Composing with existing resources'", () => {
    const source = readFileSync(join(__dirname, "existingEstate.ts"), "utf8");
    const shown = source.slice(source.indexOf("export function addDomain"));
    assert.ok(readFileSync(join(PACKAGE_ROOT, "docs", "library.md"), "utf8").includes(shown), "docs/library.md shows addDomain verbatim");
  });
});
