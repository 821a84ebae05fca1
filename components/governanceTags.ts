/**
 * GovernanceTags: the two LF-tags access is granted by. `domain` takes every domain of
 * tables.yaml; `pii` is "true" on databases (inherited by every table and column, so nothing is
 * visible to roles not cleared for PII before it is classified) and "false" on the columns
 * tables.yaml classifies as nonPii, which the coordinator reconciles on every run.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { GOVERNANCE_TAGS_DEFAULTS } from "./defaults";
import type { LfTagKeysRef } from "./references";

export interface GovernanceTagsArgs {
  /** The values of the domain tag: every domain of tables.yaml (sorted before they are set). */
  readonly domains: readonly string[];
  /**
   * Prefix of both keys. LF-tag keys are account-wide; a prefix keeps two lakes in one account apart.
   * @default "" ({@link GOVERNANCE_TAGS_DEFAULTS}: the keys are `domain` and `pii`)
   */
  readonly keyPrefix?: string;
}

/** The values the pii tag takes. */
export const PII_TAG_VALUES = ["false", "true"] as const;

export class GovernanceTags extends pulumi.ComponentResource implements LfTagKeysRef {
  readonly domainTag: aws.lakeformation.LfTag;
  readonly piiTag: aws.lakeformation.LfTag;
  /** The domain tag's key, as an output of the tag: whatever uses it waits for the tag. */
  readonly domainKey: pulumi.Output<string>;
  /** The pii tag's key, as an output of the tag: whatever uses it waits for the tag. */
  readonly piiKey: pulumi.Output<string>;

  constructor(name: string, args: GovernanceTagsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:governance:GovernanceTags", name, {}, opts);
    const prefix = args.keyPrefix ?? GOVERNANCE_TAGS_DEFAULTS.keyPrefix;
    this.domainTag = new aws.lakeformation.LfTag(
      `${name}-domain`,
      { key: `${prefix}domain`, values: [...args.domains].sort() },
      { parent: this },
    );
    this.piiTag = new aws.lakeformation.LfTag(`${name}-pii`, { key: `${prefix}pii`, values: [...PII_TAG_VALUES] }, { parent: this });
    this.domainKey = this.domainTag.key;
    this.piiKey = this.piiTag.key;
    this.registerOutputs({ domainKey: this.domainKey, piiKey: this.piiKey });
  }
}
