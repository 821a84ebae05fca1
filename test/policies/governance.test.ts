import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import {
  lfGrantsDependOnSettings,
  lfLocationDedicatedRole,
  lfNoGrantOption,
  lfNoGrantsToAdmins,
  lfNoIamAllowedPrincipals,
  lfNoWildcardGrants,
  lfTagConventions,
} from "../../policies/governance";
import { ADMIN_ARN, ANALYST_ARN, compliantLake, fx, withProps } from "./fixtures";
import { resourceViolations, type ResourceSpec, stackViolations, UNKNOWN, validateResource, validateStack } from "./harness";

const tagPolicy = (expressions: { key: string; values: string[] }[]) => ({ resourceType: "TABLE", expressions });

describe("lakeformation-no-iam-allowed-principals", () => {
  const p = lfNoIamAllowedPrincipals;

  it("passes named principals and empty default permissions", async () => {
    assert.deepEqual(await resourceViolations(p, fx.grantByTag()), []);
    assert.deepEqual(await resourceViolations(p, fx.dataLakeSettings()), []);
    assert.deepEqual(
      await resourceViolations(
        p,
        withProps(fx.dataLakeSettings(), { createDatabaseDefaultPermissions: undefined, createTableDefaultPermissions: undefined }),
      ),
      [],
    );
  });

  it("rejects a grant to IAM_ALLOWED_PRINCIPALS", async () => {
    const v = await resourceViolations(p, withProps(fx.grantDatabase(), { principal: "IAM_ALLOWED_PRINCIPALS" }));
    assert.deepEqual(v, [
      'aws:lakeformation:Permissions "grant-job-create-table": principal is "IAM_ALLOWED_PRINCIPALS"; grant to a named role through an LF-tag policy instead.',
    ]);
  });

  it("rejects default create permissions in DataLakeSettings", async () => {
    const spec = withProps(fx.dataLakeSettings(), {
      createDatabaseDefaultPermissions: [{ principal: "IAM_ALLOWED_PRINCIPALS", permissions: ["ALL"] }],
      createTableDefaultPermissions: [{ principal: ANALYST_ARN, permissions: ["SELECT"] }],
    });
    assert.deepEqual(await resourceViolations(p, spec), [
      'aws:lakeformation:DataLakeSettings "lake-settings": createDatabaseDefaultPermissions has 1 entry (including IAM_ALLOWED_PRINCIPALS); it must be empty.',
      'aws:lakeformation:DataLakeSettings "lake-settings": createTableDefaultPermissions has 1 entry; it must be empty.',
    ]);
  });
});

describe("lakeformation-no-wildcard-grants", () => {
  const p = lfNoWildcardGrants;

  it("passes grants by domain tag policy, named database and data location", async () => {
    for (const spec of [fx.grantByTag(), fx.grantDatabase(), fx.grantLocation()]) {
      assert.deepEqual(await resourceViolations(p, spec), [], spec.name);
    }
  });

  it("rejects catalogResource", async () => {
    const v = await resourceViolations(p, {
      ...fx.grantDatabase(),
      props: { principal: ANALYST_ARN, permissions: ["DESCRIBE"], catalogResource: true },
    });
    assert.deepEqual(v, [
      'aws:lakeformation:Permissions "grant-job-create-table": catalogResource is true; a grant on the whole Data Catalog is not allowed.',
    ]);
  });

  it("rejects table wildcard and per-table grants", async () => {
    const wildcard = await resourceViolations(p, {
      ...fx.grantByTag(),
      props: { principal: ANALYST_ARN, permissions: ["SELECT"], table: { databaseName: "sales", wildcard: true } },
    });
    assert.equal(wildcard.length, 1);
    assert.match(wildcard[0], /table is set with wildcard true/);
    const named = await resourceViolations(p, {
      ...fx.grantByTag(),
      props: { principal: ANALYST_ARN, permissions: ["SELECT"], table: { databaseName: "sales", name: "customer" } },
    });
    assert.match(named[0], /: table is set; grant by lfTagPolicy/);
  });

  it("rejects tableWithColumns wildcard", async () => {
    const v = await resourceViolations(p, {
      ...fx.grantByTag(),
      props: {
        principal: ANALYST_ARN,
        permissions: ["SELECT"],
        tableWithColumns: { databaseName: "sales", name: "customer", wildcard: true, excludedColumnNames: ["email"] },
      },
    });
    assert.equal(v.length, 1);
    assert.match(v[0], /tableWithColumns is set with wildcard true/);
  });

  it('rejects a "*" LF-tag value and a tag policy without a domain', async () => {
    const star = await resourceViolations(p, withProps(fx.grantByTag(), { lfTagPolicy: tagPolicy([{ key: "domain", values: ["*"] }]) }));
    assert.deepEqual(star, [
      'aws:lakeformation:Permissions "grant-sales-analyst-select": lfTagPolicy.expressions[0] (key "domain") has value "*"; list the exact values.',
    ]);
    const noDomain = await resourceViolations(
      p,
      withProps(fx.grantByTag(), { lfTagPolicy: tagPolicy([{ key: "pii", values: ["false"] }]) }),
    );
    assert.match(noDomain[0], /lfTagPolicy\.expressions has no "domain" expression/);
  });

  it("checks the known values when some tag values are computed during preview", async () => {
    const spec = withProps(fx.grantByTag(), { lfTagPolicy: tagPolicy([{ key: "domain", values: ["sales", UNKNOWN.string] }]) });
    const result = await validateResource(p, spec);
    assert.deepEqual(result.diagnostics, []);
    const star = withProps(fx.grantByTag(), { lfTagPolicy: tagPolicy([{ key: "domain", values: [UNKNOWN.string, "*"] }]) });
    assert.match((await resourceViolations(p, star))[0], /has value "\*"/);
  });

  it('rejects a grant without any target and a database named "*"', async () => {
    const none = await resourceViolations(p, { ...fx.grantByTag(), props: { principal: ANALYST_ARN, permissions: ["SELECT"] } });
    assert.match(none[0], /no grant target is set/);
    const star = await resourceViolations(p, withProps(fx.grantDatabase(), { database: { name: "*" } }));
    assert.match(star[0], /database\.name is "\*"/);
  });
});

