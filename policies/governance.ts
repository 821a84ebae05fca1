// Lake Formation governance: tag-based grants per role, no IAMAllowedPrincipals, no grants to admins.

import * as aws from "@pulumi/aws";
import { type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { IAM_ALLOWED_PRINCIPALS, LF_TAG_DOMAIN, LF_TAG_PII, PII_VALUES } from "./conventions";
import {
  knownElements,
  label,
  presence,
  propertyDependencyUrns,
  read,
  show,
  showRead,
  transitiveDependencyUrns,
  validateResourceOfTypes,
} from "./util";

/** Policy config shared by the LF-tag policies (pulumi preview --policy-pack-config). */
export interface LfTagConfig {
  /** Prefix of the LF-tag keys when several lakes share an account (stack config lake:lakeFormation.tagKeyPrefix). */
  tagKeyPrefix?: string;
}

const lfTagConfigSchema = {
  properties: {
    tagKeyPrefix: {
      type: "string" as const,
      default: "",
      description: "Prefix of the LF-tag keys (the stack's lake:lakeFormation.tagKeyPrefix).",
    },
  },
};

function lfTagKeys(args: { getConfig<T extends object>(): T }): { domain: string; pii: string; all: string[] } {
  const prefix = args.getConfig<LfTagConfig>().tagKeyPrefix ?? "";
  const domain = `${prefix}${LF_TAG_DOMAIN}`;
  const pii = `${prefix}${LF_TAG_PII}`;
  return { domain, pii, all: [domain, pii] };
}

function isIamAllowedPrincipals(p: unknown): boolean {
  return typeof p === "string" && p.trim().toUpperCase() === IAM_ALLOWED_PRINCIPALS;
}

export const lfNoIamAllowedPrincipals: ResourceValidationPolicy = {
  name: "lakeformation-no-iam-allowed-principals",
  description:
    "No Lake Formation permission is granted to IAM_ALLOWED_PRINCIPALS, and DataLakeSettings leaves " +
    "createDatabaseDefaultPermissions and createTableDefaultPermissions empty, so new databases and tables " +
    "are governed by Lake Formation rather than by plain IAM.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.lakeformation.Permissions, (perm, args, report) => {
      if (isIamAllowedPrincipals(perm.principal)) {
        report(`${label(args)}: principal is "${IAM_ALLOWED_PRINCIPALS}"; grant to a named role through an LF-tag policy instead.`);
      }
    }),
    validateResourceOfType(aws.lakeformation.DataLakeSettings, (settings, args, report) => {
      const fields = ["createDatabaseDefaultPermissions", "createTableDefaultPermissions"] as const;
      for (const field of fields) {
        const entries = settings[field] ?? [];
        if (entries.length === 0) {
          continue;
        }
        const iap = entries.some((e) => {
          const principal = read(() => e.principal);
          return principal.known && isIamAllowedPrincipals(principal.value);
        });
        report(
          `${label(args)}: ${field} has ${entries.length} entr${entries.length === 1 ? "y" : "ies"}` +
            `${iap ? ` (including ${IAM_ALLOWED_PRINCIPALS})` : ""}; it must be empty.`,
        );
      }
    }),
  ),
};

