/**
 * RawZoneCrawler: catalogs one domain's raw zone. It has no schedule: the coordinator sets its
 * S3 targets to exactly the tables whose schema is new or changed and starts it, or skips it.
 * One per domain because a crawler writes into one catalog database.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { rawDomainPrefix } from "../model";
import type { LakeTags } from "./common";

export interface RawZoneCrawlerArgs {
  /** Tags on the crawler (it adds `domain`). */
  readonly tags: LakeTags;
  /** The domain whose raw zone (`raw/<domain>/`) the crawler catalogs. */
  readonly domain: string;
  /** Physical crawler name; the coordinator targets and starts it by this name, so it is known before the crawler exists. */
  readonly crawlerName: string;
  /** The domain's raw catalog database (GovernedDatabase.rawDatabaseName, or an existing one). */
  readonly rawDatabaseName: pulumi.Input<string>;
  /** Name of the raw bucket (LakeStorage.buckets.raw.name, or an existing one). */
  readonly rawBucketName: pulumi.Input<string>;
  /** The domain's crawler role (ServiceRoles.crawlerRoles[domain], or an existing one). */
  readonly roleArn: pulumi.Input<string>;
  /** Glue security configuration (ServiceRoles.securityConfiguration: SSE-KMS for logs). */
  readonly securityConfigurationName: pulumi.Input<string>;
}

/** s3://bucket/raw/<domain>/<table>/ is level 3: the table is named after its own folder. */
const CRAWLER_CONFIGURATION = JSON.stringify({
  Version: 1.0,
  Grouping: { TableLevelConfiguration: 3 },
  CrawlerOutput: { Partitions: { AddOrUpdateBehavior: "InheritFromTable" } },
});

export class RawZoneCrawler extends pulumi.ComponentResource {
  readonly crawler: aws.glue.Crawler;
  readonly crawlerName: pulumi.Output<string>;

  constructor(name: string, args: RawZoneCrawlerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:catalog:RawZoneCrawler", name, {}, opts);
    this.crawler = new aws.glue.Crawler(
      `${name}-crawler`,
      {
        name: args.crawlerName,
        description: `Raw zone of domain ${args.domain}; targets set per run by the coordinator`,
        databaseName: args.rawDatabaseName,
        role: args.roleArn,
        // Placeholder target (the domain folder, "/"-terminated); every start replaces it with
        // the exact table folders that changed.
        s3Targets: [{ path: pulumi.interpolate`s3://${args.rawBucketName}/${rawDomainPrefix(args.domain)}` }],
        recrawlPolicy: { recrawlBehavior: "CRAWL_EVERYTHING" },
        schemaChangePolicy: { updateBehavior: "UPDATE_IN_DATABASE", deleteBehavior: "LOG" },
        lakeFormationConfiguration: { useLakeFormationCredentials: true },
        securityConfiguration: args.securityConfigurationName,
        configuration: CRAWLER_CONFIGURATION,
        tags: { ...args.tags, domain: args.domain },
      },
      { parent: this },
    );
    this.crawlerName = this.crawler.name;
    this.registerOutputs({ crawlerName: this.crawlerName });
  }
}
