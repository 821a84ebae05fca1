/**
 * Coordinator (wiring): the per-table state table, the coordinator Lambda bundled from
 * handlers/coordinator with tables.yaml beside it, its least-privilege role, the EventBridge
 * rule that brings this lake's Glue job state changes to it, the alert topic and alarms, and the
 * dead-letter queues of every way it is invoked (schedules, rules, failed asynchronous calls).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { isValidTimeZone, type SourceEngine } from "../model";
import { renderCoordinatorEnv } from "../handlers/contracts/coordinatorEnv";
import { policyDocument, serviceTrustPolicy, type LakeTags } from "./common";
import { METRIC_NAMESPACE as COORDINATOR_METRIC_NAMESPACE, metricDimensions, type MetricScope } from "../handlers/coordinator/core/metrics";
import { bundleHandler } from "./lambdaBundle";
import { COORDINATOR_DEFAULTS } from "./defaults";
import type { LakeStorageRef } from "./references";

export interface CoordinatorArgs {
  /** Tags on every taggable child (table, topic, queues, function, role, rules, alarms, log group). */
  readonly tags: LakeTags;
  /**
   * The lake's key and the scripts, raw and warehouse buckets, by reference (a LakeStorage, or an
   * existing estate's names and ARNs): everything the coordinator creates is encrypted with the
   * key; it writes manifests to and reads results from the scripts bucket.
   */
  readonly storage: LakeStorageRef<"scripts" | "raw" | "warehouse">;
  /** Local path of the handler's entry (COORDINATOR_HANDLER_ENTRY, handlers/coordinator/index.ts), bundled with esbuild. */
  readonly handlerEntry: string;
  /** Local path of tables.yaml, shipped next to the bundle so the Lambda reads the same model. */
  readonly tablesFile: string;
  /** Stack name: a dimension of the coordinator's metrics. */
  readonly environmentName: string;
  /** The tier that loads every table daily: a day without loads there raises an alarm. */
  readonly catchAllTier: string;
  /** Tier name -> physical Glue job name (known before the jobs exist: the jobs' schedules invoke this coordinator). */
  readonly tierJobs: Readonly<Record<string, string>>;
  /** Domain -> physical raw-zone crawler name. */
  readonly crawlers: Readonly<Record<string, string>>;
  /** The source the run manifests name (SOURCE_ENGINE, SOURCE_DATABASE, SOURCE_SCHEMA, SOURCE_CONNECTION). */
  readonly source: {
    readonly engine: SourceEngine;
    readonly database: string;
    /**
     * Schema the source tables live in.
     * @default the engine's default schema (the database for MariaDB/MySQL, `public` for PostgreSQL)
     */
    readonly schema?: string;
    /** The Glue connection the tier jobs read the source through. */
    readonly connectionName: pulumi.Input<string>;
  };
  /** IANA zone of the tier schedules and business days (BUSINESS_TIME_ZONE). */
  readonly businessTimeZone: string;
  /**
   * Spark catalog name of the full copies in the run manifests (ICEBERG_CATALOG).
   * @default "glue_catalog" ({@link DEFAULT_ICEBERG_CATALOG}, the handler's default)
   */
  readonly icebergCatalog?: string;
  /** Prefix of the lake's catalog databases: catalog reads stop at them. */
  readonly databasePrefix: string;
  /** Seconds a lease lasts; must be longer than longestJobTimeoutMinutes. */
  readonly leaseSeconds: number;
  /** The longest timeout of the tiers' jobs, in minutes (checked against leaseSeconds). */
  readonly longestJobTimeoutMinutes: number;
  /** LF-tag key the coordinator associates with PII columns (GovernanceTags.piiKey, or an existing tag's key). */
  readonly piiTagKey: pulumi.Input<string>;
  /**
   * E-mail address subscribed to the alert topic.
   * @default undefined (no subscription: subscribe the topic yourself)
   */
  readonly alertEmail?: string;
  /** IANA zone the source's DATETIME wall times are in (stack config lake:source.timeZone): SOURCE_TIME_ZONE. */
  readonly sourceTimeZone: string;
  /** The account: event patterns, trust policies and ARNs are limited to it. */
  readonly accountId: pulumi.Input<string>;
  /** The region of the Glue and log ARNs in the role's policy. */
  readonly region: pulumi.Input<string>;
  /**
   * Resources the coordinator's Lake Formation grant waits for (DataLakeSettings, the pii LF-tag).
   * @default [] (nothing beyond the tag key's own dependencies)
   */
  readonly grantsDependOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * Log retention of the function's log group, in days.
   * @default 90 ({@link COORDINATOR_DEFAULTS})
   */
  readonly logRetentionDays?: number;
  /**
   * Concurrent executions reserved for (and capping) the coordinator.
   * @default 10 ({@link COORDINATOR_DEFAULTS})
   */
  readonly reservedConcurrency?: number;
}

