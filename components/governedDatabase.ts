/**
 * GovernedDatabase: one data domain in the catalog. Two Glue databases (the full Iceberg copy
 * and the crawled raw zone), both tagged domain=<name> and pii=true so every table and column
 * inherits them: a table or column nobody classified yet is hidden from roles not cleared for
 * PII from the moment it exists (fail closed; the coordinator reveals the columns tables.yaml
 * lists as nonPii with an explicit column tag pii=false). Their S3 locations registered with
 * Lake Formation through the dedicated data-access role; and the grants the ingest job, the
 * crawler and the coordinator need to create and tag tables. No IAMAllowedPrincipals grant.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { catalogDatabaseName, rawDomainPrefix, warehouseDomainPrefix, type DomainSpec } from "../model";
import type { LakeTags } from "./common";
import type { LakeBucketRefs, LfTagKeysRef } from "./references";

/**
 * Lake Formation permissions, with the grant option, a principal needs on a table to assign
 * LF-tags to it or its columns when it is not the table's creator (TBAC-assigning-tags.html).
 */
export const TAG_ASSIGNER_TABLE_PERMISSIONS = ["DESCRIBE", "ALTER", "DROP", "INSERT", "SELECT", "DELETE"] as const;

export interface GovernedDatabaseArgs {
  /** Tags on both catalog databases. */
  readonly tags: LakeTags;
  /** The domain from tables.yaml: its name names the databases, its description and owner describe them. */
  readonly domain: DomainSpec;
  /** Prefix of catalog database names (lake and environment): `<prefix>_<domain>` and `<prefix>_<domain>_raw`. */
  readonly databasePrefix: string;
  /**
   * The raw and warehouse buckets, by reference: the databases' locations (`raw/<domain>/`,
   * `warehouse/<domain>/`) are registered with Lake Formation from them.
   */
  readonly buckets: LakeBucketRefs<"raw" | "warehouse">;
  /** The LF-tag keys the databases are tagged with and the grants select by (pass the tags' outputs). */
  readonly tagKeys: LfTagKeysRef;
  /** The role Lake Formation assumes for the registered locations (ServiceRoles.dataAccessRole, or an existing one). */
  readonly dataAccessRoleArn: pulumi.Input<string>;
  /** The ingest job's role: location access to both zones, CREATE_TABLE on the full database, data rights on its tables. */
  readonly ingestJobRoleArn: pulumi.Input<string>;
  /** The domain's raw-zone crawler role: location access to the raw zone, CREATE_TABLE on the raw database. */
  readonly crawlerRoleArn: pulumi.Input<string>;
  /** The coordinator's role: the tag-assigner permissions on the domain's tables, with the grant option. */
  readonly coordinatorRoleArn: pulumi.Input<string>;
  /**
   * The account's DataLakeSettings (when this stack owns them): the databases, the location
   * registrations and every grant wait for them, so no database is created while the old
   * defaults (an IAMAllowedPrincipals grant on new databases and tables) still apply.
   * @default [] (nothing to wait for: the account's settings are already safe)
   */
  readonly settingsDependOn?: pulumi.Input<pulumi.Resource>[];
}

export class GovernedDatabase extends pulumi.ComponentResource {
  readonly fullDatabase: aws.glue.CatalogDatabase;
  readonly rawDatabase: aws.glue.CatalogDatabase;
  readonly fullDatabaseName: pulumi.Output<string>;
  readonly rawDatabaseName: pulumi.Output<string>;

