/**
 * GovernanceTags: the two LF-tags access is granted by. `domain` takes every domain of
 * tables.yaml; `pii` is "true" on databases (inherited by every table and column, so nothing is
 * visible to roles not cleared for PII before it is classified) and "false" on the columns
 * tables.yaml classifies as nonPii, which the coordinator reconciles on every run.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface GovernanceTagsArgs {
  readonly domains: readonly string[];
  /** LF-tag keys are account-wide; a prefix keeps two lakes in one account apart (default none). */
  readonly keyPrefix?: string;
}

export class GovernanceTags extends pulumi.ComponentResource {
  readonly domainTag: aws.lakeformation.LfTag;
  readonly piiTag: aws.lakeformation.LfTag;
  readonly domainKey: string;
  readonly piiKey: string;

  constructor(name: string, args: GovernanceTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:governance:GovernanceTags", name, {}, opts);
    this.domainKey = `${args.keyPrefix ?? ""}domain`;
    this.piiKey = `${args.keyPrefix ?? ""}pii`;
    this.domainTag = new aws.lakeformation.LfTag(
      `${name}-domain`,
      { key: this.domainKey, values: [...args.domains].sort() },
      { parent: this },
    );
    this.piiTag = new aws.lakeformation.LfTag(`${name}-pii`, { key: this.piiKey, values: ["false", "true"] }, { parent: this });
    this.registerOutputs({ domainKey: this.domainKey, piiKey: this.piiKey });
  }
}
