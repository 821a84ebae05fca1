// Least privilege around Lake Formation: IAM and key policies that cannot bypass it, analyst grants
// that read only, no external-engine access flags, and dead letters for every invocation path.

import * as aws from "@pulumi/aws";
import { type PolicyResource, type ResourceValidationPolicy, type StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  asStringList,
  isRecord,
  knownElements,
  label,
  parsePolicyDocument,
  presence,
  propertyDependencyUrns,
  read,
  show,
  validateResourceOfTypes,
  type PolicyStatement,
} from "./util";

/** Actions that read or write data (objects, items, secrets, messages, key material, queries). */
export const DATA_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "kms:Decrypt",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "secretsmanager:GetSecretValue",
  "glue:GetConnection",
  "glue:GetConnections",
  "sqs:SendMessage",
  "sqs:ReceiveMessage",
  "sns:Publish",
  "lambda:InvokeFunction",
];

const KMS_DATA_ACTIONS = DATA_ACTIONS.filter((a) => a.startsWith("kms:"));

/** Whether an IAM action pattern (with * and ?) covers an action, case-insensitively. */
export function actionCovers(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(action);
}

function coveredActions(statement: PolicyStatement, among: readonly string[]): string[] {
  const patterns = asStringList(statement.Action);
  return among.filter((a) => patterns.some((p) => actionCovers(p, a)));
}

function conditionKeys(condition: unknown): string[] {
  if (!isRecord(condition)) {
    return [];
  }
  const keys: string[] = [];
  for (const block of Object.values(condition)) {
    if (isRecord(block)) {
      keys.push(...Object.keys(block).map((k) => k.toLowerCase()));
    }
  }
  return keys;
}

function hasConditionKey(statement: PolicyStatement, key: string): boolean {
  return conditionKeys(statement.Condition).some((k) => k === key.toLowerCase() || k.startsWith(`${key.toLowerCase()}:`));
}

function sid(statement: PolicyStatement, i: number): string {
  return typeof statement.Sid === "string" ? `Statement[${i}] (Sid ${show(statement.Sid)})` : `Statement[${i}]`;
}

/** The known policy document of an IAM policy resource, or undefined when unknown during preview. */
function identityPolicyStatements(get: () => unknown, who: string, report: (m: string) => void): PolicyStatement[] {
  const doc = read(get);
  if (!doc.known || doc.value === undefined) {
    return [];
  }
  const parsed = parsePolicyDocument(doc.value);
  if (!parsed.ok) {
    report(`${who}: policy ${parsed.error}.`);
    return [];
  }
  return parsed.statements;
}

function forIdentityPolicies(check: (statements: PolicyStatement[], who: string, report: (m: string) => void) => void) {
  return validateResourceOfTypes(
    validateResourceOfType(aws.iam.RolePolicy, (p, args, report) => {
      check(
        identityPolicyStatements(() => p.policy, label(args), report),
        label(args),
        report,
      );
    }),
    validateResourceOfType(aws.iam.Policy, (p, args, report) => {
      check(
        identityPolicyStatements(() => p.policy, label(args), report),
        label(args),
        report,
      );
    }),
  );
}

export const iamNoDataActionsOnAnyResource: ResourceValidationPolicy = {
  name: "iam-no-data-actions-on-any-resource",
  description:
    'Identity policies (RolePolicy, Policy) never allow a data action (S3 objects, KMS encrypt/decrypt, DynamoDB items, secret values, Glue connections, queue and topic messages, Lambda invocation) on Resource "*", nor use NotAction in an Allow: data access names the exact ARNs.',
  enforcementLevel: "mandatory",
  validateResource: forIdentityPolicies((statements, who, report) => {
    statements.forEach((st, i) => {
      if (st.Effect !== "Allow") {
        return;
      }
      if (st.NotAction !== undefined) {
        report(`${who}: ${sid(st, i)} allows with NotAction; list the actions.`);
        return;
      }
      const data = coveredActions(st, DATA_ACTIONS);
      if (data.length > 0 && asStringList(st.Resource).indexOf("*") >= 0) {
        report(`${who}: ${sid(st, i)} allows data actions ${show(data)} on Resource "*"; name the ARNs.`);
      }
    });
  }),
};