  constructor(name: string, args: GovernedDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:governance:GovernedDatabase", name, {}, opts);
    const afterSettings: pulumi.CustomResourceOptions = { parent: this, dependsOn: args.settingsDependOn ?? [] };
    const { domain, buckets, tagKeys } = args;
    const domainPrefix = rawDomainPrefix(domain.name);
    const rawLocation = pulumi.interpolate`s3://${buckets.raw.name}/${domainPrefix}`;
    const warehouseLocation = pulumi.interpolate`s3://${buckets.warehouse.name}/${warehouseDomainPrefix(domain.name)}`;

    const database = (zone: "full" | "raw", locationUri: pulumi.Output<string>): aws.glue.CatalogDatabase =>
      new aws.glue.CatalogDatabase(
        `${name}-${zone}`,
        {
          name: catalogDatabaseName(args.databasePrefix, domain.name, zone),
          description: `${domain.description} (${zone === "full" ? "full copy, Iceberg" : "raw batches"}; owner ${domain.owner})`,
          locationUri,
          // No default grant for new tables: access comes from LF-tags only.
          createTableDefaultPermissions: [],
          parameters: { owner: domain.owner, domain: domain.name, zone },
          tags: args.tags,
        },
        afterSettings,
      );
    this.fullDatabase = database("full", warehouseLocation);
    this.rawDatabase = database("raw", rawLocation);
    this.fullDatabaseName = this.fullDatabase.name;
    this.rawDatabaseName = this.rawDatabase.name;

    const tagsOnDatabases = [this.fullDatabase, this.rawDatabase].map(
      (db, i) =>
        new aws.lakeformation.ResourceLfTags(
          `${name}-${i === 0 ? "full" : "raw"}-lf-tags`,
          {
            database: { name: db.name },
            lfTags: [
              { key: tagKeys.domainKey, value: domain.name },
              // Fail closed: new tables and columns inherit pii=true until classified.
              { key: tagKeys.piiKey, value: "true" },
            ],
          },
          // The keys are the tags' outputs (GovernanceTags), so this waits for the tags.
          { parent: db },
        ),
    );

    const locations = {
      raw: new aws.lakeformation.Resource(
        `${name}-raw-location`,
        {
          arn: pulumi.interpolate`${buckets.raw.arn}/${domainPrefix}`,
          roleArn: args.dataAccessRoleArn,
          useServiceLinkedRole: false,
          hybridAccessEnabled: false,
        },
        afterSettings,
      ),
      full: new aws.lakeformation.Resource(
        `${name}-warehouse-location`,
        {
          arn: pulumi.interpolate`${buckets.warehouse.arn}/${warehouseDomainPrefix(domain.name)}`,
          roleArn: args.dataAccessRoleArn,
          useServiceLinkedRole: false,
          hybridAccessEnabled: false,
        },
        afterSettings,
      ),
    };

    const grantOpts = (extra: pulumi.Input<pulumi.Resource>[]): pulumi.CustomResourceOptions => ({
      parent: this,
      dependsOn: [...(args.settingsDependOn ?? []), ...extra],
    });
    const grant = (
      suffix: string,
      grantArgs: aws.lakeformation.PermissionsArgs,
      deps: pulumi.Input<pulumi.Resource>[],
    ): aws.lakeformation.Permissions =>
      new aws.lakeformation.Permissions(`${name}-${suffix}`, { permissionsWithGrantOptions: [], ...grantArgs }, grantOpts(deps));

    // The ingest job writes both zones' files and creates the Iceberg tables.
    grant(
      "job-raw-location",
      { principal: args.ingestJobRoleArn, permissions: ["DATA_LOCATION_ACCESS"], dataLocation: { arn: locations.raw.arn } },
      [locations.raw],
    );
    grant(
      "job-warehouse-location",
      { principal: args.ingestJobRoleArn, permissions: ["DATA_LOCATION_ACCESS"], dataLocation: { arn: locations.full.arn } },
      [locations.full],
    );
    grant(
      "job-full-database",
      { principal: args.ingestJobRoleArn, permissions: ["CREATE_TABLE", "DESCRIBE", "ALTER"], database: { name: this.fullDatabase.name } },
      [],
    );
    // The crawler catalogs the raw zone.
    grant(
      "crawler-raw-location",
      { principal: args.crawlerRoleArn, permissions: ["DATA_LOCATION_ACCESS"], dataLocation: { arn: locations.raw.arn } },
      [locations.raw],
    );
    grant(
      "crawler-raw-database",
      { principal: args.crawlerRoleArn, permissions: ["CREATE_TABLE", "DESCRIBE", "ALTER"], database: { name: this.rawDatabase.name } },
      [],
    );

    const domainTables: aws.types.input.lakeformation.PermissionsLfTagPolicy = {
      resourceType: "TABLE",
      expressions: [{ key: tagKeys.domainKey, values: [domain.name] }],
    };
    // Tables outlive the principal that created them (a replaced role); grant by tag so the job
    // and the crawler keep access, and the coordinator can tag PII columns.
    grant(
      "job-tables",
      { principal: args.ingestJobRoleArn, permissions: ["SELECT", "INSERT", "DELETE", "ALTER", "DESCRIBE"], lfTagPolicy: domainTables },
      tagsOnDatabases,
    );
    grant(
      "crawler-tables",
      { principal: args.crawlerRoleArn, permissions: ["ALTER", "DESCRIBE", "INSERT"], lfTagPolicy: domainTables },
      tagsOnDatabases,
    );
    // The coordinator assigns the pii tag to tables and columns it did not create. Per "Assigning
    // LF-Tags to Data Catalog resources" (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html)
    // that needs ASSOCIATE on the tag (Coordinator component) and, on the table, DESCRIBE, ALTER,
    // DROP, INSERT, SELECT and DELETE with the grant option (or being its creator, or Super with
    // grant option). Without them every tag call fails and unclassified columns stay hidden.
    grant(
      "coordinator-tag-assigner",
      {
        principal: args.coordinatorRoleArn,
        permissions: [...TAG_ASSIGNER_TABLE_PERMISSIONS],
        permissionsWithGrantOptions: [...TAG_ASSIGNER_TABLE_PERMISSIONS],
        lfTagPolicy: domainTables,
      },
      tagsOnDatabases,
    );

    this.registerOutputs({
      fullDatabaseName: this.fullDatabaseName,
      rawDatabaseName: this.rawDatabaseName,
      rawLocation,
      warehouseLocation,
    });
  }
}
