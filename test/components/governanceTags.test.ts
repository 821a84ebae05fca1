/**
 * GovernanceTags alone, under Pulumi mocks (pulumi.runtime.setMocks): the two LF-tags, their keys
 * with and without a prefix (GOVERNANCE_TAGS_DEFAULTS), and the keys as the tags' outputs.
 */
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { GOVERNANCE_TAGS_DEFAULTS } from "../../components/defaults";
import { GovernanceTags } from "../../components/governanceTags";
import { byName, inventory, runComponent, valueOf } from "./support";

const TYPE = "lake:governance:GovernanceTags";

describe("GovernanceTags alone (Pulumi mocks)", () => {
  it("creates a domain tag with the domains sorted and a pii tag with false and true, keys without prefix by default", async () => {
    assert.equal(GOVERNANCE_TAGS_DEFAULTS.keyPrefix, "");
    const run = await runComponent(TYPE, () => new GovernanceTags("estate-tags", { domains: ["sales", "finance", "hr"] }));
    assert.deepEqual(inventory(run), { "aws:lakeformation/lfTag:LfTag": 2 });
    const tags = byName(run, "aws:lakeformation/lfTag:LfTag");
    assert.deepEqual(tags.get("estate-tags-domain")?.inputs, { key: "domain", values: ["finance", "hr", "sales"] });
    assert.deepEqual(tags.get("estate-tags-pii")?.inputs, { key: "pii", values: ["false", "true"] });
    assert.deepEqual(run.outputs, { domainKey: "domain", piiKey: "pii" });
    assert.equal(await valueOf(run.result.piiKey), "pii");
  });

  it("prefixes both keys, and hands them out as outputs of the tags (a user of a key waits for its tag)", async () => {
    const run = await runComponent(TYPE, () => {
      const tags = new GovernanceTags("estate-tags", { domains: ["sales"], keyPrefix: "estate_" });
      // A pretend user of the key outside the component, as a grant of another component would be.
      new aws.lakeformation.Permissions("estate-user", {
        principal: "arn:aws:iam::123456789012:role/estate-user",
        permissions: ["DESCRIBE"],
        lfTag: { key: tags.piiKey, values: ["false"] },
      });
      return tags;
    }, ["estate-user"]);
    const tags = byName(run, "aws:lakeformation/lfTag:LfTag");
    assert.equal(tags.get("estate-tags-domain")?.inputs.key, "estate_domain");
    assert.equal(tags.get("estate-tags-pii")?.inputs.key, "estate_pii");
    assert.deepEqual(run.outputs, { domainKey: "estate_domain", piiKey: "estate_pii" });
    const user = run.resources.find((r) => r.name === "estate-user");
    assert.deepEqual((user?.inputs.lfTag as { key: string }).key, "estate_pii");
    const piiTagUrn = tags.get("estate-tags-pii")?.urn;
    assert.ok(piiTagUrn && user?.dependencies.includes(piiTagUrn), "the key's user depends on the pii tag");
  });
});