export const iamPassRoleScoped: ResourceValidationPolicy = {
  name: "iam-passrole-scoped",
  description:
    'Identity policies that allow iam:PassRole (directly or through a wildcard action) name the roles (no Resource "*") and the service they may be passed to (Condition iam:PassedToService).',
  enforcementLevel: "mandatory",
  validateResource: forIdentityPolicies((statements, who, report) => {
    statements.forEach((st, i) => {
      if (st.Effect !== "Allow" || coveredActions(st, ["iam:PassRole"]).length === 0) {
        return;
      }
      if (asStringList(st.Resource).some((r) => r === "*" || /:role\/\*$/.test(r))) {
        report(`${who}: ${sid(st, i)} allows iam:PassRole on ${show(st.Resource)}; name the roles.`);
      }
      if (!hasConditionKey(st, "iam:PassedToService")) {
        report(`${who}: ${sid(st, i)} allows iam:PassRole without Condition iam:PassedToService.`);
      }
    });
  }),
};

/** Services whose documentation asks for aws:SourceArn (not only aws:SourceAccount) in the trust policy. */
const SOURCE_ARN_SERVICES = ["scheduler.amazonaws.com"];

export const iamServiceTrustScoped: ResourceValidationPolicy = {
  name: "iam-service-trust-confused-deputy",
  description:
    "Every role an AWS service may assume limits the trust to this account or to named resources (Condition aws:SourceAccount or aws:SourceArn), and EventBridge Scheduler's to its schedule group (aws:SourceArn), the confused-deputy guards the services document.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.iam.Role, (role, args, report) => {
    const who = label(args);
    identityPolicyStatements(() => role.assumeRolePolicy, who, report).forEach((st, i) => {
      const principal = st.Principal;
      const services = isRecord(principal) ? asStringList(principal["Service"]) : [];
      if (st.Effect !== "Allow" || services.length === 0) {
        return;
      }
      if (!hasConditionKey(st, "aws:SourceAccount") && !hasConditionKey(st, "aws:SourceArn")) {
        report(`${who}: assumeRolePolicy ${sid(st, i)} lets ${show(services)} assume the role without aws:SourceAccount or aws:SourceArn.`);
      }
      const needsArn = services.filter((s) => SOURCE_ARN_SERVICES.indexOf(s) >= 0);
      if (needsArn.length > 0 && !hasConditionKey(st, "aws:SourceArn")) {
        report(`${who}: assumeRolePolicy ${sid(st, i)} lets ${show(needsArn)} assume the role without aws:SourceArn (its schedule group).`);
      }
    });
  }),
};

function checkKeyPolicy(statements: PolicyStatement[], who: string, report: (m: string) => void): void {
  statements.forEach((st, i) => {
    if (st.Effect !== "Allow") {
      return;
    }
    const what = `${who}: key policy ${sid(st, i)}`;
    if (st.NotAction !== undefined) {
      report(`${what} allows with NotAction; list the actions.`);
      return;
    }
    const actions = asStringList(st.Action);
    if (actions.some((a) => a === "*" || a.toLowerCase() === "kms:*")) {
      report(
        `${what} allows ${show(actions.filter((a) => a === "*" || a.toLowerCase() === "kms:*"))}; list the administration actions and grant data use by service.`,
      );
      return;
    }
    const principal = st.Principal;
    const isService = isRecord(principal) && asStringList(principal["Service"]).length > 0;
    const data = coveredActions(st, KMS_DATA_ACTIONS);
    if (data.length > 0) {
      if (isService) {
        const scoped = ["aws:SourceArn", "aws:SourceAccount", "kms:EncryptionContext"].some((k) => hasConditionKey(st, k));
        if (!scoped) {
          report(
            `${what} lets a service use the key (${show(data)}) without aws:SourceArn, aws:SourceAccount or an encryption-context condition.`,
          );
        }
      } else if (!hasConditionKey(st, "kms:ViaService")) {
        report(`${what} allows ${show(data)} without kms:ViaService; data use goes through the service that stores the data.`);
      }
    }
    if (coveredActions(st, ["kms:CreateGrant"]).length > 0 && !isService) {
      if (!hasConditionKey(st, "kms:GrantIsForAWSResource") && !hasConditionKey(st, "kms:ViaService")) {
        report(
          `${what} allows kms:CreateGrant without kms:GrantIsForAWSResource or kms:ViaService (a grant would give data use around the policy).`,
        );
      }
    }
  });
}

