// Run plane: schedules, the coordinator Lambda, the state table and the Athena workgroup.

import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, type StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { isValidTimeZone } from "../model/timeZone";
import { label, presence, read, show, validateResourceOfTypes } from "./util";

// The same time-zone rule as tables.yaml and the stack config (Area/Location or UTC; no "EST"):
// model/timeZone.ts has no imports, so the pack stays free of the rest of the model.
export { isValidTimeZone };

const RATE_UNITS = ["minute", "hour", "day"];

/**
 * Checks an EventBridge Scheduler expression: `cron(<6 fields>)` or `rate(<n> <unit>)` (singular unit for
 * 1, plural otherwise). Returns a reason when it is not acceptable. One-time `at(...)` schedules are not.
 */
export function scheduleExpressionProblem(expr: string): string | undefined {
  const e = expr.trim();
  const cron = /^cron\((.*)\)$/.exec(e);
  if (cron) {
    const fields = cron[1]
      .trim()
      .split(/\s+/)
      .filter((f) => f !== "");
    return fields.length === 6
      ? undefined
      : `cron() needs 6 fields (minutes hours day-of-month month day-of-week year), got ${fields.length}`;
  }
  const rate = /^rate\(\s*(\d+)\s+([a-z]+)\s*\)$/.exec(e);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2];
    const singular = unit.replace(/s$/, "");
    if (n < 1 || RATE_UNITS.indexOf(singular) < 0) {
      return `rate() needs a positive value and a unit of minute(s), hour(s) or day(s)`;
    }
    if ((n === 1) !== (unit === singular)) {
      return n === 1 ? `rate(1 ...) takes the singular unit "${singular}"` : `rate(${n} ...) takes the plural unit "${singular}s"`;
    }
    return undefined;
  }
  return "it must be cron(...) or rate(...); one-time at(...) schedules are not used by the lake";
}

export const schedulerTimezone: ResourceValidationPolicy = {
  name: "scheduler-timezone",
  description:
    "EventBridge Scheduler schedules run in the business time zone: scheduleExpressionTimezone is an IANA " +
    'Area/Location zone or "UTC", the rule tables.yaml follows (no abbreviation such as "EST"), so workday ' +
    "15-minute tiers follow local time and daylight saving; and scheduleExpression is a recurring cron(...) or " +
    "rate(...) expression.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.scheduler.Schedule, (schedule, args, report) => {
    const who = label(args);
    const tz = read(() => schedule.scheduleExpressionTimezone);
    if (tz.known) {
      if (tz.value === undefined || tz.value === "") {
        report(`${who}: scheduleExpressionTimezone is unset (it would default to UTC); set the business time zone, e.g. "Europe/Berlin".`);
      } else if (!isValidTimeZone(tz.value)) {
        report(
          `${who}: scheduleExpressionTimezone ${show(tz.value)} is not a valid IANA time zone (an Area/Location name such as "Europe/Berlin", or "UTC").`,
        );
      }
    }
    const expr = read(() => schedule.scheduleExpression);
    if (expr.known) {
      const problem = typeof expr.value === "string" ? scheduleExpressionProblem(expr.value) : "it is unset";
      if (problem !== undefined) {
        report(`${who}: scheduleExpression ${show(expr.value)} is not accepted: ${problem}.`);
      }
    }
  }),
};

export const lambdaNotPublic: ResourceValidationPolicy = {
  name: "lambda-not-public",
  description:
    'Lambda functions are never public: every aws.lambda.Permission names a specific principal (not "*") and ' +
    'a sourceArn, and no function URL uses authorizationType "NONE".',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.lambda.Permission, (perm, args, report) => {
      const who = label(args);
      const principal = read(() => perm.principal);
      if (principal.known && (principal.value === "*" || (typeof principal.value === "string" && principal.value.indexOf("*") >= 0))) {
        report(`${who}: principal is ${show(principal.value)}; name the invoking service or account.`);
      }
      if (presence(() => perm.sourceArn) === "absent") {
        report(`${who}: sourceArn is unset; restrict the permission to the invoking rule or resource.`);
      }
      if (perm.functionUrlAuthType === "NONE") {
        report(`${who}: functionUrlAuthType is "NONE"; function URLs must use AWS_IAM.`);
      }
    }),
    validateResourceOfType(aws.lambda.FunctionUrl, (url, args, report) => {
      if (url.authorizationType === "NONE") {
        report(`${label(args)}: authorizationType is "NONE"; use "AWS_IAM".`);
      }
    }),
  ),
};

export const dynamodbStateTable: ResourceValidationPolicy = {
  name: "dynamodb-state-table",
  description:
    "DynamoDB tables (the per-table state and lease table) have point-in-time recovery, server-side encryption " +
    "with the lake's KMS key (serverSideEncryption.kmsKeyArn) and on-demand billing (PAY_PER_REQUEST).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, report) => {
    const who = label(args);
    if (table.pointInTimeRecovery?.enabled !== true) {
      report(`${who}: pointInTimeRecovery.enabled is ${show(table.pointInTimeRecovery?.enabled)}; it must be true.`);
    }
    if (table.serverSideEncryption?.enabled !== true) {
      report(`${who}: serverSideEncryption.enabled is ${show(table.serverSideEncryption?.enabled)}; it must be true.`);
    }
    if (presence(() => table.serverSideEncryption?.kmsKeyArn) === "absent") {
      report(`${who}: serverSideEncryption.kmsKeyArn is unset; use the lake's customer-managed KMS key.`);
    }
    if (table.billingMode !== "PAY_PER_REQUEST") {
      report(`${who}: billingMode is ${show(table.billingMode)}; it must be "PAY_PER_REQUEST".`);
    }
  }),
};

const ATHENA_KMS_OPTIONS = ["SSE_KMS", "CSE_KMS"];

export const athenaWorkgroupEnforcedEncrypted: ResourceValidationPolicy = {
  name: "athena-workgroup-enforced-encrypted",
  description:
    "Athena workgroups enforce their configuration on every query (enforceWorkgroupConfiguration) and encrypt " +
    "query results with KMS (resultConfiguration.encryptionConfiguration SSE_KMS or CSE_KMS with a kmsKeyArn).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.athena.Workgroup, (wg, args, report) => {
    const who = label(args);
    const cfg = wg.configuration;
    if (cfg?.enforceWorkgroupConfiguration !== true) {
      report(`${who}: configuration.enforceWorkgroupConfiguration is ${show(cfg?.enforceWorkgroupConfiguration)}; it must be true.`);
    }
    const enc = cfg?.resultConfiguration?.encryptionConfiguration;
    const option = enc?.encryptionOption;
    if (option === undefined || ATHENA_KMS_OPTIONS.indexOf(option) < 0) {
      report(
        `${who}: configuration.resultConfiguration.encryptionConfiguration.encryptionOption is ${show(option)}; it must be "SSE_KMS" or "CSE_KMS".`,
      );
    } else if (presence(() => enc?.kmsKeyArn) === "absent") {
      report(`${who}: configuration.resultConfiguration.encryptionConfiguration.kmsKeyArn is unset; name the lake's KMS key.`);
    }
  }),
};

export const runtimePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  schedulerTimezone,
  lambdaNotPublic,
  dynamodbStateTable,
  athenaWorkgroupEnforcedEncrypted,
];
