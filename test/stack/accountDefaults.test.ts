/**
 * A stack that does not own DataLakeSettings checks the account's defaults (getDataLakeSettings)
 * and makes every database, location and grant wait for the check (Pulumi mocks; the call is
 * answered with the defaults under test). A failing check throws inside the check's output, which
 * the Pulumi engine reports as the program's error before registering what depends on it; the
 * mocks cannot finish such a run, so the refusal itself is tested on the decision function.
 */
import assert from "node:assert/strict";
import { iamAllowedPrincipalsDefaults } from "../../stacks/lake";
import { runLakeProgram } from "../../stacks/program";
import { stackFileConfig, withConfig } from "../fixtures/stackConfig";
import { DATA_LAKE_SETTINGS_CALL, ofType, runWithMocks } from "./harness";

const notOwner = withConfig(stackFileConfig("dev"), {
  "lake:lakeFormation": { manageSettings: false, admins: [], tagKeyPrefix: "" },
});

describe("account Lake Formation defaults when another stack owns them", function () {
  this.timeout(120_000);

  it("asks the account's settings and makes every database wait for the check", async () => {
    let asked = 0;
    const { resources } = await runWithMocks(notOwner, () => runLakeProgram(), "dev", {
      get [DATA_LAKE_SETTINGS_CALL]() {
        asked += 1;
        return { admins: [], createDatabaseDefaultPermissions: [], createTableDefaultPermissions: [], id: "123456789012" };
      },
    });
    assert.equal(asked, 1);
    assert.equal(ofType(resources, "aws:lakeformation/dataLakeSettings:DataLakeSettings").length, 0);
    const databases = ofType(resources, "aws:glue/catalogDatabase:CatalogDatabase");
    assert.equal(databases.length, 10);
    // The check resolves to the storage component; the engine expands it to its children, and no
    // database refers to the Athena results bucket otherwise.
    const athenaBucket = resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name.endsWith("-athena"))?.urn;
    for (const db of databases) assert.ok(athenaBucket && db.dependencies.includes(athenaBucket), `${db.name} waits for the check`);
  });

  it("refuses defaults that grant IAM_ALLOWED_PRINCIPALS, naming each setting", () => {
    const grant = [{ principal: "IAM_ALLOWED_PRINCIPALS" }];
    assert.equal(iamAllowedPrincipalsDefaults({ createDatabaseDefaultPermissions: [], createTableDefaultPermissions: [] }), undefined);
    assert.equal(
      iamAllowedPrincipalsDefaults({
        createDatabaseDefaultPermissions: [{ principal: "arn:aws:iam::123456789012:role/admin" }],
        createTableDefaultPermissions: [],
      }),
      undefined,
    );
    assert.match(
      iamAllowedPrincipalsDefaults({ createDatabaseDefaultPermissions: grant, createTableDefaultPermissions: [] }) ?? "",
      /grant IAM_ALLOWED_PRINCIPALS in createDatabaseDefaultPermissions: every new database/,
    );
    assert.match(
      iamAllowedPrincipalsDefaults({ createDatabaseDefaultPermissions: grant, createTableDefaultPermissions: grant }) ?? "",
      /in createDatabaseDefaultPermissions and createTableDefaultPermissions: .*Empty both lists/,
    );
  });
});
