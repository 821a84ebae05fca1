/**
 * IngestTier: one Glue job for one tier of tables.yaml, and the schedule that wakes the
 * coordinator for it. The job has no table list of its own: the coordinator passes a run
 * manifest per run, so a new table needs no change here. Glue job bookmarks are disabled
 * because per-table state lives in the state table, shared by every tier.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import type { TierSpec } from "../model";
import { policyDocument, serviceTrustPolicy, type LakeTags } from "./common";
import { DEFAULT_ICEBERG_CATALOG, GLUE_JOB_DEFAULTS } from "./defaults";
import { ICEBERG_CATALOG_FILE } from "./packageFiles";

/** Size and behaviour of one tier's Glue job; every field falls back to {@link GLUE_JOB_DEFAULTS}. */
export interface TierJobSettings {
  /**
   * Glue version; the policy pack requires "5.0" or newer (Spark 3.5, Iceberg).
   * @default "5.1" ({@link GLUE_JOB_DEFAULTS})
   */
  readonly glueVersion?: string;
  /**
   * Worker type of a Spark ETL job (G.1X, G.2X, ...; Flex only on G.1X and G.2X).
   * @default "G.1X" ({@link GLUE_JOB_DEFAULTS})
   */
  readonly workerType?: string;
  /**
   * Workers, driver included; at least 2.
   * @default 2 ({@link GLUE_JOB_DEFAULTS})
   */
  readonly numberOfWorkers?: number;
  /**
   * Job timeout in minutes. The coordinator's lease must outlive the longest one.
   * @default 60 ({@link GLUE_JOB_DEFAULTS})
   */
  readonly timeoutMinutes?: number;
  /**
   * Run with Flex execution (cheaper, may start later); for tiers that are not latency-bound.
   * @default false ({@link GLUE_JOB_DEFAULTS}: standard execution)
   */
  readonly flex?: boolean;
  /**
   * Concurrent runs the job allows.
   * @default 2 ({@link GLUE_JOB_DEFAULTS}: a retry may overlap a slow run)
   */
  readonly maxConcurrentRuns?: number;
  /**
   * Tables one run loads at once (the job's --table_concurrency).
   * @default undefined (not passed: the job sizes it from its Spark workers)
   */
  readonly tableConcurrency?: number;
  /**
   * Hours snapshots stay readable by time travel before maintenance expires them; at least 24.
   * @default undefined (not passed: the job's own default, 168)
   */
  readonly snapshotRetentionHours?: number;
  /**
   * Iceberg row-level write mode of new full copies (see handlers/ingest/README.md).
   * @default undefined (not passed: the job's own default, copy-on-write)
   */
  readonly mergeMode?: "copy-on-write" | "merge-on-read";
}

export interface IngestTierArgs {
  /** Tags on the job and the schedule's role (the job adds `tier`). */
  readonly tags: LakeTags;
  /** The tier from tables.yaml: its name, schedule and whether it syncs every table (then it also runs maintenance). */
  readonly tier: TierSpec;
  /** IANA zone the schedule is evaluated in (the tier's, else the business time zone: model's tierTimeZone). */
  readonly timeZone: string;
  /** Physical job name; the coordinator starts it by this name, so it is known before the job exists. */
  readonly jobName: string;
  /** Size and behaviour of the job; an empty object takes every default. */
  readonly settings: TierJobSettings;
  /** The ingest job's role (ServiceRoles.ingestJobRole, or an existing one). */
  readonly roleArn: pulumi.Input<string>;
  /** Glue security configuration of the job (ServiceRoles.securityConfiguration: SSE-KMS for S3, logs and bookmarks). */
  readonly securityConfigurationName: pulumi.Input<string>;
  /** Name of the Glue connection to the source (SourceConnection, or an existing one). */
  readonly connectionName: pulumi.Input<string>;
  /** s3:// URI of the entry script (IngestCode.scriptUri). */
  readonly scriptUri: pulumi.Input<string>;
  /** s3:// URI of the zipped Python package (IngestCode.packageUri). */
  readonly packageUri: pulumi.Input<string>;
  /** s3:// URI of the JDBC driver jar (IngestCode.driverJarUri). */
  readonly driverJarUri: pulumi.Input<string>;
  /** s3://bucket/warehouse/ of the Iceberg warehouse. */
  readonly warehouseUri: pulumi.Input<string>;
  /** s3://bucket/prefix/ for Spark's temporary files. */
  readonly tempDirUri: pulumi.Input<string>;
  /**
   * Spark catalog name the Iceberg tables are addressed through (the coordinator must use the same).
   * @default "glue_catalog" ({@link DEFAULT_ICEBERG_CATALOG})
   */
  readonly icebergCatalog?: string;
  /** ARN of the coordinator Lambda the schedule invokes. */
  readonly coordinatorFunctionArn: pulumi.Input<string>;
  /** The lake's schedule group: the schedule lives in it and its role trusts only it (aws:SourceArn). */
  readonly scheduleGroup: {
    /** Name of the group (Coordinator.scheduleGroup.name). */
    readonly name: pulumi.Input<string>;
    /** ARN of the group (Coordinator.scheduleGroup.arn). */
    readonly arn: pulumi.Input<string>;
  };
  /** ARN of the SQS queue (KMS-encrypted) for firings that could not be delivered to the coordinator. */
  readonly deadLetterQueueArn: pulumi.Input<string>;
  /** The account the schedule's role trusts Scheduler in (aws:SourceAccount). */
  readonly accountId: pulumi.Input<string>;
}