export const kmsKeyPolicyScoped: ResourceValidationPolicy = {
  name: "kms-key-policy-scoped",
  description:
    'KMS key policies (aws.kms.Key policy or aws.kms.KeyPolicy) allow no "kms:*" or "*": administration is listed action by action; encrypt, decrypt, data-key and re-encrypt actions for IAM principals carry kms:ViaService, for services aws:SourceArn, aws:SourceAccount or an encryption-context condition; CreateGrant only for AWS resources or through a service.',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.kms.Key, (key, args, report) => {
      checkKeyPolicy(
        identityPolicyStatements(() => key.policy, label(args), report),
        label(args),
        report,
      );
    }),
    validateResourceOfType(aws.kms.KeyPolicy, (kp, args, report) => {
      checkKeyPolicy(
        identityPolicyStatements(() => kp.policy, label(args), report),
        label(args),
        report,
      );
    }),
  ),
};

const ANALYST_PERMISSIONS = ["SELECT", "DESCRIBE"];

function principalFromStackRole(grant: PolicyResource, roles: Set<string>): boolean {
  const fromProperty = propertyDependencyUrns(grant, "principal");
  const sources = fromProperty.size > 0 ? Array.from(fromProperty) : grant.dependencies.map((d) => d.urn);
  return sources.some((u) => roles.has(u));
}

export const lfAnalystReadOnly: StackValidationPolicy = {
  name: "lakeformation-analyst-select-describe-only",
  description:
    "Lake Formation grants to analyst principals (principals that are not roles of this stack: the ARNs of lake:rolePrincipals) carry only SELECT and DESCRIBE, without grant option: never ALL, ALTER, DROP, INSERT, DELETE, CREATE_TABLE or DATA_LOCATION_ACCESS. A principal whose value comes from an aws.iam.Role of the stack is a service role of the lake.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const grants = args.resources.filter((r) => r.isType(aws.lakeformation.Permissions));
    if (grants.length === 0) {
      return args.notApplicable("No Lake Formation permissions in the stack");
    }
    const roles = new Set(args.resources.filter((r) => r.isType(aws.iam.Role)).map((r) => r.urn));
    for (const g of grants) {
      if (principalFromStackRole(g, roles)) {
        continue;
      }
      const typed = g.asType(aws.lakeformation.Permissions);
      const principal = read(() => typed?.principal);
      const granted = knownElements(() => typed?.permissions).filter((p): p is string => typeof p === "string");
      const extra = granted.filter((p) => ANALYST_PERMISSIONS.indexOf(p.toUpperCase()) < 0);
      const who = `${label(g)} (principal ${principal.known ? show(principal.value) : "(computed)"})`;
      if (extra.length > 0) {
        report(`${who}: an analyst principal is granted ${show(extra)}; analysts get SELECT and DESCRIBE only.`, g.urn);
      }
      if (presence(() => typed?.permissionsWithGrantOptions) === "present") {
        report(`${who}: an analyst principal gets permissionsWithGrantOptions; analysts never pass grants on.`, g.urn);
      }
    }
  },
};

export const lfNoExternalDataAccess: ResourceValidationPolicy = {
  name: "lakeformation-no-external-data-access",
  description:
    "DataLakeSettings does not let external engines around Lake Formation's filtering: allowExternalDataFiltering and allowFullTableExternalDataAccess are not true, and externalDataFilteringAllowLists and authorizedSessionTagValueLists are empty.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lakeformation.DataLakeSettings, (settings, args, report) => {
    const who = label(args);
    for (const flag of ["allowExternalDataFiltering", "allowFullTableExternalDataAccess"] as const) {
      const v = read(() => settings[flag]);
      if (v.known && v.value === true) {
        report(`${who}: ${flag} is true; the lake's writer uses IAM and its readers Lake Formation, no engine needs it.`);
      }
    }
    for (const list of ["externalDataFilteringAllowLists", "authorizedSessionTagValueLists"] as const) {
      if (presence(() => settings[list]) === "present") {
        report(`${who}: ${list} is ${show(read(() => settings[list]).known ? settings[list] : "(computed)")}; it must be empty.`);
      }
    }
  }),
};