describe("lakeformation-lf-tag-conventions", () => {
  const p = lfTagConventions;

  it("passes the domain and pii tags and grants using them", async () => {
    for (const spec of [fx.lfTagDomain(), fx.lfTagPii(), fx.grantByTag()]) {
      assert.deepEqual(await resourceViolations(p, spec), [], spec.name);
    }
  });

  it("rejects other tag keys and bad pii values", async () => {
    assert.match(
      (await resourceViolations(p, withProps(fx.lfTagDomain(), { key: "department" })))[0],
      /key "department" is not one of \["domain","pii"\]/,
    );
    assert.match(
      (await resourceViolations(p, withProps(fx.lfTagPii(), { values: ["yes", "no"] })))[0],
      /values \["yes","no"\] for key "pii" must be exactly \["true","false"\]/,
    );
    assert.match(
      (await resourceViolations(p, withProps(fx.lfTagDomain(), { values: ["*"] })))[0],
      /values \["\*"\] for key "domain" must list the domain names/,
    );
  });

  it("checks the LF-tag assignments of databases", async () => {
    const assignment = (lfTags: { key: string; value: string }[]): ResourceSpec => ({
      type: aws.lakeformation.ResourceLfTags,
      name: "lake-sales-db-lf-tags",
      props: { database: { name: "sales" }, lfTags },
    });
    assert.deepEqual(
      await resourceViolations(
        p,
        assignment([
          { key: "domain", value: "sales" },
          { key: "pii", value: "false" },
        ]),
      ),
      [],
    );
    assert.deepEqual(
      await resourceViolations(
        p,
        assignment([
          { key: "domain", value: "*" },
          { key: "pii", value: "no" },
          { key: "owner", value: "x" },
        ]),
      ),
      [
        'aws:lakeformation:ResourceLfTags "lake-sales-db-lf-tags": lfTags[0].value "*" for "domain" must be a domain name.',
        'aws:lakeformation:ResourceLfTags "lake-sales-db-lf-tags": lfTags[1].value "no" for "pii" must be one of ["true","false"].',
        'aws:lakeformation:ResourceLfTags "lake-sales-db-lf-tags": lfTags[2].key "owner" is not one of ["domain","pii"].',
      ],
    );
  });

  it("honours the tagKeyPrefix policy config (lakes sharing an account)", async () => {
    const config = { [p.name]: { tagKeyPrefix: "acme_" }, "lakeformation-no-wildcard-grants": { tagKeyPrefix: "acme_" } };
    const prefixed = withProps(fx.lfTagDomain(), { key: "acme_domain" });
    assert.deepEqual(await resourceViolations(p, prefixed, { config }), []);
    assert.match((await resourceViolations(p, fx.lfTagDomain(), { config }))[0], /key "domain" is not one of \["acme_domain","acme_pii"\]/);
    const grant = withProps(fx.grantByTag(), {
      lfTagPolicy: tagPolicy([
        { key: "acme_domain", values: ["sales"] },
        { key: "acme_pii", values: ["false"] },
      ]),
    });
    assert.deepEqual(await resourceViolations(p, grant, { config }), []);
    assert.deepEqual(await resourceViolations(lfNoWildcardGrants, grant, { config }), []);
    assert.match((await resourceViolations(lfNoWildcardGrants, grant))[0], /has no "domain" expression/);
  });

  it("rejects grants on unknown keys or pii values", async () => {
    const v = await resourceViolations(
      p,
      withProps(fx.grantByTag(), {
        lfTagPolicy: tagPolicy([
          { key: "domain", values: ["sales"] },
          { key: "pii", values: ["maybe"] },
          { key: "team", values: ["a"] },
        ]),
      }),
    );
    assert.equal(v.length, 2);
    assert.match(v[0], /lfTagPolicy\.expressions\[1\]\.values \["maybe"\] for "pii"/);
    assert.match(v[1], /lfTagPolicy\.expressions\[2\]\.key "team" is not one of/);
  });
});