/** handlers/contracts/iceberg-catalog.json: the job's catalog settings, shared with lake_ingest/localconf.py. */
interface IcebergCatalogSettings {
  readonly session: Readonly<Record<string, string>>;
  readonly sparkCatalogClass: string;
  readonly catalog: Readonly<Record<string, string>>;
  readonly awsOnlyCatalog: Readonly<Record<string, string>>;
  readonly localOnlyCatalog: Readonly<Record<string, string>>;
}

export { ICEBERG_CATALOG_FILE };

export function loadIcebergCatalogSettings(file = ICEBERG_CATALOG_FILE): IcebergCatalogSettings {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  for (const section of ["session", "catalog", "awsOnlyCatalog", "localOnlyCatalog"]) {
    const value = parsed[section];
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new Error(`${file}: field ${section} must be an object of Spark settings`);
    for (const [k, v] of Object.entries(value)) {
      if (typeof v !== "string" || /\s/.test(v) || /\s/.test(k))
        throw new Error(`${file}: field ${section}.${k} must be a string without spaces (Glue's --conf cannot carry them)`);
    }
  }
  if (typeof parsed.sparkCatalogClass !== "string") throw new Error(`${file}: field sparkCatalogClass must be a class name`);
  return parsed as unknown as IcebergCatalogSettings;
}

/**
 * Spark settings of the job in Glue, from iceberg-catalog.json: the Glue Data Catalog as an Iceberg
 * catalog (IAM-mode writer: no Lake Formation flag) and a UTC Spark session. The JVM default zone is
 * left to Glue (UTC on its workers; the job refuses any other zone): setting spark.*.extraJavaOptions
 * through --conf would replace the Java options Glue sets itself. Glue's --conf takes one value,
 * further settings chained with " --conf ".
 */
export function icebergSparkConf(catalog: string, warehouseUri: string, settings = loadIcebergCatalogSettings()): string {
  const c = `spark.sql.catalog.${catalog}`;
  const entries: [string, string][] = [
    ...Object.entries(settings.session),
    [c, settings.sparkCatalogClass],
    [`${c}.warehouse`, warehouseUri],
    ...Object.entries({ ...settings.catalog, ...settings.awsOnlyCatalog }).map(([k, v]): [string, string] => [`${c}.${k}`, v]),
  ];
  return entries.map(([k, v]) => `${k}=${v}`).join(" --conf ");
}

/** The job's concurrency and maintenance arguments; maintenance runs in the catch-all tier (daily). */
export function scaleArguments(s: TierJobSettings, catchAll: boolean): Record<string, string> {
  return {
    ...(s.tableConcurrency !== undefined ? { "--table_concurrency": String(s.tableConcurrency) } : {}),
    ...(s.snapshotRetentionHours !== undefined ? { "--snapshot_retention_hours": String(s.snapshotRetentionHours) } : {}),
    ...(s.mergeMode !== undefined ? { "--merge_mode": s.mergeMode } : {}),
    "--maintenance": catchAll ? "true" : "false",
  };
}

