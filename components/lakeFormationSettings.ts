/**
 * LakeFormationSettings: the account's Lake Formation admins, with no default permissions
 * for IAMAllowedPrincipals on new databases and tables. DataLakeSettings is one per account
 * and replaces the whole admin list, so exactly one stack per account owns it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface LakeFormationSettingsArgs {
  /** ARNs of the Lake Formation administrators (people or deploy roles, never analyst roles); at least one. */
  readonly admins: readonly pulumi.Input<string>[];
}

export class LakeFormationSettings extends pulumi.ComponentResource {
  readonly settings: aws.lakeformation.DataLakeSettings;

  constructor(name: string, args: LakeFormationSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:governance:LakeFormationSettings", name, {}, opts);
    if (args.admins.length === 0) throw new Error(`LakeFormationSettings ${name}: at least one admin is required`);
    this.settings = new aws.lakeformation.DataLakeSettings(
      `${name}-settings`,
      {
        admins: [...args.admins],
        // Empty lists: new databases and tables get no IAMAllowedPrincipals grant; access is
        // granted by LF-tags only.
        createDatabaseDefaultPermissions: [],
        createTableDefaultPermissions: [],
        // No engine reads around Lake Formation's filtering: the job writes with IAM, readers go
        // through Lake Formation (docs/security/job-writes.md).
        allowExternalDataFiltering: false,
        allowFullTableExternalDataAccess: false,
      },
      { parent: this },
    );
    this.registerOutputs({ admins: this.settings.admins });
  }
}
