/**
 * RoleGrant: Lake Formation access for one analyst role, from its access rule in tables.yaml.
 * Grants are by LF-tag policy only (DESCRIBE on its domains' databases, SELECT on their
 * tables), so a new table needs no new grant. A role not cleared for PII gets tables through
 * `domain in (...) AND pii = false`: it sees only the columns explicitly tagged pii=false (the
 * databases carry pii=true, so an unclassified column stays hidden).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccessRule } from "../model";
import type { LfTagKeysRef } from "./references";

export interface RoleGrantArgs {
  /** The access rule from tables.yaml: its domains, and whether its role is cleared for PII. */
  readonly rule: AccessRule;
  /** IAM principal ARN the rule's role maps to (stack config lake:rolePrincipals, or another resource's output). */
  readonly principalArn: pulumi.Input<string>;
  /** The LF-tag keys the grants select by (pass the tags' outputs, so the grants wait for the tags). */
  readonly tagKeys: LfTagKeysRef;
  /**
   * Resources every grant waits for (DataLakeSettings, the databases whose tags the grants select).
   * @default [] (nothing beyond the tag keys' own dependencies)
   */
  readonly grantsDependOn?: pulumi.Input<pulumi.Resource>[];
}

export class RoleGrant extends pulumi.ComponentResource {
  readonly databaseGrant: aws.lakeformation.Permissions;
  readonly tableGrant: aws.lakeformation.Permissions;

  constructor(name: string, args: RoleGrantArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:governance:RoleGrant", name, {}, opts);
    const { rule, tagKeys } = args;
    if (rule.domains.length === 0) throw new Error(`RoleGrant ${name}: role ${rule.role} names no domain`);
    const domains = [...new Set(rule.domains)].sort();
    const domainExpression = { key: tagKeys.domainKey, values: domains };
    const grantOpts: pulumi.CustomResourceOptions = { parent: this, dependsOn: args.grantsDependOn ?? [] };

    this.databaseGrant = new aws.lakeformation.Permissions(
      `${name}-databases`,
      {
        principal: args.principalArn,
        permissions: ["DESCRIBE"],
        permissionsWithGrantOptions: [],
        lfTagPolicy: { resourceType: "DATABASE", expressions: [domainExpression] },
      },
      grantOpts,
    );
    this.tableGrant = new aws.lakeformation.Permissions(
      `${name}-tables`,
      {
        principal: args.principalArn,
        permissions: ["SELECT", "DESCRIBE"],
        permissionsWithGrantOptions: [],
        lfTagPolicy: {
          resourceType: "TABLE",
          expressions: rule.pii ? [domainExpression] : [domainExpression, { key: tagKeys.piiKey, values: ["false"] }],
        },
      },
      grantOpts,
    );
    this.registerOutputs({ role: rule.role, domains, piiCleared: rule.pii });
  }
}
