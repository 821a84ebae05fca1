/** The AWS implementation of every port, from the configuration and a set of clients. */
import { randomBytes } from "node:crypto";
import type { CoordinatorConfig } from "../config";
import { epochSeconds } from "../core/time";
import type { Clock, Log, Ports } from "../ports";
import { SnsAlerter } from "./alerter";
import { GlueCatalogDescriber } from "./catalogDescriber";
import type { AwsClients } from "./clients";
import type { WriteMode } from "./conditionalWrites";
import { DynamoCrawlQueue } from "./crawlQueue";
import { GlueCrawlers } from "./crawlers";
import { GlueJobRunner } from "./jobRunner";
import { DynamoLeaseStore } from "./leaseStore";
import { S3ManifestStore } from "./manifestStore";
import { LakeFormationPiiTagger } from "./piiTagger";
import { DynamoRunStore } from "./runStore";

export const systemClock: Clock = {
  now: () => new Date(),
  randomHex: (bytes) => randomBytes(bytes).toString("hex"),
};

export interface AwsPortOptions {
  readonly log: Log;
  readonly clock?: Clock;
  readonly writeMode?: WriteMode;
}

export function awsPorts(config: CoordinatorConfig, clients: AwsClients, options: AwsPortOptions): Ports {
  const clock = options.clock ?? systemClock;
  return {
    leases: new DynamoLeaseStore(clients.dynamodb, config.stateTable, options.writeMode ?? "transact"),
    runs: new DynamoRunStore(clients.dynamodb, config.stateTable, () => epochSeconds(clock.now())),
    crawlQueue: new DynamoCrawlQueue(clients.dynamodb, config.stateTable),
    manifests: new S3ManifestStore(clients.s3, config.manifestBucket),
    jobs: new GlueJobRunner(clients.glue),
    crawlers: new GlueCrawlers(clients.glue),
    tagger: new LakeFormationPiiTagger(clients.lakeformation, clients.glue, config.piiTagKey, {
      tolerateMotoUntagged: config.awsEndpointUrl !== undefined,
    }),
    describer: new GlueCatalogDescriber(clients.glue),
    alerter: new SnsAlerter(clients.sns, config.alertTopicArn),
    log: options.log,
    clock,
  };
}
