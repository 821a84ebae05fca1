// Glue: ingest jobs, the raw-zone crawler, the JDBC connection and their security configuration.

import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, type StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import {
  GLUE_ETL_COMMAND,
  JDBC_PATH_WILDCARD_CHARS,
  JOB_BOOKMARK_ARG,
  JOB_BOOKMARK_DISABLE,
  MIN_GLUE_VERSION,
  MIN_GLUE_WORKERS,
  S3_PATH_WILDCARD_CHARS,
} from "./conventions";
import { label, presence, read, show, showRead, validateResourceOfTypes } from "./util";

function parseVersion(v: string): number[] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** True when `v` is a "major.minor" version at least `min`. */
export function glueVersionAtLeast(v: string, min: string): boolean {
  const a = parseVersion(v);
  const b = parseVersion(min) as number[];
  if (a === undefined) {
    return false;
  }
  return a[0] > b[0] || (a[0] === b[0] && a[1] >= b[1]);
}

export const glueJobVersionAndCapacity: ResourceValidationPolicy = {
  name: "glue-job-version-and-capacity",
  description:
    `Glue jobs are Spark ETL jobs (command.name "${GLUE_ETL_COMMAND}") on Glue ${MIN_GLUE_VERSION} or later, sized ` +
    `by workerType and numberOfWorkers (at least ${MIN_GLUE_WORKERS}), never by the legacy maxCapacity (DPUs).`,
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.glue.Job, (job, args, report) => {
    const who = label(args);
    if (job.glueVersion === undefined || job.glueVersion === "") {
      report(`${who}: glueVersion is unset (AWS would pick an old default); set "${MIN_GLUE_VERSION}" or later.`);
    } else if (!glueVersionAtLeast(job.glueVersion, MIN_GLUE_VERSION)) {
      report(`${who}: glueVersion is ${show(job.glueVersion)}; it must be "${MIN_GLUE_VERSION}" or later.`);
    }
    if (job.maxCapacity !== undefined) {
      report(`${who}: maxCapacity is ${show(job.maxCapacity)}; size the job with workerType and numberOfWorkers instead.`);
    }
    if (presence(() => job.workerType) === "absent") {
      report(`${who}: workerType is unset; set it (e.g. "G.1X").`);
    }
    const workers = read(() => job.numberOfWorkers);
    if (workers.known && (typeof workers.value !== "number" || !Number.isInteger(workers.value) || workers.value < MIN_GLUE_WORKERS)) {
      report(`${who}: numberOfWorkers is ${show(workers.value)}; set an integer of at least ${MIN_GLUE_WORKERS}.`);
    }
    if (job.command.name !== GLUE_ETL_COMMAND) {
      report(`${who}: command.name is ${show(job.command.name)}; it must be "${GLUE_ETL_COMMAND}".`);
    }
  }),
};

export const glueJobBookmarksDisabled: ResourceValidationPolicy = {
  name: "glue-job-bookmarks-disabled",
  description:
    `Glue job bookmarks are off (defaultArguments["${JOB_BOOKMARK_ARG}"] = "${JOB_BOOKMARK_DISABLE}"): bookmarks are ` +
    "per job, so two tiers loading one table would duplicate rows; the shared per-table state table replaces them.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.glue.Job, (job, args, report) => {
    const who = label(args);
    const value = (job.defaultArguments ?? {})[JOB_BOOKMARK_ARG];
    if (value !== JOB_BOOKMARK_DISABLE) {
      report(`${who}: defaultArguments["${JOB_BOOKMARK_ARG}"] is ${show(value)}; it must be "${JOB_BOOKMARK_DISABLE}".`);
    }
    const locked = (job.nonOverridableArguments ?? {})[JOB_BOOKMARK_ARG];
    if (locked !== undefined && locked !== JOB_BOOKMARK_DISABLE) {
      report(`${who}: nonOverridableArguments["${JOB_BOOKMARK_ARG}"] is ${show(locked)}; it must be "${JOB_BOOKMARK_DISABLE}" or unset.`);
    }
  }),
};

export const glueSecurityConfiguration: ResourceValidationPolicy = {
  name: "glue-security-configuration",
  description:
    "Glue jobs and crawlers run with a securityConfiguration, and every Glue SecurityConfiguration encrypts S3 " +
    "output (SSE-KMS), CloudWatch logs (SSE-KMS) and job bookmarks (CSE-KMS) with a KMS key.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(aws.glue.Job, (job, args, report) => {
      if (presence(() => job.securityConfiguration) === "absent") {
        report(`${label(args)}: securityConfiguration is unset; name the lake's Glue security configuration.`);
      }
    }),
    validateResourceOfType(aws.glue.Crawler, (crawler, args, report) => {
      if (presence(() => crawler.securityConfiguration) === "absent") {
        report(`${label(args)}: securityConfiguration is unset; name the lake's Glue security configuration.`);
      }
    }),
    validateResourceOfType(aws.glue.SecurityConfiguration, (sc, args, report) => {
      const who = label(args);
      const enc = sc.encryptionConfiguration;
      const modes: [string, string | undefined, () => unknown, string][] = [
        ["s3Encryption.s3EncryptionMode", enc.s3Encryption.s3EncryptionMode, () => enc.s3Encryption.kmsKeyArn, "SSE-KMS"],
        [
          "cloudwatchEncryption.cloudwatchEncryptionMode",
          enc.cloudwatchEncryption.cloudwatchEncryptionMode,
          () => enc.cloudwatchEncryption.kmsKeyArn,
          "SSE-KMS",
        ],
        [
          "jobBookmarksEncryption.jobBookmarksEncryptionMode",
          enc.jobBookmarksEncryption.jobBookmarksEncryptionMode,
          () => enc.jobBookmarksEncryption.kmsKeyArn,
          "CSE-KMS",
        ],
      ];
      for (const [field, mode, kmsKeyArn, expected] of modes) {
        if (mode !== expected) {
          report(`${who}: encryptionConfiguration.${field} is ${show(mode)}; it must be "${expected}".`);
        }
        if (presence(kmsKeyArn) === "absent") {
          const block = field.split(".")[0];
          report(`${who}: encryptionConfiguration.${block}.kmsKeyArn is unset; name the lake's KMS key.`);
        }
      }
    }),
  ),
};