export const lfNoWildcardGrants: ResourceValidationPolicy = {
  name: "lakeformation-no-wildcard-grants",
  description:
    "Lake Formation data grants are made per role by LF-tag policy scoped to a domain (lfTagPolicy with a " +
    '"domain" expression) or on a named database, never on the whole catalog (catalogResource), per table ' +
    '(table, tableWithColumns, dataCellsFilter) or with a "*" tag value. Grants on a data location or on an ' +
    "LF-tag itself (lfTag) are allowed for the lake's service roles.",
  enforcementLevel: "mandatory",
  configSchema: lfTagConfigSchema,
  validateResource: validateResourceOfType(aws.lakeformation.Permissions, (perm, args, report) => {
    const who = label(args);
    const keys = lfTagKeys(args);
    let targets = 0;
    if (perm.catalogResource === true) {
      targets++;
      report(`${who}: catalogResource is true; a grant on the whole Data Catalog is not allowed.`);
    }
    if (perm.table !== undefined) {
      targets++;
      const wildcard = perm.table.wildcard === true ? " with wildcard true (every table of the database)" : "";
      report(`${who}: table is set${wildcard}; grant by lfTagPolicy (domain=...) instead of per table.`);
    }
    if (perm.tableWithColumns !== undefined) {
      targets++;
      const wildcard = perm.tableWithColumns.wildcard === true ? " with wildcard true" : "";
      report(`${who}: tableWithColumns is set${wildcard}; hide PII columns with the pii LF-tag in an lfTagPolicy instead.`);
    }
    if (perm.dataCellsFilter !== undefined) {
      targets++;
      report(`${who}: dataCellsFilter is set; grant by lfTagPolicy instead of per table.`);
    }
    if (perm.lfTagPolicy !== undefined) {
      targets++;
      const expressions = perm.lfTagPolicy.expressions ?? [];
      expressions.forEach((e, i) => {
        if (knownElements(() => e.values).some((v) => v === "*")) {
          report(`${who}: lfTagPolicy.expressions[${i}] (key ${showRead(() => e.key)}) has value "*"; list the exact values.`);
        }
      });
      if (!expressions.some((e) => read(() => e.key).known === false || e.key === keys.domain)) {
        report(`${who}: lfTagPolicy.expressions has no "${keys.domain}" expression; every grant is scoped to the role's domains.`);
      }
    }
    if (perm.lfTag !== undefined) {
      targets++;
      if (knownElements(() => perm.lfTag?.values).some((v) => v === "*")) {
        report(`${who}: lfTag.values has "*"; list the exact values.`);
      }
    }
    if (perm.database !== undefined) {
      targets++;
      const name = read(() => perm.database?.name);
      if (presence(() => perm.database?.name) === "absent" || (name.known && name.value === "*")) {
        report(`${who}: database.name is ${showRead(() => perm.database?.name)}; name the database.`);
      }
    }
    if (perm.dataLocation !== undefined) {
      targets++;
    }
    if (targets === 0) {
      report(`${who}: no grant target is set; use lfTagPolicy or database.`);
    }
  }),
};

export const lfTagConventions: ResourceValidationPolicy = {
  name: "lakeformation-lf-tag-conventions",
  description:
    `LF-tags follow the lake's convention: only the keys "${LF_TAG_DOMAIN}" and "${LF_TAG_PII}" exist (behind the ` +
    `configured tagKeyPrefix), "${LF_TAG_PII}" takes exactly the values ${PII_VALUES.map((v) => `"${v}"`).join(" and ")}, ` +
    "and tag assignments (ResourceLfTags) and grants only use those keys and values.",
  enforcementLevel: "mandatory",
  configSchema: lfTagConfigSchema,
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.lakeformation.LfTag, (tag, args, report) => {
      const who = label(args);
      const keys = lfTagKeys(args);
      if (keys.all.indexOf(tag.key) < 0) {
        report(`${who}: key ${show(tag.key)} is not one of ${show(keys.all)}.`);
        return;
      }
      const values = knownElements(() => tag.values).filter((v): v is string => typeof v === "string");
      if (tag.key === keys.pii) {
        const sorted = values.slice().sort();
        if (sorted.length !== PII_VALUES.length || PII_VALUES.some((v) => sorted.indexOf(v) < 0)) {
          report(`${who}: values ${show(values)} for key "${keys.pii}" must be exactly ${show(PII_VALUES)}.`);
        }
      } else if (read(() => (tag.values ?? []).length).known === true && (tag.values ?? []).length === 0) {
        report(`${who}: values is empty for key "${tag.key}"; list the domain names.`);
      } else if (values.some((v) => v === "*" || v === "")) {
        report(`${who}: values ${show(values)} for key "${tag.key}" must list the domain names.`);
      }
    }),
    validateResourceOfType(aws.lakeformation.ResourceLfTags, (assignment, args, report) => {
      const who = label(args);
      const keys = lfTagKeys(args);
      (assignment.lfTags ?? []).forEach((t, i) => {
        const key = read(() => t.key);
        const value = read(() => t.value);
        if (!key.known) {
          return;
        }
        if (keys.all.indexOf(key.value) < 0) {
          report(`${who}: lfTags[${i}].key ${show(key.value)} is not one of ${show(keys.all)}.`);
        } else if (key.value === keys.pii && value.known && PII_VALUES.indexOf(value.value) < 0) {
          report(`${who}: lfTags[${i}].value ${show(value.value)} for "${keys.pii}" must be one of ${show(PII_VALUES)}.`);
        } else if (key.value === keys.domain && value.known && (value.value === "*" || value.value === "")) {
          report(`${who}: lfTags[${i}].value ${show(value.value)} for "${keys.domain}" must be a domain name.`);
        }
      });
    }),
    validateResourceOfType(aws.lakeformation.Permissions, (perm, args, report) => {
      const who = label(args);
      const keys = lfTagKeys(args);
      const expressions = perm.lfTagPolicy?.expressions ?? [];
      expressions.forEach((e, i) => {
        const key = read(() => e.key);
        if (!key.known) {
          return;
        }
        if (keys.all.indexOf(key.value) < 0) {
          report(`${who}: lfTagPolicy.expressions[${i}].key ${show(key.value)} is not one of ${show(keys.all)}.`);
        } else if (key.value === keys.pii) {
          const values = knownElements(() => e.values);
          if (values.some((v) => typeof v !== "string" || PII_VALUES.indexOf(v) < 0)) {
            report(`${who}: lfTagPolicy.expressions[${i}].values ${show(values)} for "${keys.pii}" must be ${show(PII_VALUES)} values.`);
          }
        }
      });
      const tagKey = read(() => perm.lfTag?.key);
      if (tagKey.known && tagKey.value !== undefined && keys.all.indexOf(tagKey.value) < 0) {
        report(`${who}: lfTag.key ${show(tagKey.value)} is not one of ${show(keys.all)}.`);
      }
    }),
  ),
};