export class IngestTier extends pulumi.ComponentResource {
  readonly job: aws.glue.Job;
  readonly jobName: pulumi.Output<string>;
  readonly schedule: aws.scheduler.Schedule;
  readonly scheduleRole: aws.iam.Role;

  constructor(name: string, args: IngestTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:ingest:IngestTier", name, {}, opts);
    const parent = { parent: this };
    const s = args.settings;
    const d = GLUE_JOB_DEFAULTS;
    const workers = s.numberOfWorkers ?? d.numberOfWorkers;
    if (!Number.isInteger(workers) || workers < 2)
      throw new Error(`IngestTier ${name}: numberOfWorkers must be a whole number >= 2 (got ${workers})`);

    this.job = new aws.glue.Job(
      `${name}-job`,
      {
        name: args.jobName,
        description: `Ingest tier ${args.tier.name}: loads the tables of each run manifest the coordinator passes`,
        roleArn: args.roleArn,
        glueVersion: s.glueVersion ?? d.glueVersion,
        command: { name: "glueetl", pythonVersion: "3", scriptLocation: args.scriptUri },
        workerType: s.workerType ?? d.workerType,
        numberOfWorkers: workers,
        timeout: s.timeoutMinutes ?? d.timeoutMinutes,
        maxRetries: 0, // a retry is a new coordinator run with fresh leases, never a blind re-run
        executionClass: (s.flex ?? d.flex) ? "FLEX" : "STANDARD",
        executionProperty: { maxConcurrentRuns: s.maxConcurrentRuns ?? d.maxConcurrentRuns },
        connections: [args.connectionName],
        securityConfiguration: args.securityConfigurationName,
        defaultArguments: {
          "--job-language": "python",
          "--job-bookmark-option": "job-bookmark-disable",
          "--enable-metrics": "true",
          "--enable-observability-metrics": "true",
          "--enable-continuous-cloudwatch-log": "true",
          "--enable-glue-datacatalog": "true",
          "--datalake-formats": "iceberg",
          "--conf": pulumi.output(args.warehouseUri).apply((w) => icebergSparkConf(args.icebergCatalog ?? DEFAULT_ICEBERG_CATALOG, w)),
          "--extra-jars": args.driverJarUri,
          "--extra-py-files": args.packageUri,
          "--TempDir": args.tempDirUri,
          // The run's state table, tier and source connection reach the job in its manifest only.
          ...scaleArguments(s, args.tier.syncsAllTables === true),
        },
        tags: { ...args.tags, tier: args.tier.name },
      },
      parent,
    );
    this.jobName = this.job.name;

    // EventBridge Scheduler calls the coordinator with the tier; the role may invoke only it.
    this.scheduleRole = new aws.iam.Role(
      `${name}-schedule-role`,
      {
        description: `Scheduler for tier ${args.tier.name}: invokes the coordinator`,
        // Scheduler's documented confused-deputy guard: the schedule group's ARN.
        assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", args.accountId, [args.scheduleGroup.arn]),
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-schedule-invoke`,
      {
        role: this.scheduleRole.id,
        policy: policyDocument([
          { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: args.coordinatorFunctionArn },
          // Scheduler sends undeliverable firings to the dead-letter queue with this role.
          { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: args.deadLetterQueueArn },
        ]),
      },
      { parent: this.scheduleRole },
    );
    this.schedule = new aws.scheduler.Schedule(
      `${name}-schedule`,
      {
        description: `${args.tier.name}: ${args.tier.description ?? args.tier.schedule}`,
        groupName: args.scheduleGroup.name,
        scheduleExpression: args.tier.schedule,
        scheduleExpressionTimezone: args.timeZone,
        flexibleTimeWindow: { mode: "OFF" },
        state: "ENABLED",
        target: {
          arn: args.coordinatorFunctionArn,
          roleArn: this.scheduleRole.arn,
          // <aws.scheduler.scheduled-time> makes duplicate deliveries of one firing share a run id.
          input: JSON.stringify({ kind: "schedule", tier: args.tier.name, scheduledAt: "<aws.scheduler.scheduled-time>" }),
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 600 },
          deadLetterConfig: { arn: args.deadLetterQueueArn },
        },
      },
      parent,
    );
    this.registerOutputs({ jobName: this.jobName, scheduleName: this.schedule.name });
  }
}