export class Coordinator extends pulumi.ComponentResource {
  readonly stateTable: aws.dynamodb.Table;
  readonly function: aws.lambda.Function;
  readonly role: aws.iam.Role;
  readonly alertTopic: aws.sns.Topic;
  readonly jobStateRule: aws.cloudwatch.EventRule;
  readonly crawlerStateRule: aws.cloudwatch.EventRule;
  /** Events and schedule firings that could not be delivered to the coordinator. */
  readonly deliveryDeadLetters: aws.sqs.Queue;
  /** Asynchronous invocations that failed after Lambda's retries (on-failure destination). */
  readonly failedInvocations: aws.sqs.Queue;
  /** The lake's EventBridge Scheduler group: tier schedules live in it, their roles trust only it. */
  readonly scheduleGroup: aws.scheduler.ScheduleGroup;
  readonly bundleBytes: number;
  /** LAKE_NAME and ENVIRONMENT of the function: the Lake and Environment dimensions of its metrics. */
  readonly metricScope: MetricScope;

  constructor(name: string, args: CoordinatorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:runtime:Coordinator", name, {}, opts);
    const parent = { parent: this };
    const { storage, accountId, region } = args;
    // The function's LAKE_NAME is the component's name; its metrics and the alarms below share it.
    this.metricScope = { lakeName: name, environment: args.environmentName };
    if (!isValidTimeZone(args.sourceTimeZone)) {
      throw new Error(`Coordinator ${name}: sourceTimeZone "${args.sourceTimeZone}" is not an IANA Area/Location time zone or "UTC"`);
    }
    if (args.leaseSeconds <= args.longestJobTimeoutMinutes * 60) {
      throw new Error(
        `Coordinator ${name}: leaseSeconds (${args.leaseSeconds}) must be longer than the longest job timeout (${args.longestJobTimeoutMinutes} min), or a slow run could lose its tables to another`,
      );
    }

    this.stateTable = new aws.dynamodb.Table(
      `${name}-state`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "pk",
        attributes: [{ name: "pk", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: storage.keyArn },
        ttl: { attributeName: "ttl", enabled: true },
        deletionProtectionEnabled: true,
        tags: args.tags,
      },
      parent,
    );

    this.alertTopic = new aws.sns.Topic(`${name}-alerts`, { kmsMasterKeyId: storage.keyArn, tags: args.tags }, parent);
    if (args.alertEmail) {
      new aws.sns.TopicSubscription(
        `${name}-alerts-email`,
        { topic: this.alertTopic.arn, protocol: "email", endpoint: args.alertEmail },
        { parent: this.alertTopic },
      );
    }

    // Dead letters are kept 14 days (the SQS maximum), encrypted with the lake key.
    const queue = (suffix: string): aws.sqs.Queue =>
      new aws.sqs.Queue(
        `${name}-${suffix}`,
        { messageRetentionSeconds: 14 * 24 * 3600, kmsMasterKeyId: storage.keyArn, kmsDataKeyReusePeriodSeconds: 300, tags: args.tags },
        parent,
      );
    this.deliveryDeadLetters = queue("delivery-dead-letters");
    this.failedInvocations = queue("failed-invocations");
    this.scheduleGroup = new aws.scheduler.ScheduleGroup(`${name}-schedules`, { name, tags: args.tags }, parent);

    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/lambda/${name}-coordinator`,
        retentionInDays: args.logRetentionDays ?? COORDINATOR_DEFAULTS.logRetentionDays,
        kmsKeyId: storage.keyArn,
        tags: args.tags,
      },
      parent,
    );

    const glueArn = (kind: string, n: string): pulumi.Output<string> =>
      pulumi.interpolate`arn:aws:glue:${region}:${accountId}:${kind}/${n}`;
    this.role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "Coordinator Lambda: leases tables, writes manifests, starts jobs and crawlers",
        assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", accountId),
        tags: args.tags,
      },
      parent,
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      {
        role: this.role.id,
        policy: policyDocument([
          {
            Sid: "TableState",
            Effect: "Allow",
            Action: [
              "dynamodb:GetItem",
              "dynamodb:BatchGetItem",
              "dynamodb:PutItem",
              "dynamodb:UpdateItem",
              "dynamodb:Query",
              "dynamodb:ConditionCheckItem",
            ],
            Resource: this.stateTable.arn,
          },
          {
            Sid: "RunManifests",
            Effect: "Allow",
            Action: ["s3:PutObject", "s3:GetObject"],
            Resource: pulumi.interpolate`${storage.buckets.scripts.arn}/manifests/*`,
          },
          {
            // The job's outcome per table (reconcile statistics), written by the job under results/.
            Sid: "RunResults",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: pulumi.interpolate`${storage.buckets.scripts.arn}/results/*`,
          },
          {
            Sid: "StartTierJobs",
            Effect: "Allow",
            Action: ["glue:StartJobRun", "glue:GetJobRun"],
            Resource: Object.values(args.tierJobs).map((j) => glueArn("job", j)),
          },
          {
            Sid: "TargetCrawlers",
            Effect: "Allow",
            Action: ["glue:GetCrawler", "glue:UpdateCrawler", "glue:StartCrawler"],
            Resource: Object.values(args.crawlers).map((c) => glueArn("crawler", c)),
          },
          {
            Sid: "ReadCatalogForTagging",
            Effect: "Allow",
            Action: ["glue:GetTable", "glue:GetDatabase"],
            Resource: [
              pulumi.interpolate`arn:aws:glue:${region}:${accountId}:catalog`,
              glueArn("database", `${args.databasePrefix}_*`),
              glueArn("table", `${args.databasePrefix}_*/*`),
            ],
          },
          {
            // Raw tables' description, lake.* parameters and column comments (finalize): the
            // crawler creates them; the full copies are described by the job through Iceberg.
            Sid: "DescribeRawTables",
            Effect: "Allow",
            Action: ["glue:UpdateTable"],
            Resource: [
              pulumi.interpolate`arn:aws:glue:${region}:${accountId}:catalog`,
              glueArn("database", `${args.databasePrefix}_*_raw`),
              glueArn("table", `${args.databasePrefix}_*_raw/*`),
            ],
          },
          // Lake Formation's tagging API has no resource-level IAM; LF permissions scope it.
          {
            Sid: "TagPiiColumns",
            Effect: "Allow",
            Action: ["lakeformation:AddLFTagsToResource", "lakeformation:GetResourceLFTags"],
            Resource: "*",
          },
          { Sid: "Alerts", Effect: "Allow", Action: ["sns:Publish"], Resource: this.alertTopic.arn },
          // Lambda sends a failed asynchronous invocation to the on-failure destination with this role.
          { Sid: "FailedInvocations", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: this.failedInvocations.arn },
          { Sid: "Encryption", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: storage.keyArn },
          {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroup.arn}:*`,
          },
        ]),
      },
      { parent: this.role },
    );
    // Associating pii=true with columns needs ASSOCIATE on the tag itself.
    new aws.lakeformation.Permissions(
      `${name}-pii-tag-associate`,
      {
        principal: this.role.arn,
        permissions: ["ASSOCIATE", "DESCRIBE"],
        permissionsWithGrantOptions: [],
        lfTag: { key: args.piiTagKey, values: ["false", "true"] },
      },
      { parent: this, dependsOn: args.grantsDependOn ?? [] },
    );

    const bundle = bundleHandler(args.handlerEntry);
    this.bundleBytes = bundle.bytes;
    this.function = new aws.lambda.Function(
      `${name}-function`,
      {
        name: `${name}-coordinator`,
        description: "Plans tier runs, leases tables, starts the Glue job, finalizes and skips the crawler when nothing changed",
        runtime: aws.lambda.Runtime.NodeJS22dX,
        architectures: ["arm64"],
        handler: "index.handler",
        role: this.role.arn,
        memorySize: 512,
        timeout: 300,
        reservedConcurrentExecutions: args.reservedConcurrency ?? COORDINATOR_DEFAULTS.reservedConcurrency,
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(bundle.code),
          "tables.yaml": new pulumi.asset.FileAsset(args.tablesFile),
        }),
        kmsKeyArn: storage.keyArn,
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: {
          variables: renderCoordinatorEnv<pulumi.Input<string>>({
            lakeName: this.metricScope.lakeName,
            environment: this.metricScope.environment,
            stateTable: this.stateTable.name,
            manifestBucket: storage.buckets.scripts.name,
            rawBucket: storage.buckets.raw.name,
            warehouseBucket: storage.buckets.warehouse.name,
            databasePrefix: args.databasePrefix,
            tierJobs: args.tierJobs,
            crawlers: args.crawlers,
            alertTopicArn: this.alertTopic.arn,
            sourceEngine: args.source.engine,
            sourceDatabase: args.source.database,
            ...(args.source.schema !== undefined ? { sourceSchema: args.source.schema } : {}),
            sourceConnection: args.source.connectionName,
            sourceTimeZone: args.sourceTimeZone,
            leaseSeconds: args.leaseSeconds,
            businessTimeZone: args.businessTimeZone,
            tablesFile: "tables.yaml",
            ...(args.icebergCatalog !== undefined ? { icebergCatalog: args.icebergCatalog } : {}),
            piiTagKey: args.piiTagKey,
          }),
        },
        tags: args.tags,
      },
      { parent: this, dependsOn: [logGroup] },
    );

    new aws.lambda.FunctionEventInvokeConfig(
      `${name}-async-failures`,
      {
        functionName: this.function.name,
        maximumRetryAttempts: 2,
        maximumEventAgeInSeconds: 6 * 3600,
        destinationConfig: { onFailure: { destination: this.failedInvocations.arn } },
      },
      { parent: this.function },
    );

    // Only this account's events, only this lake's jobs, only terminal states.
    this.jobStateRule = new aws.cloudwatch.EventRule(
      `${name}-job-state`,
      {
        description: "Glue Job State Change of this lake's tier jobs -> coordinator finalize",
        eventPattern: pulumi.output(accountId).apply((account) =>
          JSON.stringify({
            account: [account],
            source: ["aws.glue"],
            "detail-type": ["Glue Job State Change"],
            detail: { jobName: Object.values(args.tierJobs), state: ["SUCCEEDED", "FAILED", "TIMEOUT", "STOPPED", "ERROR"] },
          }),
        ),
        tags: args.tags,
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-job-state-target`,
      {
        rule: this.jobStateRule.name,
        arn: this.function.arn,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deliveryDeadLetters.arn },
      },
      { parent: this.jobStateRule },
    );
    new aws.lambda.Permission(
      `${name}-job-state-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        principal: "events.amazonaws.com",
        sourceArn: this.jobStateRule.arn,
        sourceAccount: accountId,
      },
      { parent: this.jobStateRule },
    );

    // Crawler ends: serve pending crawls, tag the new raw tables' PII columns, re-queue failures.
    const crawlerStateRule = (this.crawlerStateRule = new aws.cloudwatch.EventRule(
      `${name}-crawler-state`,
      {
        description: "Glue Crawler State Change of this lake's raw-zone crawlers -> coordinator",
        eventPattern: pulumi.output(accountId).apply((account) =>
          JSON.stringify({
            account: [account],
            source: ["aws.glue"],
            "detail-type": ["Glue Crawler State Change"],
            detail: { crawlerName: Object.values(args.crawlers), state: ["Succeeded", "Failed"] },
          }),
        ),
        tags: args.tags,
      },
      parent,
    ));
    new aws.cloudwatch.EventTarget(
      `${name}-crawler-state-target`,
      {
        rule: crawlerStateRule.name,
        arn: this.function.arn,
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deliveryDeadLetters.arn },
      },
      { parent: crawlerStateRule },
    );
    new aws.lambda.Permission(
      `${name}-crawler-state-invoke`,
      {
        action: "lambda:InvokeFunction",
        function: this.function.name,
        principal: "events.amazonaws.com",
        sourceArn: crawlerStateRule.arn,
        sourceAccount: accountId,
      },
      { parent: crawlerStateRule },
    );

    const alarm = (suffix: string, alarmArgs: Omit<aws.cloudwatch.MetricAlarmArgs, "alarmActions" | "okActions" | "tags">): void => {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        { ...alarmArgs, alarmActions: [this.alertTopic.arn], okActions: [this.alertTopic.arn], tags: args.tags },
        parent,
      );
    };
    // EventBridge delivers a rule's undeliverable events itself (service principal, per rule).
    new aws.sqs.QueuePolicy(
      `${name}-delivery-dead-letters-policy`,
      {
        queueUrl: this.deliveryDeadLetters.url,
        policy: policyDocument([
          {
            Sid: "RulesOfThisLake",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: this.deliveryDeadLetters.arn,
            Condition: { ArnEquals: { "aws:SourceArn": [this.jobStateRule.arn, crawlerStateRule.arn] } },
          },
        ]),
      },
      { parent: this.deliveryDeadLetters },
    );
    for (const [suffix, q, what] of [
      [
        "delivery-dead-letters-alarm",
        this.deliveryDeadLetters,
        "Schedule firings or Glue events could not be delivered to the coordinator",
      ],
      ["failed-invocations-alarm", this.failedInvocations, "Coordinator invocations failed after Lambda's retries"],
    ] as const) {
      alarm(suffix, {
        alarmDescription: `${what}: the queue holds them for replay (14 days)`,
        namespace: "AWS/SQS",
        metricName: "ApproximateNumberOfMessagesVisible",
        dimensions: { QueueName: q.name },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
    alarm("errors-alarm", {
      alarmDescription: "The coordinator Lambda failed: runs may not start or finalize",
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: this.function.name },
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
    for (const tier of Object.keys(args.tierJobs)) {
      alarm(`${tier.replace(/_/g, "-")}-tables-failed-alarm`, {
        alarmDescription: `Tables of tier ${tier} failed to load (the alert e-mail says which and why)`,
        namespace: COORDINATOR_METRIC_NAMESPACE,
        metricName: "TablesFailed",
        dimensions: { ...metricDimensions(this.metricScope, { Tier: tier }) },
        statistic: "Sum",
        period: 900,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
      });
    }
    alarm("no-loads-alarm", {
      alarmDescription: `No table loaded by tier ${args.catchAllTier} for a day: schedules, coordinator or jobs are stuck`,
      namespace: COORDINATOR_METRIC_NAMESPACE,
      metricName: "TablesLoaded",
      dimensions: { ...metricDimensions(this.metricScope, { Tier: args.catchAllTier }) },
      statistic: "Sum",
      period: 86400,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    });

    this.registerOutputs({
      stateTableName: this.stateTable.name,
      functionName: this.function.name,
      alertTopicArn: this.alertTopic.arn,
      bundleBytes: this.bundleBytes,
    });
  }
}
