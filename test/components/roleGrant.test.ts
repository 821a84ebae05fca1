/**
 * RoleGrant alone, under Pulumi mocks (pulumi.runtime.setMocks), with pretend existing LF-tag keys
 * and a plain principal ARN: exactly two tag-policy grants, SELECT and DESCRIBE only, no grant
 * option, pii=false required unless the rule is cleared for PII.
 */
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import type { AccessRule } from "../../model";
import { RoleGrant } from "../../components/roleGrant";
import { byName, EXISTING, inventory, runComponent, SMALL_MODEL } from "./support";

const TYPE = "lake:governance:RoleGrant";
const PRINCIPAL = EXISTING.role("estate-analyst");
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";

function rule(overrides: Partial<AccessRule>): AccessRule {
  return { ...SMALL_MODEL.access[0], ...overrides };
}

describe("RoleGrant alone (Pulumi mocks)", () => {
  it("grants a role not cleared for PII DESCRIBE on its domains' databases and SELECT on pii=false columns only", async () => {
    const run = await runComponent(
      TYPE,
      () =>
        new RoleGrant("estate-grant", {
          rule: rule({ domains: ["sales", "finance", "sales"], pii: false }),
          principalArn: PRINCIPAL,
          tagKeys: EXISTING.tagKeys,
        }),
    );
    assert.deepEqual(inventory(run), { [PERMISSIONS]: 2 });
    const grants = byName(run, PERMISSIONS);
    const domains = { key: "estate_domain", values: ["finance", "sales"] };
    assert.deepEqual(grants.get("estate-grant-databases")?.inputs, {
      principal: PRINCIPAL,
      permissions: ["DESCRIBE"],
      permissionsWithGrantOptions: [],
      lfTagPolicy: { resourceType: "DATABASE", expressions: [domains] },
    });
    assert.deepEqual(grants.get("estate-grant-tables")?.inputs, {
      principal: PRINCIPAL,
      permissions: ["SELECT", "DESCRIBE"],
      permissionsWithGrantOptions: [],
      lfTagPolicy: { resourceType: "TABLE", expressions: [domains, { key: "estate_pii", values: ["false"] }] },
    });
    assert.deepEqual(run.outputs, { role: "shop_analyst", domains: ["finance", "sales"], piiCleared: false });
  });

  it("grants a PII-cleared role its domains' tables without the pii condition, after what it is told to wait for", async () => {
    const run = await runComponent(TYPE, () => {
      const settings = new aws.lakeformation.DataLakeSettings("estate-settings", { admins: [EXISTING.role("admin")] });
      return new RoleGrant("estate-grant", {
        rule: rule({ pii: true }),
        principalArn: PRINCIPAL,
        tagKeys: EXISTING.tagKeys,
        grantsDependOn: [settings],
      });
    }, ["estate-settings"]);
    const settingsUrn = run.resources.find((r) => r.name === "estate-settings")?.urn;
    const grants = byName(run, PERMISSIONS);
    const tables = grants.get("estate-grant-tables");
    assert.deepEqual((tables?.inputs.lfTagPolicy as { expressions: unknown }).expressions, [{ key: "estate_domain", values: ["shop"] }]);
    for (const grant of grants.values())
      assert.ok(settingsUrn && grant.dependencies.includes(settingsUrn), `${grant.name} waits for the settings`);
    assert.deepEqual(run.outputs, { role: "shop_analyst", domains: ["shop"], piiCleared: true });
  });

  it("refuses a rule without domains, naming the role", async () => {
    await assert.rejects(
      runComponent(
        TYPE,
        () => new RoleGrant("estate-grant", { rule: rule({ domains: [] }), principalArn: PRINCIPAL, tagKeys: EXISTING.tagKeys }),
      ),
      /RoleGrant estate-grant: role shop_analyst names no domain/,
    );
  });
});
