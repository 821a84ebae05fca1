/**
 * GovernedDatabase alone, under Pulumi mocks (pulumi.runtime.setMocks), with pretend existing
 * buckets, LF-tag keys and roles (plain names and ARNs): the two databases tagged pii=true (fail
 * closed), the locations registered with the data-access role, and every Lake Formation grant exactly.
 */
import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { GovernedDatabase, TAG_ASSIGNER_TABLE_PERMISSIONS } from "../../components/governedDatabase";
import { byName, EXISTING, inventory, runComponent, TAGS, type ComponentRun } from "./support";

const TYPE = "lake:governance:GovernedDatabase";
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const ROLES = {
  dataAccess: EXISTING.role("estate-data-access"),
  ingest: EXISTING.role("estate-ingest"),
  crawler: EXISTING.role("estate-crawler-sales"),
  coordinator: EXISTING.role("estate-coordinator"),
};
const DOMAIN = { name: "sales", description: "Sales orders", owner: "sales-data@example.com" };

describe("GovernedDatabase alone (Pulumi mocks)", () => {
  let run: ComponentRun<GovernedDatabase>;

  before(async () => {
    run = await runComponent(TYPE, () => {
      const settings = new aws.lakeformation.DataLakeSettings("estate-settings", { admins: [EXISTING.role("admin")] });
      return new GovernedDatabase("estate-sales", {
        tags: TAGS,
        domain: DOMAIN,
        databasePrefix: "estate_test",
        buckets: { raw: EXISTING.buckets.raw, warehouse: EXISTING.buckets.warehouse },
        tagKeys: EXISTING.tagKeys,
        dataAccessRoleArn: ROLES.dataAccess,
        ingestJobRoleArn: ROLES.ingest,
        crawlerRoleArn: ROLES.crawler,
        coordinatorRoleArn: ROLES.coordinator,
        settingsDependOn: [settings],
      });
    }, ["estate-settings"]);
  });

  it("creates two databases, their tags, two registered locations and eight grants, and registers the names and locations", () => {
    assert.deepEqual(inventory(run), {
      "aws:glue/catalogDatabase:CatalogDatabase": 2,
      "aws:lakeformation/resourceLfTags:ResourceLfTags": 2,
      "aws:lakeformation/resource:Resource": 2,
      [PERMISSIONS]: 8,
    });
    assert.deepEqual(run.outputs, {
      fullDatabaseName: "estate_test_sales",
      rawDatabaseName: "estate_test_sales_raw",
      rawLocation: "s3://estate-raw/raw/sales/",
      warehouseLocation: "s3://estate-warehouse/warehouse/sales/",
    });
  });

  it("gives new tables no default grant and describes the databases from the domain", () => {
    const dbs = byName(run, "aws:glue/catalogDatabase:CatalogDatabase");
    assert.deepEqual(dbs.get("estate-sales-full")?.inputs, {
      name: "estate_test_sales",
      description: "Sales orders (full copy, Iceberg; owner sales-data@example.com)",
      locationUri: "s3://estate-warehouse/warehouse/sales/",
      createTableDefaultPermissions: [],
      parameters: { owner: "sales-data@example.com", domain: "sales", zone: "full" },
      tags: TAGS,
    });
    assert.equal(dbs.get("estate-sales-raw")?.inputs.locationUri, "s3://estate-raw/raw/sales/");
    assert.deepEqual(dbs.get("estate-sales-raw")?.inputs.createTableDefaultPermissions, []);
  });

  it("tags both databases domain=<domain> and pii=true with the given keys (fail closed)", () => {
    const tags = byName(run, "aws:lakeformation/resourceLfTags:ResourceLfTags");
    for (const [zone, db] of [
      ["full", "estate_test_sales"],
      ["raw", "estate_test_sales_raw"],
    ]) {
      assert.deepEqual(tags.get(`estate-sales-${zone}-lf-tags`)?.inputs, {
        database: { name: db },
        lfTags: [
          { key: "estate_domain", value: "sales" },
          { key: "estate_pii", value: "true" },
        ],
      });
    }
  });

  it("registers exactly the domain's prefixes with the data-access role, not the service-linked role, without hybrid access", () => {
    const locations = byName(run, "aws:lakeformation/resource:Resource");
    assert.deepEqual(locations.get("estate-sales-raw-location")?.inputs, {
      arn: "arn:aws:s3:::estate-raw/raw/sales/",
      roleArn: ROLES.dataAccess,
      useServiceLinkedRole: false,
      hybridAccessEnabled: false,
    });
    assert.deepEqual(locations.get("estate-sales-warehouse-location")?.inputs.arn, "arn:aws:s3:::estate-warehouse/warehouse/sales/");
  });

  it("grants the job, the crawler and the coordinator exactly what they need, by location, database name or domain tag", () => {
    const grants = byName(run, PERMISSIONS);
    const domainTables = { resourceType: "TABLE", expressions: [{ key: "estate_domain", values: ["sales"] }] };
    // The mocked Resource's arn output is its own physical id.
    const locationArn = (suffix: string): string => `arn:aws:lakeformation:eu-central-1:123456789012:estate-sales-${suffix}-location-x1`;
    const want: Record<string, Record<string, unknown>> = {
      "estate-sales-job-raw-location": {
        principal: ROLES.ingest,
        permissions: ["DATA_LOCATION_ACCESS"],
        dataLocation: { arn: locationArn("raw") },
      },
      "estate-sales-job-warehouse-location": {
        principal: ROLES.ingest,
        permissions: ["DATA_LOCATION_ACCESS"],
        dataLocation: { arn: locationArn("warehouse") },
      },
      "estate-sales-job-full-database": {
        principal: ROLES.ingest,
        permissions: ["CREATE_TABLE", "DESCRIBE", "ALTER"],
        database: { name: "estate_test_sales" },
      },
      "estate-sales-crawler-raw-location": {
        principal: ROLES.crawler,
        permissions: ["DATA_LOCATION_ACCESS"],
        dataLocation: { arn: locationArn("raw") },
      },
      "estate-sales-crawler-raw-database": {
        principal: ROLES.crawler,
        permissions: ["CREATE_TABLE", "DESCRIBE", "ALTER"],
        database: { name: "estate_test_sales_raw" },
      },
      "estate-sales-job-tables": {
        principal: ROLES.ingest,
        permissions: ["SELECT", "INSERT", "DELETE", "ALTER", "DESCRIBE"],
        lfTagPolicy: domainTables,
      },
      "estate-sales-crawler-tables": { principal: ROLES.crawler, permissions: ["ALTER", "DESCRIBE", "INSERT"], lfTagPolicy: domainTables },
    };
    for (const [name, inputs] of Object.entries(want)) {
      assert.deepEqual(grants.get(name)?.inputs, { permissionsWithGrantOptions: [], ...inputs }, name);
    }
    assert.deepEqual(grants.get("estate-sales-coordinator-tag-assigner")?.inputs, {
      principal: ROLES.coordinator,
      permissions: [...TAG_ASSIGNER_TABLE_PERMISSIONS],
      permissionsWithGrantOptions: [...TAG_ASSIGNER_TABLE_PERMISSIONS],
      lfTagPolicy: domainTables,
    });
    for (const grant of grants.values()) assert.notEqual(grant.inputs.principal, "IAM_ALLOWED_PRINCIPALS");
  });

  it("creates databases, locations and grants only after the settings it is given", () => {
    const settings = run.resources.find((r) => r.name === "estate-settings")?.urn ?? "";
    const waiting = run.children.filter((r) => r.type !== "aws:lakeformation/resourceLfTags:ResourceLfTags");
    for (const r of waiting) assert.ok(r.dependencies.includes(settings), `${r.type} ${r.name} waits for DataLakeSettings`);
  });
});
