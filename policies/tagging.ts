// Required tags on every taggable lake resource.

import * as aws from "@pulumi/aws";
import {
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { MANAGED_BY_VALUE, REQUIRED_TAG_KEYS, TAG_ENVIRONMENT, TAG_MANAGED_BY } from "./conventions";
import { isRecord, type Known, label, read, show, stackFromUrn, validateResourceOfTypes } from "./util";

/**
 * The provider's default tags (aws:defaultTags in stack config, or an explicit provider's defaultTags) also
 * reach the resource. The SDK sends them to the provider as a JSON string: {"tags": {...}}.
 */
function providerDefaultTags(args: ResourceValidationArgs): Record<string, Known<string>> {
  const out: Record<string, Known<string>> = {};
  const raw = read(() => args.provider?.props["defaultTags"]);
  if (!raw.known || raw.value === undefined || raw.value === null) {
    return out;
  }
  let value: unknown = raw.value;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch {
      return out;
    }
  }
  const tags = isRecord(value) ? value["tags"] : undefined;
  if (isRecord(tags)) {
    for (const k of Object.keys(tags)) {
      const v = tags[k];
      if (typeof v === "string") {
        out[k] = { known: true, value: v };
      }
    }
  }
  return out;
}

export function checkRequiredTags(
  get: () => Record<string, string> | undefined,
  args: ResourceValidationArgs,
  report: ReportViolation,
): void {
  const who = label(args);
  const tags = read(get);
  if (!tags.known) {
    return; // the whole map is computed; it is checked again when the update resolves it
  }
  const merged = providerDefaultTags(args);
  const own = tags.value ?? {};
  for (const k of Object.keys(own)) {
    merged[k] = read(() => own[k]);
  }
  for (const key of REQUIRED_TAG_KEYS) {
    const v = merged[key];
    if (v === undefined || (v.known && (typeof v.value !== "string" || v.value.trim() === ""))) {
      report(`${who}: tags.${key} is missing; every lake resource carries ${REQUIRED_TAG_KEYS.map((k) => `"${k}"`).join(", ")}.`);
    }
  }
  const managedBy = merged[TAG_MANAGED_BY];
  if (managedBy !== undefined && managedBy.known && managedBy.value !== "" && managedBy.value !== MANAGED_BY_VALUE) {
    report(`${who}: tags.${TAG_MANAGED_BY} is ${show(managedBy.value)}; it must be "${MANAGED_BY_VALUE}".`);
  }
  const environment = merged[TAG_ENVIRONMENT];
  const stack = stackFromUrn(args.urn);
  if (stack !== undefined && environment !== undefined && environment.known && environment.value !== "" && environment.value !== stack) {
    report(`${who}: tags.${TAG_ENVIRONMENT} is ${show(environment.value)}; it must be the stack name "${stack}".`);
  }
}

// One entry per taggable type the lake creates. `r.tags` only compiles for classes whose args have a
// `tags` input, so the list cannot name a type that takes no tags (e.g. aws.glue.SecurityConfiguration).
export const taggableValidations: ResourceValidation[] = [
  validateResourceOfType(aws.s3.Bucket, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.kms.Key, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.glue.Job, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.glue.Crawler, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.glue.Connection, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.glue.CatalogDatabase, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.lambda.Function, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.iam.Role, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.dynamodb.Table, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.sns.Topic, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.cloudwatch.EventRule, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.cloudwatch.MetricAlarm, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.cloudwatch.LogGroup, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.athena.Workgroup, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.secretsmanager.Secret, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.scheduler.ScheduleGroup, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
  validateResourceOfType(aws.sqs.Queue, (r, a, report) => checkRequiredTags(() => r.tags, a, report)),
];

/** The type tokens the required-tags policy covers. */
export const TAGGABLE_TYPES: string[] = taggableValidations.map((v) => (v as unknown as { __pulumiType: string }).__pulumiType);

export const requiredTags: ResourceValidationPolicy = {
  name: "required-tags",
  description:
    `Every taggable lake resource carries the tags ${REQUIRED_TAG_KEYS.map((k) => `"${k}"`).join(", ")}, with ` +
    `"${TAG_MANAGED_BY}" = "${MANAGED_BY_VALUE}" and "${TAG_ENVIRONMENT}" = the stack name (provider default tags count).`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(...taggableValidations),
};

export const taggingPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [requiredTags];