describe("lakeformation-no-grant-option", () => {
  const p = lfNoGrantOption;

  it("passes grants without grant option", async () => {
    assert.deepEqual(await resourceViolations(p, fx.grantByTag()), []);
    assert.deepEqual(await resourceViolations(p, withProps(fx.grantByTag(), { permissionsWithGrantOptions: [] })), []);
  });

  it("rejects permissionsWithGrantOptions", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.grantByTag(), { permissionsWithGrantOptions: ["SELECT"] })), [
      'aws:lakeformation:Permissions "grant-sales-analyst-select": permissionsWithGrantOptions is ["SELECT"]; it must be empty.',
    ]);
  });
});

describe("lakeformation-no-grant-option: the coordinator's tag-assigner grant", () => {
  const p = lfNoGrantOption;
  const SET = ["DESCRIBE", "ALTER", "DROP", "INSERT", "SELECT", "DELETE"];
  const assigner = (name: string, props: Record<string, unknown>): ReturnType<typeof fx.grantByTag> => ({
    ...withProps(fx.grantByTag(), {
      permissions: SET,
      permissionsWithGrantOptions: SET,
      lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "domain", values: ["sales"] }] },
      ...props,
    }),
    name,
  });

  it("passes exactly the set tag assignment requires (TBAC-assigning-tags), on tables by tag, in the coordinator's grant", async () => {
    assert.deepEqual(await resourceViolations(p, assigner("sales-coordinator-tag-assigner", {})), []);
  });

  it("rejects the same set under another grant's name, or more than the set", async () => {
    assert.equal((await resourceViolations(p, assigner("grant-sales-analyst-select", {}))).length, 1);
    assert.equal((await resourceViolations(p, assigner("sales-coordinator-tag-assigner", { permissions: [...SET, "ALL"] }))).length, 1);
    const onDatabase = { lfTagPolicy: { resourceType: "DATABASE", expressions: [{ key: "domain", values: ["sales"] }] } };
    assert.equal((await resourceViolations(p, assigner("sales-coordinator-tag-assigner", onDatabase))).length, 1);
  });
});

describe("lakeformation-location-dedicated-role", () => {
  const p = lfLocationDedicatedRole;

  it("passes a location registered with the data-access role", async () => {
    assert.deepEqual(await resourceViolations(p, fx.lfLocation()), []);
    assert.deepEqual(await resourceViolations(p, withProps(fx.lfLocation(), { roleArn: UNKNOWN.string })), []);
  });

  it("rejects the service-linked role and hybrid access", async () => {
    const v = await resourceViolations(
      p,
      withProps(fx.lfLocation(), { roleArn: undefined, useServiceLinkedRole: true, hybridAccessEnabled: true }),
    );
    assert.deepEqual(v, [
      'aws:lakeformation:Resource "lake-raw-location": useServiceLinkedRole is true; register the location with the lake\'s data-access role.',
      'aws:lakeformation:Resource "lake-raw-location": roleArn is unset; register the location with the lake\'s data-access role.',
      'aws:lakeformation:Resource "lake-raw-location": hybridAccessEnabled is true; the lake is governed by Lake Formation only.',
    ]);
  });
});

