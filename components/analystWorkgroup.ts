/** AnalystWorkgroup: the Athena workgroup analysts query through, with an enforced, encrypted result location. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LakeTags } from "./common";

export interface AnalystWorkgroupArgs {
  readonly tags: LakeTags;
  readonly workgroupName: string;
  readonly resultsBucketName: pulumi.Input<string>;
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Per-query scan limit in bytes (default 1 TiB), a guard against runaway costs. */
  readonly bytesScannedCutoffPerQuery?: number;
}

export class AnalystWorkgroup extends pulumi.ComponentResource {
  readonly workgroup: aws.athena.Workgroup;
  readonly workgroupName: pulumi.Output<string>;

  constructor(name: string, args: AnalystWorkgroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:analytics:AnalystWorkgroup", name, {}, opts);
    this.workgroup = new aws.athena.Workgroup(
      `${name}-workgroup`,
      {
        name: args.workgroupName,
        description: "Analysts' queries on the governed lake (Lake Formation decides what they see)",
        state: "ENABLED",
        forceDestroy: false,
        configuration: {
          enforceWorkgroupConfiguration: true,
          publishCloudwatchMetricsEnabled: true,
          bytesScannedCutoffPerQuery: args.bytesScannedCutoffPerQuery ?? 1024 ** 4,
          engineVersion: { selectedEngineVersion: "Athena engine version 3" },
          resultConfiguration: {
            outputLocation: pulumi.interpolate`s3://${args.resultsBucketName}/results/`,
            encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: args.kmsKeyArn },
          },
        },
        tags: args.tags,
      },
      { parent: this },
    );
    this.workgroupName = this.workgroup.name;
    this.registerOutputs({ workgroupName: this.workgroupName });
  }
}