/**
 * The one grant option the lake needs: assigning LF-tags to a table its principal did not create
 * takes DESCRIBE, ALTER, DROP, INSERT, SELECT and DELETE with the grant option on it
 * (https://docs.aws.amazon.com/lake-formation/latest/dg/TBAC-assigning-tags.html). Allowed only
 * for GovernedDatabase's "<domain>-coordinator-tag-assigner" grant, with exactly that set, on
 * tables by LF-tag policy.
 */
const TAG_ASSIGNER_SET = ["ALTER", "DELETE", "DESCRIBE", "DROP", "INSERT", "SELECT"];
function isTagAssignerGrant(perm: aws.lakeformation.PermissionsArgs, name: string): boolean {
  const sorted = (v: unknown): string => JSON.stringify(Array.isArray(v) ? [...(v as string[])].sort() : v);
  const policy = perm.lfTagPolicy as { resourceType?: unknown } | undefined;
  return (
    name.endsWith("-coordinator-tag-assigner") &&
    sorted(perm.permissions) === JSON.stringify(TAG_ASSIGNER_SET) &&
    sorted(perm.permissionsWithGrantOptions) === JSON.stringify(TAG_ASSIGNER_SET) &&
    policy?.resourceType === "TABLE"
  );
}

export const lfNoGrantOption: ResourceValidationPolicy = {
  name: "lakeformation-no-grant-option",
  description:
    "No Lake Formation grant carries permissionsWithGrantOptions: roles cannot re-grant data, so access is " +
    "defined only by the stacks' role grants.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lakeformation.Permissions, (perm, args, report) => {
    const withGrant = perm.permissionsWithGrantOptions ?? [];
    if (withGrant.length > 0 && !isTagAssignerGrant(perm, args.name)) {
      report(`${label(args)}: permissionsWithGrantOptions is ${show(withGrant)}; it must be empty.`);
    }
  }),
};