describe("lakeformation-no-grants-to-admins (stack)", () => {
  const p = lfNoGrantsToAdmins;

  it("passes when no grant targets an admin", async () => {
    assert.deepEqual(await stackViolations(p, compliantLake()), []);
  });

  it("rejects a grant to an admin, by value", async () => {
    const lake = [...compliantLake(), { ...withProps(fx.grantByTag(), { principal: ADMIN_ARN }), name: "grant-admin" }];
    const result = await validateStack(p, lake);
    assert.equal(result.diagnostics.length, 1);
    assert.equal(
      result.diagnostics[0].violation,
      `aws:lakeformation:Permissions "grant-admin": principal ("${ADMIN_ARN}") is listed in aws:lakeformation:DataLakeSettings "lake-settings".admins; do not grant to Lake Formation admins.`,
    );
    assert.match(result.diagnostics[0].urn ?? "", /::grant-admin$/);
  });

  it("rejects a grant to a read-only admin", async () => {
    const lake = compliantLake().map((r) => (r.name === "lake-settings" ? withProps(r, { readOnlyAdmins: [ANALYST_ARN] }) : r));
    const v = await stackViolations(p, lake);
    assert.equal(v.length, 1);
    assert.match(v[0], /"grant-sales-analyst-select": principal .* is listed in .*\.readOnlyAdmins/);
  });

  it("rejects, during preview, a grant whose principal comes from the same role as an admin", async () => {
    const adminRole: ResourceSpec = { type: aws.iam.Role, name: "lake-admin-role", props: { arn: UNKNOWN.string } };
    const settings: ResourceSpec = {
      ...withProps(fx.dataLakeSettings(), { admins: [UNKNOWN.string] }),
      propertyDependencies: { admins: ["lake-admin-role"] },
    };
    const grant: ResourceSpec = {
      ...withProps(fx.grantByTag(), { principal: UNKNOWN.string }),
      propertyDependencies: { principal: ["lake-admin-role"] },
    };
    const v = await stackViolations(p, [adminRole, settings, grant]);
    assert.equal(v.length, 1);
    assert.match(
      v[0],
      /principal \(computed from urn:pulumi:dev::governed-lake::aws:iam\/role:Role::lake-admin-role\) is listed in .*\.admins/,
    );
  });

  it("is not applicable without DataLakeSettings in the stack", async () => {
    const result = await validateStack(p, [fx.grantByTag()]);
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.notApplicable.length, 1);
  });
});

describe("lakeformation-grants-depend-on-settings (stack)", () => {
  const p = lfGrantsDependOnSettings;

  it("passes when every grant depends on the settings (directly or transitively)", async () => {
    const lake = compliantLake().map((r) => (r.name === "grant-sales-analyst-select" ? { ...r, dependencies: ["lf-domain"] } : r));
    assert.deepEqual(await stackViolations(p, lake), []);
  });

  it("rejects a grant that may run before the settings", async () => {
    const lake = compliantLake().map((r) => (r.name === "grant-job-create-table" ? { ...r, dependencies: [] } : r));
    assert.deepEqual(await stackViolations(p, lake), [
      'aws:lakeformation:Permissions "grant-job-create-table": does not depend on aws:lakeformation:DataLakeSettings "lake-settings"; add it to dependsOn.',
    ]);
  });

  it("rejects a catalog database or a location registration that may be created before the settings", async () => {
    const lake = compliantLake().map((r) =>
      r.name === "lake-sales-db" || r.name === "lake-raw-location" ? { ...r, dependencies: [] } : r,
    );
    assert.deepEqual(await stackViolations(p, lake), [
      'aws:glue:CatalogDatabase "lake-sales-db": does not depend on aws:lakeformation:DataLakeSettings "lake-settings"; add it to dependsOn.',
      'aws:lakeformation:Resource "lake-raw-location": does not depend on aws:lakeformation:DataLakeSettings "lake-settings"; add it to dependsOn.',
    ]);
  });

  it("is not applicable when another stack owns the settings", async () => {
    const result = await validateStack(
      p,
      compliantLake().filter((r) => r.name !== "lake-settings"),
    );
    assert.deepEqual(result.diagnostics, []);
    assert.deepEqual(
      result.notApplicable.map((n) => n.policyName),
      [p.name],
    );
  });
});
