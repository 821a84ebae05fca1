/**
 * A program that adds one governed domain to an estate that already has its buckets, KMS key,
 * LF-tags, roles and coordinator: no LakeStorage, GovernanceTags or ServiceRoles, only references.
 * docs/library.md quotes it; test/library/existingEstate.test.ts synthesizes it under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { GovernedDatabase, RawZoneCrawler, RoleGrant, type LakeBucketRefs, type LfTagKeysRef } from "../../components";

/** What the estate already has, e.g. from `pulumi.StackReference` outputs or config. */
export interface Estate {
  readonly buckets: LakeBucketRefs<"raw" | "warehouse">;
  readonly tagKeys: LfTagKeysRef;
  readonly roles: { readonly dataAccess: string; readonly ingest: string; readonly crawler: string; readonly coordinator: string };
  readonly securityConfigurationName: pulumi.Input<string>;
  readonly analystArn: pulumi.Input<string>;
}

export function addDomain(estate: Estate): { database: GovernedDatabase; crawler: RawZoneCrawler } {
  const tags = { lake: "estate", environment: pulumi.getStack(), "managed-by": "pulumi" };
  const domain = { name: "logistics", description: "Shipments and carriers", owner: "logistics-data@example.com" };
  const database = new GovernedDatabase("estate-logistics", {
    tags,
    domain,
    databasePrefix: "estate_prod",
    buckets: estate.buckets,
    tagKeys: estate.tagKeys,
    dataAccessRoleArn: estate.roles.dataAccess,
    ingestJobRoleArn: estate.roles.ingest,
    crawlerRoleArn: estate.roles.crawler,
    coordinatorRoleArn: estate.roles.coordinator,
  });
  const crawler = new RawZoneCrawler("estate-logistics-raw", {
    tags,
    domain: domain.name,
    crawlerName: "estate-prod-raw-logistics",
    rawDatabaseName: database.rawDatabaseName,
    rawBucketName: estate.buckets.raw.name,
    roleArn: estate.roles.crawler,
    securityConfigurationName: estate.securityConfigurationName,
  });
  new RoleGrant("estate-grant-logistics-analyst", {
    rule: { role: "logistics_analyst", domains: [domain.name], pii: false, description: undefined },
    principalArn: estate.analystArn,
    tagKeys: estate.tagKeys,
    grantsDependOn: [database],
  });
  return { database, crawler };
}
