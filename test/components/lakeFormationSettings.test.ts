/**
 * LakeFormationSettings alone, under Pulumi mocks (pulumi.runtime.setMocks): the admins and no
 * default permission for IAMAllowedPrincipals, no external data filtering.
 */
import assert from "node:assert/strict";
import { LakeFormationSettings } from "../../components/lakeFormationSettings";
import { EXISTING, inventory, only, runComponent } from "./support";

const TYPE = "lake:governance:LakeFormationSettings";

describe("LakeFormationSettings alone (Pulumi mocks)", () => {
  it("sets the admins, empty default permissions for new databases and tables, and no external filtering or full-table access", async () => {
    const admins = [EXISTING.role("deployer"), "arn:aws:iam::123456789012:user/alice"];
    const run = await runComponent(TYPE, () => new LakeFormationSettings("estate-lf", { admins }));
    assert.deepEqual(inventory(run), { "aws:lakeformation/dataLakeSettings:DataLakeSettings": 1 });
    assert.deepEqual(only(run, "aws:lakeformation/dataLakeSettings:DataLakeSettings").inputs, {
      admins,
      createDatabaseDefaultPermissions: [],
      createTableDefaultPermissions: [],
      allowExternalDataFiltering: false,
      allowFullTableExternalDataAccess: false,
    });
    assert.deepEqual(run.outputs, { admins });
  });

  it("refuses an empty admin list, naming the component", async () => {
    await assert.rejects(
      runComponent(TYPE, () => new LakeFormationSettings("estate-lf", { admins: [] })),
      /LakeFormationSettings estate-lf: at least one admin is required/,
    );
  });
});