export const lfLocationDedicatedRole: ResourceValidationPolicy = {
  name: "lakeformation-location-dedicated-role",
  description:
    "S3 locations are registered with Lake Formation (aws.lakeformation.Resource) using a dedicated data-access " +
    "role (roleArn), not the service-linked role, and without hybrid access mode (which lets IAM permissions through).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lakeformation.Resource, (res, args, report) => {
    const who = label(args);
    if (res.useServiceLinkedRole === true) {
      report(`${who}: useServiceLinkedRole is true; register the location with the lake's data-access role.`);
    }
    if (presence(() => res.roleArn) === "absent") {
      report(`${who}: roleArn is unset; register the location with the lake's data-access role.`);
    }
    if (res.hybridAccessEnabled === true) {
      report(`${who}: hybridAccessEnabled is true; the lake is governed by Lake Formation only.`);
    }
  }),
};

// ----- Stack policies ---------------------------------------------------------------------------

const ADMIN_FIELDS = ["admins", "readOnlyAdmins"] as const;

function knownStrings(get: () => unknown): string[] {
  return knownElements(get).filter((v): v is string => typeof v === "string");
}

export const lfNoGrantsToAdmins: StackValidationPolicy = {
  name: "lakeformation-no-grants-to-admins",
  description:
    "No Lake Formation grant targets a principal listed in DataLakeSettings.admins or readOnlyAdmins: admins " +
    "already see everything, and a grant to them would outlive their removal from the admin list. Principals " +
    "are compared by value when known and, during previews, by the resource both values are computed from.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const settings = args.resources.filter((r) => r.isType(aws.lakeformation.DataLakeSettings));
    const grants = args.resources.filter((r) => r.isType(aws.lakeformation.Permissions));
    if (settings.length === 0 || grants.length === 0) {
      return args.notApplicable("Needs both DataLakeSettings and Permissions in the stack");
    }
    const admins: { settings: PolicyResource; field: string; values: Set<string>; deps: Set<string> }[] = [];
    for (const s of settings) {
      const typed = s.asType(aws.lakeformation.DataLakeSettings);
      for (const field of ADMIN_FIELDS) {
        admins.push({
          settings: s,
          field,
          values: new Set(knownStrings(() => typed?.[field])),
          deps: propertyDependencyUrns(s, field),
        });
      }
    }
    for (const g of grants) {
      const principal = read(() => g.asType(aws.lakeformation.Permissions)?.principal);
      const principalDeps = propertyDependencyUrns(g, "principal");
      for (const a of admins) {
        const byValue = principal.known && typeof principal.value === "string" && a.values.has(principal.value);
        const shared = Array.from(principalDeps).filter((u) => a.deps.has(u));
        if (byValue || shared.length > 0) {
          const what = byValue ? show(principal.value) : `computed from ${shared.join(", ")}`;
          report(
            `${label(g)}: principal (${what}) is listed in ${label(a.settings)}.${a.field}; do not grant to Lake Formation admins.`,
            g.urn,
          );
        }
      }
    }
  },
};

export const lfGrantsDependOnSettings: StackValidationPolicy = {
  name: "lakeformation-grants-depend-on-settings",
  description:
    "When the stack owns DataLakeSettings (one stack per account does), every Lake Formation grant, every Glue " +
    "catalog database and every Lake Formation location registration depends on it, directly or through its " +
    "dependencies: none is made before the admin list and the empty default permissions are set (a database " +
    "created earlier would get the IAMAllowedPrincipals default grant).",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const settings = args.resources.filter((r) => r.isType(aws.lakeformation.DataLakeSettings));
    const governed = args.resources.filter(
      (r) => r.isType(aws.lakeformation.Permissions) || r.isType(aws.glue.CatalogDatabase) || r.isType(aws.lakeformation.Resource),
    );
    if (settings.length === 0 || governed.length === 0) {
      return args.notApplicable("Needs DataLakeSettings and Permissions, CatalogDatabase or Resource in the stack");
    }
    for (const g of governed) {
      const deps = transitiveDependencyUrns(g);
      if (!settings.some((s) => deps.has(s.urn))) {
        report(`${label(g)}: does not depend on ${settings.map(label).join(" or ")}; add it to dependsOn.`, g.urn);
      }
    }
  },
};

export const governancePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  lfNoIamAllowedPrincipals,
  lfNoWildcardGrants,
  lfNoGrantsToAdmins,
  lfNoGrantOption,
  lfTagConventions,
  lfLocationDedicatedRole,
  lfGrantsDependOnSettings,
];