export const deadLetterQueues: ResourceValidationPolicy = {
  name: "dead-letter-queues-on-targets",
  description:
    "Every EventBridge Scheduler schedule (target.deadLetterConfig.arn) and every EventBridge rule target (deadLetterConfig.arn) names a dead-letter queue, so a firing or an event that cannot be delivered is kept, not dropped.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.scheduler.Schedule, (schedule, args, report) => {
      if (presence(() => schedule.target?.deadLetterConfig?.arn) === "absent") {
        report(`${label(args)}: target.deadLetterConfig.arn is unset; name an SQS dead-letter queue.`);
      }
    }),
    validateResourceOfType(aws.cloudwatch.EventTarget, (target, args, report) => {
      if (presence(() => target.deadLetterConfig?.arn) === "absent") {
        report(`${label(args)}: deadLetterConfig.arn is unset; name an SQS dead-letter queue.`);
      }
    }),
  ),
};

export const lambdaFailureDestinationAndConcurrency: StackValidationPolicy = {
  name: "lambda-on-failure-and-concurrency",
  description:
    "Every Lambda function reserves (and so caps) its concurrency (reservedConcurrentExecutions >= 1) and has a FunctionEventInvokeConfig with an on-failure destination, so asynchronous invocations that fail after Lambda's retries are kept.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const functions = args.resources.filter((r) => r.isType(aws.lambda.Function));
    if (functions.length === 0) {
      return args.notApplicable("No Lambda functions in the stack");
    }
    const configs = args.resources.filter((r) => r.isType(aws.lambda.FunctionEventInvokeConfig));
    for (const fn of functions) {
      const typed = fn.asType(aws.lambda.Function);
      const reserved = read(() => typed?.reservedConcurrentExecutions);
      if (reserved.known && !(typeof reserved.value === "number" && reserved.value >= 1)) {
        report(`${label(fn)}: reservedConcurrentExecutions is ${show(reserved.value)}; reserve at least 1.`, fn.urn);
      }
      const name = read(() => typed?.name);
      const mine = configs.filter((c) => {
        const fname = read(() => c.asType(aws.lambda.FunctionEventInvokeConfig)?.functionName);
        return (
          propertyDependencyUrns(c, "functionName").has(fn.urn) ||
          c.dependencies.some((d) => d.urn === fn.urn) ||
          (fname.known && name.known && fname.value === name.value)
        );
      });
      const withDestination = mine.filter(
        (c) => presence(() => c.asType(aws.lambda.FunctionEventInvokeConfig)?.destinationConfig?.onFailure?.destination) !== "absent",
      );
      if (withDestination.length === 0) {
        report(
          `${label(fn)}: no FunctionEventInvokeConfig with destinationConfig.onFailure.destination; failed invocations would be dropped.`,
          fn.urn,
        );
      }
    }
  },
};

export const eventRuleAccount: ResourceValidationPolicy = {
  name: "eventbridge-rule-account-pattern",
  description: 'EventBridge rules with an event pattern match only this account\'s events: the pattern has a non-empty "account" list.',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.cloudwatch.EventRule, (rule, args, report) => {
    const pattern = read(() => rule.eventPattern);
    if (!pattern.known || typeof pattern.value !== "string") {
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(pattern.value);
    } catch {
      report(`${label(args)}: eventPattern is not valid JSON.`);
      return;
    }
    if (!isRecord(parsed) || asStringList(parsed["account"]).length === 0) {
      report(`${label(args)}: eventPattern has no "account" list; match this account's events only.`);
    }
  }),
};

export const securityPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  iamNoDataActionsOnAnyResource,
  iamPassRoleScoped,
  iamServiceTrustScoped,
  kmsKeyPolicyScoped,
  lfAnalystReadOnly,
  lfNoExternalDataAccess,
  deadLetterQueues,
  lambdaFailureDestinationAndConcurrency,
  eventRuleAccount,
];