function wildcardsIn(path: string, chars: readonly string[]): string[] {
  return chars.filter((c) => path.indexOf(c) >= 0);
}

export const glueCrawlerOnDemandWithLfCredentials: ResourceValidationPolicy = {
  name: "glue-crawler-no-schedule-and-lf-credentials",
  description:
    "Crawlers have no schedule (the coordinator starts them only for new or changed tables), crawl with Lake " +
    "Formation credentials (lakeFormationConfiguration.useLakeFormationCredentials) and address exact table " +
    "paths: no wildcard characters (* ? [ {, and % for JDBC) in s3Targets or jdbcTargets paths, so a table " +
    "whose name prefixes another's (customer, customer_address) is never crawled by accident.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.glue.Crawler, (crawler, args, report) => {
    const who = label(args);
    if (presence(() => crawler.schedule) !== "absent") {
      report(`${who}: schedule is ${showRead(() => crawler.schedule)}; crawlers run on demand only.`);
    }
    if (crawler.lakeFormationConfiguration?.useLakeFormationCredentials !== true) {
      report(
        `${who}: lakeFormationConfiguration.useLakeFormationCredentials is ${show(crawler.lakeFormationConfiguration?.useLakeFormationCredentials)}; it must be true.`,
      );
    }
    (crawler.s3Targets ?? []).forEach((t, i) => {
      const path = read(() => t.path);
      if (path.known && typeof path.value === "string") {
        const found = wildcardsIn(path.value, S3_PATH_WILDCARD_CHARS);
        if (found.length > 0) {
          report(
            `${who}: s3Targets[${i}].path ${show(path.value)} contains wildcard ${found.map((c) => `"${c}"`).join(", ")}; use the exact table path.`,
          );
        }
      }
    });
    (crawler.jdbcTargets ?? []).forEach((t, i) => {
      const path = read(() => t.path);
      if (path.known && typeof path.value === "string") {
        const found = wildcardsIn(path.value, JDBC_PATH_WILDCARD_CHARS);
        if (found.length > 0) {
          report(
            `${who}: jdbcTargets[${i}].path ${show(path.value)} contains wildcard ${found.map((c) => `"${c}"`).join(", ")}; use the exact table path.`,
          );
        }
      }
    });
  }),
};

const CREDENTIAL_KEYS = ["PASSWORD", "USERNAME", "ENCRYPTED_PASSWORD", "USER"];

function isJdbc(connectionType: string | undefined): boolean {
  return connectionType === undefined || connectionType === "" || connectionType.toUpperCase() === "JDBC";
}

export const glueConnectionNoPassword: ResourceValidationPolicy = {
  name: "glue-connection-no-password",
  description:
    "Glue connections never carry credentials: connectionProperties has no PASSWORD or USERNAME key, a JDBC " +
    "connection takes them from Secrets Manager (SECRET_ID), and the JDBC URL has no password in it.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.glue.Connection, (conn, args, report) => {
    const who = label(args);
    const props = conn.connectionProperties ?? {};
    for (const key of Object.keys(props)) {
      if (CREDENTIAL_KEYS.indexOf(key.toUpperCase()) >= 0) {
        report(`${who}: connectionProperties has key ${show(key)}; keep credentials in Secrets Manager and set SECRET_ID.`);
      }
    }
    const jdbc = isJdbc(conn.connectionType);
    if (jdbc && presence(() => props["SECRET_ID"]) === "absent") {
      report(`${who}: connectionProperties.SECRET_ID is unset; a JDBC connection takes its credentials from Secrets Manager.`);
    }
    const url = read(() => props["JDBC_CONNECTION_URL"]);
    if (url.known && typeof url.value === "string" && (/password/i.test(url.value) || /[?&;]pwd=/i.test(url.value))) {
      report(`${who}: connectionProperties.JDBC_CONNECTION_URL contains a password; remove it and use SECRET_ID.`);
    }
  }),
};

export const glueConnectionInVpc: ResourceValidationPolicy = {
  name: "glue-connection-in-vpc",
  description:
    "JDBC connections to the source database run inside the lake's VPC: physicalConnectionRequirements sets a " +
    "subnetId and at least one security group (both from stack config).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.glue.Connection, (conn, args, report) => {
    if (!isJdbc(conn.connectionType)) {
      return args.notApplicable("Only JDBC connections reach the source database");
    }
    const who = label(args);
    const pcr = conn.physicalConnectionRequirements;
    if (pcr === undefined) {
      report(`${who}: physicalConnectionRequirements is unset; set subnetId and securityGroupIdLists from stack config.`);
      return;
    }
    if (presence(() => pcr.subnetId) === "absent") {
      report(`${who}: physicalConnectionRequirements.subnetId is unset.`);
    }
    if (presence(() => pcr.securityGroupIdLists) === "absent") {
      report(`${who}: physicalConnectionRequirements.securityGroupIdLists is empty.`);
    }
  }),
};

export const gluePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  glueJobVersionAndCapacity,
  glueJobBookmarksDisabled,
  glueSecurityConfiguration,
  glueCrawlerOnDemandWithLfCredentials,
  glueConnectionNoPassword,
  glueConnectionInVpc,
];
