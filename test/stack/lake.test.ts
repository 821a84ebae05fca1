/**
 * The program under Pulumi mocks, for the example tables.yaml and a generated 300-table one.
 * Assertions are on the exact inputs that matter for security and correctness.
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firesOnWeekends, loadTablesYaml, parseCron } from "../../model";
import { INGEST_CODE } from "../../stacks/ingestCodePaths";
import { REPO_ROOT, runLakeProgram } from "../../stacks/program";
import { stackFileConfig, withConfig } from "../fixtures/stackConfig";
import { syntheticTablesYaml } from "../fixtures/syntheticTables";
import { ACCOUNT_ID, ofType, parseJson, REGION, runWithMocks, type RecordedResource } from "./harness";

type Dict = Record<string, unknown>;
const PERMISSIONS = "aws:lakeformation/permissions:Permissions";
const SETTINGS = "aws:lakeformation/dataLakeSettings:DataLakeSettings";
const COORDINATOR_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT_ID}:acme-dev-coordinator`;
const DELIVERY_DLQ_ARN = `arn:aws:sqs:${REGION}:${ACCOUNT_ID}:acme-dev-delivery-dead-letters-x1`;
const dev = stackFileConfig("dev");
const principals = dev["lake:rolePrincipals"] as Record<string, string>;

function grantsTo(resources: RecordedResource[], principal: string): Dict[] {
  return ofType(resources, PERMISSIONS)
    .map((r) => r.inputs)
    .filter((i) => i.principal === principal);
}

function tagExpressions(grant: Dict): { key: string; values: string[] }[] {
  return ((grant.lfTagPolicy as Dict | undefined)?.expressions as { key: string; values: string[] }[] | undefined) ?? [];
}

describe("the lake program (Pulumi mocks)", function () {
  this.timeout(120_000);
  let example: RecordedResource[];
  let large: RecordedResource[];

  before(async () => {
    example = (await runWithMocks(dev, () => runLakeProgram())).resources;
    const dir = mkdtempSync(join(tmpdir(), "lake-300-"));
    const file = join(dir, "tables.yaml");
    writeFileSync(file, syntheticTablesYaml(300));
    large = (await runWithMocks(withConfig(dev, { "lake:tablesFile": file }), () => runLakeProgram())).resources;
  });

  it("creates exactly one Glue job per tier, whatever the number of tables", () => {
    for (const resources of [example, large]) {
      const jobs = ofType(resources, "aws:glue/job:Job");
      assert.deepEqual(jobs.map((j) => j.inputs.name).sort(), ["acme-dev-daily", "acme-dev-every-15-min"]);
    }
  });

  it("keeps resource and grant counts independent of the number of tables (45 vs 300)", () => {
    const count = (rs: RecordedResource[], type?: string): number => (type ? ofType(rs, type).length : rs.length);
    assert.equal(count(large, PERMISSIONS), count(example, PERMISSIONS));
    assert.equal(count(large), count(example));
  });

  it("runs jobs on Glue 5.1 with bookmarks disabled, a security configuration, workers from config and Flex only where configured", () => {
    const jobs = Object.fromEntries(ofType(example, "aws:glue/job:Job").map((j) => [j.inputs.name as string, j.inputs]));
    for (const job of Object.values(jobs)) {
      const args = job.defaultArguments as Dict;
      assert.equal(job.glueVersion, "5.1");
      assert.equal(job.maxCapacity, undefined);
      assert.equal(args["--job-bookmark-option"], "job-bookmark-disable");
      assert.equal(args["--datalake-formats"], "iceberg");
      assert.match(String(args["--extra-jars"]), /mariadb-java-client/);
      assert.ok(typeof job.securityConfiguration === "string" && job.securityConfiguration.length > 0);
      assert.equal((job.command as Dict).name, "glueetl");
      // Glue takes one --conf value with further settings chained by " --conf ".
      // From handlers/contracts/iceberg-catalog.json; IAM-mode writer: no Lake Formation flag.
      assert.deepEqual(String(args["--conf"]).split(" --conf "), [
        "spark.sql.extensions=org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        "spark.sql.session.timeZone=UTC",
        "spark.sql.catalog.glue_catalog=org.apache.iceberg.spark.SparkCatalog",
        "spark.sql.catalog.glue_catalog.warehouse=s3://acme-dev-warehouse-bucket-x1/warehouse/",
        "spark.sql.catalog.glue_catalog.catalog-impl=org.apache.iceberg.aws.glue.GlueCatalog",
        "spark.sql.catalog.glue_catalog.io-impl=org.apache.iceberg.aws.s3.S3FileIO",
      ]);
      assert.doesNotMatch(String(args["--conf"]), /lakeformation/);
      // State table, tier and connection reach the job in the run manifest only.
      for (const name of ["--state_table", "--tier", "--connection_name"]) assert.equal(args[name], undefined, name);
    }
    assert.deepEqual(
      [jobs["acme-dev-daily"].numberOfWorkers, jobs["acme-dev-daily"].executionClass, jobs["acme-dev-daily"].timeout],
      [4, "FLEX", 120],
    );
    assert.deepEqual([jobs["acme-dev-every-15-min"].numberOfWorkers, jobs["acme-dev-every-15-min"].executionClass], [2, "STANDARD"]);
    // Iceberg maintenance runs in the catch-all tier's runs only (once a day per table).
    const maintenance = (job: Dict): unknown => (job.defaultArguments as Dict)["--maintenance"];
    assert.deepEqual([maintenance(jobs["acme-dev-daily"]), maintenance(jobs["acme-dev-every-15-min"])], ["true", "false"]);
  });

  it("schedules each tier in its time zone, the 15-minute tier Monday to Friday only", () => {
    const schedules = ofType(example, "aws:scheduler/schedule:Schedule").map((s) => s.inputs);
    assert.equal(schedules.length, 2);
    for (const s of schedules) assert.equal(s.scheduleExpressionTimezone, "Europe/Berlin");
    const frequent = schedules.find((s) => parseJson<Dict>((s.target as Dict).input).tier === "every_15_min");
    assert.ok(frequent);
    assert.equal(frequent.scheduleExpression, "cron(0/15 6-19 ? * MON-FRI *)");
    assert.equal(firesOnWeekends(parseCron(String(frequent.scheduleExpression))), false);
    const daily = schedules.find((s) => parseJson<Dict>((s.target as Dict).input).tier === "daily");
    assert.equal(firesOnWeekends(parseCron(String(daily?.scheduleExpression))), true, "the daily tier covers weekends");
  });

  it("never addresses tables by wildcard or prefix: crawler targets are /-terminated folders, grants are by tag or name", () => {
    for (const resources of [example, large]) {
      for (const crawler of ofType(resources, "aws:glue/crawler:Crawler")) {
        assert.equal(crawler.inputs.schedule, undefined, "crawlers have no schedule of their own");
        for (const target of crawler.inputs.s3Targets as Dict[]) {
          const path = String(target.path);
          assert.match(path, /^s3:\/\/[^*?[{]+\/$/, path);
          assert.equal(target.exclusions, undefined);
        }
      }
      for (const { name, inputs: grant } of ofType(resources, PERMISSIONS)) {
        assert.equal(grant.catalogResource, undefined);
        assert.equal((grant.table as Dict | undefined)?.wildcard, undefined);
        assert.equal(grant.tableWithColumns, undefined);
        for (const e of tagExpressions(grant)) assert.ok(!e.values.includes("*"), JSON.stringify(grant));
        assert.notEqual(grant.principal, "IAM_ALLOWED_PRINCIPALS");
        // The one exception, the coordinator's tag-assigner grant, is checked in piiFailClosed.test.ts.
        if (!name.endsWith("-coordinator-tag-assigner")) assert.deepEqual(grant.permissionsWithGrantOptions, [], name);
      }
    }
    // The job code is not told any table list: only the run manifest names tables, exactly.
    const jobArgs = JSON.stringify(ofType(example, "aws:glue/job:Job").map((j) => j.inputs.defaultArguments));
    assert.ok(!jobArgs.includes("customer"), "no table name (or pattern) is baked into the jobs");
  });

  it("grants the manufacturing role its domains only, never finance", () => {
    const grants = grantsTo(example, principals.manufacturing_analyst);
    assert.equal(grants.length, 2);
    for (const grant of grants) {
      const domain = tagExpressions(grant).find((e) => e.key === "domain");
      assert.deepEqual(domain?.values, ["logistics", "manufacturing"]);
    }
    const finance = ofType(example, PERMISSIONS).filter((r) =>
      tagExpressions(r.inputs).some((e) => e.key === "domain" && e.values.includes("finance")),
    );
    const financePrincipals = new Set(finance.map((r) => r.inputs.principal));
    assert.ok(!financePrincipals.has(principals.manufacturing_analyst));
    assert.ok(!financePrincipals.has(principals.hr_partner));
  });

  it("hides PII from roles not cleared for it, and only from them", () => {
    const model = loadTablesYaml("tables.yaml");
    for (const rule of model.access) {
      const grants = grantsTo(example, principals[rule.role]);
      const table = grants.find((g) => (g.lfTagPolicy as Dict).resourceType === "TABLE");
      const database = grants.find((g) => (g.lfTagPolicy as Dict).resourceType === "DATABASE");
      assert.ok(table && database, rule.role);
      assert.deepEqual(database.permissions, ["DESCRIBE"]);
      assert.deepEqual(table.permissions, ["SELECT", "DESCRIBE"]);
      const pii = tagExpressions(table).find((e) => e.key === "pii");
      if (rule.pii) assert.equal(pii, undefined, `${rule.role} is cleared: no pii condition`);
      else assert.deepEqual(pii?.values, ["false"], `${rule.role} is not cleared: pii=false only`);
      assert.deepEqual(tagExpressions(table).find((e) => e.key === "domain")?.values, [...rule.domains].sort());
    }
  });

  it("tags every catalog database with its domain and pii=true (fail closed), and registers locations with the data-access role", () => {
    const tags = ofType(example, "aws:lakeformation/resourceLfTags:ResourceLfTags");
    assert.equal(tags.length, 10);
    for (const t of tags) {
      const lfTags = t.inputs.lfTags as { key: string; value: string }[];
      assert.deepEqual(lfTags.map((x) => x.key).sort(), ["domain", "pii"]);
      assert.equal(lfTags.find((x) => x.key === "pii")?.value, "true");
    }
    for (const r of ofType(example, "aws:lakeformation/resource:Resource")) {
      assert.equal(r.inputs.useServiceLinkedRole, false);
      assert.match(String(r.inputs.roleArn), /:role\/acme-dev-service-data-access/);
    }
    const databases = ofType(example, "aws:glue/catalogDatabase:CatalogDatabase");
    assert.equal(databases.length, 10);
    for (const db of databases) {
      assert.ok("createTableDefaultPermissions" in db.inputs, `${db.name} sets createTableDefaultPermissions`);
      assert.deepEqual(db.inputs.createTableDefaultPermissions, [], db.name);
    }
  });

  it("creates catalog databases and registers locations only after DataLakeSettings", () => {
    const [settings] = ofType(example, SETTINGS);
    assert.ok(settings.urn);
    const waiting = [
      ...ofType(example, "aws:glue/catalogDatabase:CatalogDatabase"),
      ...ofType(example, "aws:lakeformation/resource:Resource"),
      ...ofType(example, PERMISSIONS),
    ];
    assert.equal(waiting.filter((r) => r.type !== PERMISSIONS).length, 20, "5 domains x (2 databases + 2 locations)");
    for (const r of waiting) assert.ok(r.dependencies.includes(settings.urn), `${r.type} ${r.name} depends on DataLakeSettings`);
  });

  it("owns DataLakeSettings with the configured admins and no default permissions, and grants none of them", () => {
    const [settings] = ofType(example, SETTINGS).map((r) => r.inputs);
    assert.deepEqual(settings.admins, (dev["lake:lakeFormation"] as Dict).admins);
    // Present and empty: an omitted field would leave the account's IAMAllowedPrincipals default in place.
    assert.ok("createDatabaseDefaultPermissions" in settings, "createDatabaseDefaultPermissions is set");
    assert.ok("createTableDefaultPermissions" in settings, "createTableDefaultPermissions is set");
    assert.deepEqual(settings.createDatabaseDefaultPermissions, []);
    assert.deepEqual(settings.createTableDefaultPermissions, []);
    const admins = new Set(settings.admins as string[]);
    for (const grant of ofType(example, PERMISSIONS)) assert.ok(!admins.has(String(grant.inputs.principal)));
  });

  it("encrypts every bucket with the lake key and a bucket key, blocks public access, versions it and denies plain HTTP", () => {
    const buckets = ofType(example, "aws:s3/bucket:Bucket");
    assert.equal(buckets.length, 4);
    const [key] = ofType(example, "aws:kms/key:Key");
    assert.equal(key.inputs.enableKeyRotation, true);
    const forBucket = (type: string, name: string): Dict => {
      const found = ofType(example, type).filter((r) => r.inputs.bucket === name);
      assert.equal(found.length, 1, `${type} for ${name}`);
      return found[0].inputs;
    };
    for (const bucket of buckets) {
      const name = `${bucket.name}-bucket-x1`;
      const sse = (
        forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", name).rules as Dict[]
      )[0];
      assert.equal((sse.applyServerSideEncryptionByDefault as Dict).sseAlgorithm, "aws:kms");
      assert.match(String((sse.applyServerSideEncryptionByDefault as Dict).kmsMasterKeyId), /^arn:aws:kms:/);
      assert.equal(sse.bucketKeyEnabled, true);
      const pab = forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", name);
      assert.deepEqual(
        [pab.blockPublicAcls, pab.blockPublicPolicy, pab.ignorePublicAcls, pab.restrictPublicBuckets],
        [true, true, true, true],
      );
      assert.equal((forBucket("aws:s3/bucketVersioning:BucketVersioning", name).versioningConfiguration as Dict).status, "Enabled");
      const policy = parseJson<{ Statement: Dict[] }>(forBucket("aws:s3/bucketPolicy:BucketPolicy", name).policy);
      const deny = policy.Statement.find((s) => s.Effect === "Deny");
      assert.deepEqual(deny?.Condition, { Bool: { "aws:SecureTransport": false } });
      assert.deepEqual(deny?.Resource, [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`]);
      assert.ok(!policy.Statement.some((s) => s.Effect === "Allow" && s.Principal === "*"));
    }
    const raw = forBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "acme-dev-raw-bucket-x1").rules as Dict[];
    assert.deepEqual([raw[0].filter, (raw[0].expiration as Dict).days], [{ prefix: "raw/" }, 400]);
  });

  it("lets CloudWatch alarms publish to the KMS-encrypted alert topic, for this account's alarms only", () => {
    const [key] = ofType(example, "aws:kms/key:Key");
    const [topic] = ofType(example, "aws:sns/topic:Topic");
    assert.equal(topic.inputs.kmsMasterKeyId, `arn:aws:kms:${REGION}:${ACCOUNT_ID}:acme-dev-key-x1`, "the topic uses the lake key");
    const alarms = ofType(example, "aws:cloudwatch/metricAlarm:MetricAlarm");
    assert.ok(alarms.length >= 3);
    for (const alarm of alarms) assert.deepEqual(alarm.inputs.alarmActions, [`arn:aws:sns:${REGION}:${ACCOUNT_ID}:acme-dev-alerts-x1`]);
    assert.equal(key.inputs.policy, undefined, "the key policy is its own resource (it names roles created after the key)");
    const [keyPolicy] = ofType(example, "aws:kms/keyPolicy:KeyPolicy");
    const statements = parseJson<{ Statement: Dict[] }>(keyPolicy.inputs.policy).Statement;
    assert.deepEqual(
      statements.find((st) => st.Sid === "CloudWatchAlarmsPublishToAlertTopic"),
      {
        Sid: "CloudWatchAlarmsPublishToAlertTopic",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
          ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:alarm:*` },
        },
      },
    );
    // No other service publishes to the topic: rules and schedules target the coordinator only.
    for (const target of ofType(example, "aws:cloudwatch/eventTarget:EventTarget")) assert.equal(target.inputs.arn, COORDINATOR_ARN);
    for (const schedule of ofType(example, "aws:scheduler/schedule:Schedule"))
      assert.equal((schedule.inputs.target as Dict).arn, COORDINATOR_ARN);
  });

  it("references source credentials by secret only and builds the MariaDB URL with permitMysqlScheme", () => {
    const [connectionResource] = ofType(example, "aws:glue/connection:Connection");
    const connection = connectionResource.inputs;
    assert.ok(connectionResource.secretInputs.includes("connectionProperties"), "connection properties travel as a Pulumi secret");
    const props = connection.connectionProperties as Record<string, string>;
    assert.deepEqual(Object.keys(props).sort(), ["JDBC_CONNECTION_URL", "JDBC_ENFORCE_SSL", "SECRET_ID"]);
    assert.equal(props.SECRET_ID, "acme/dev/erp-replication");
    assert.match(
      props.JDBC_CONNECTION_URL,
      /^jdbc:mysql:\/\/erp-db\.dev\.corp\.example\.com:3306\/erp\?permitMysqlScheme&connectionTimeZone=UTC/,
    );
    assert.deepEqual(connection.physicalConnectionRequirements, {
      subnetId: "subnet-0a1b2c3d4e5f60718",
      securityGroupIdLists: ["sg-0123456789abcdef0"],
      availabilityZone: "eu-central-1a",
    });
  });

  it("wires the coordinator: encrypted on-demand state table with PITR, bundled asset with tables.yaml, events from this lake's jobs only", () => {
    const [table] = ofType(example, "aws:dynamodb/table:Table").map((r) => r.inputs);
    assert.equal(table.billingMode, "PAY_PER_REQUEST");
    assert.deepEqual(table.pointInTimeRecovery, { enabled: true });
    assert.equal((table.serverSideEncryption as Dict).enabled, true);
    assert.match(String((table.serverSideEncryption as Dict).kmsKeyArn), /^arn:aws:kms:/);

    const [fn] = ofType(example, "aws:lambda/function:Function").map((r) => r.inputs);
    assert.equal((fn.code as Dict).__pulumiArchive, true, "code is an asset archive, not closure serialization");
    assert.equal(fn.handler, "index.handler");
    const env = (fn.environment as Dict).variables as Record<string, string>;
    assert.deepEqual(JSON.parse(env.TIER_JOBS), { daily: "acme-dev-daily", every_15_min: "acme-dev-every-15-min" });
    assert.equal(env.SOURCE_TIME_ZONE, "Europe/Berlin", "lake:source.timeZone of Pulumi.dev.yaml");
    assert.ok(Number(env.LEASE_SECONDS) > 120 * 60, "leases outlive the longest job timeout");

    const [rule] = ofType(example, "aws:cloudwatch/eventRule:EventRule").map((r) => r.inputs);
    const pattern = parseJson<{ source: string[]; detail: { jobName: string[]; state: string[] } }>(rule.eventPattern);
    assert.deepEqual(pattern.detail.jobName, ["acme-dev-daily", "acme-dev-every-15-min"]);
    assert.deepEqual(pattern.source, ["aws.glue"]);
    const rules = Object.fromEntries(ofType(example, "aws:cloudwatch/eventRule:EventRule").map((r) => [r.name, r]));
    const permissions = ofType(example, "aws:lambda/permission:Permission");
    assert.deepEqual(
      permissions.map((p) => p.inputs),
      ["acme-dev-job-state", "acme-dev-crawler-state"].map((rule) => ({
        action: "lambda:InvokeFunction",
        function: "acme-dev-coordinator",
        principal: "events.amazonaws.com",
        sourceAccount: ACCOUNT_ID,
        sourceArn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT_ID}:${rule}-x1`,
      })),
    );
    assert.ok(rules["acme-dev-job-state"] && rules["acme-dev-crawler-state"]);
  });

  it("lets each schedule's role invoke exactly the coordinator function, and every role be assumed by its service from this account only", () => {
    const schedulePolicies = ofType(example, "aws:iam/rolePolicy:RolePolicy").filter((r) => r.name.endsWith("-schedule-invoke"));
    assert.deepEqual(
      schedulePolicies.map((r) => r.name),
      ["acme-dev-daily-schedule-invoke", "acme-dev-every_15_min-schedule-invoke"],
    );
    for (const r of schedulePolicies) {
      assert.deepEqual(parseJson(r.inputs.policy), {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: COORDINATOR_ARN },
          { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: DELIVERY_DLQ_ARN },
        ],
      });
    }
    const roles = Object.fromEntries(ofType(example, "aws:iam/role:Role").map((r) => [r.name, parseJson(r.inputs.assumeRolePolicy)]));
    const trust = (service: string, sourceArn?: string): unknown => ({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": ACCOUNT_ID },
            ...(sourceArn ? { ArnLike: { "aws:SourceArn": sourceArn } } : {}),
          },
        },
      ],
    });
    // Scheduler's confused-deputy guard is the schedule group's ARN (its docs: never a schedule's).
    const group = `arn:aws:scheduler:${REGION}:${ACCOUNT_ID}:acme-dev`;
    assert.deepEqual(roles, {
      "acme-dev-role": trust("lambda.amazonaws.com"),
      "acme-dev-daily-schedule-role": trust("scheduler.amazonaws.com", group),
      "acme-dev-every_15_min-schedule-role": trust("scheduler.amazonaws.com", group),
      "acme-dev-service-data-access": trust("lakeformation.amazonaws.com"),
      "acme-dev-service-ingest-job": trust("glue.amazonaws.com"),
      ...Object.fromEntries(
        ["sales", "finance", "manufacturing", "logistics", "hr"].map((d) => [`acme-dev-service-crawler-${d}`, trust("glue.amazonaws.com")]),
      ),
    });
    for (const schedule of ofType(example, "aws:scheduler/schedule:Schedule")) assert.equal(schedule.inputs.groupName, "acme-dev");
  });

  it("gives the coordinator least privilege: its jobs, its crawlers, its table; no wildcard actions", () => {
    const policies = ofType(example, "aws:iam/rolePolicy:RolePolicy").map((r) => parseJson<{ Statement: Dict[] }>(r.inputs.policy));
    for (const policy of policies) {
      for (const s of policy.Statement) {
        const actions = ([] as string[]).concat(s.Action as string | string[]);
        assert.ok(!actions.some((a) => a === "*" || a.endsWith(":*")), JSON.stringify(s));
      }
    }
    // Catalog permissions stop at this lake's databases.
    const catalogArns = policies.flatMap((p) => p.Statement.flatMap((s) => ([] as unknown[]).concat(s.Resource))).map(String);
    const scoped = catalogArns.filter((arn) => /:glue:.*:(database|table)\//.test(arn));
    assert.ok(scoped.length >= 6);
    for (const arn of scoped) assert.match(arn, /:(database|table)\/acme_dev_(\*|[a-z_]+_raw(\/\*)?$)/, arn);
    const coordinator = policies.find((p) => p.Statement.some((s) => s.Sid === "StartTierJobs"));
    const start = coordinator?.Statement.find((s) => s.Sid === "StartTierJobs");
    assert.deepEqual(start?.Resource, [
      "arn:aws:glue:eu-central-1:123456789012:job/acme-dev-daily",
      "arn:aws:glue:eu-central-1:123456789012:job/acme-dev-every-15-min",
    ]);
  });

  it("gives every access rule its own enforced, KMS-encrypted workgroup and result prefix", () => {
    const workgroups = ofType(example, "aws:athena/workgroup:Workgroup").map((r) => r.inputs);
    assert.deepEqual(
      workgroups.map((wg) => wg.name).sort(),
      Object.keys(principals)
        .map((role) => `acme-dev-${role}`)
        .sort(),
    );
    for (const wg of workgroups) {
      const role = String(wg.name).slice("acme-dev-".length);
      const conf = wg.configuration as Dict;
      assert.equal(conf.enforceWorkgroupConfiguration, true);
      const result = conf.resultConfiguration as Dict;
      assert.equal(result.outputLocation, `s3://acme-dev-athena-bucket-x1/results/${role}/`);
      assert.equal((result.encryptionConfiguration as Dict).encryptionOption, "SSE_KMS");
    }
  });

  it("tags every taggable resource with lake, environment and managed-by", () => {
    const taggable = example.filter((r) => r.type.startsWith("aws:") && "tags" in r.inputs);
    assert.ok(taggable.length > 20);
    for (const r of taggable) {
      assert.deepEqual(
        {
          lake: (r.inputs.tags as Dict).lake,
          environment: (r.inputs.tags as Dict).environment,
          managedBy: (r.inputs.tags as Dict)["managed-by"],
        },
        { lake: "acme", environment: "dev", managedBy: "pulumi" },
        `${r.type} ${r.name}`,
      );
    }
  });

  it("parents every AWS resource to a lake component and names it from the component", () => {
    const components = example.filter((r) => r.type.startsWith("lake:"));
    assert.ok(components.length >= 10);
    const byUrn = new Map(example.map((r) => [r.urn, r]));
    // Walks up the parent chain to the first component.
    const componentOf = (r: RecordedResource): RecordedResource | undefined => {
      let parent = r.parentUrn ? byUrn.get(r.parentUrn) : undefined;
      while (parent && !parent.type.startsWith("lake:")) parent = parent.parentUrn ? byUrn.get(parent.parentUrn) : undefined;
      return parent;
    };
    for (const r of example.filter((x) => x.type.startsWith("aws:"))) {
      const component = componentOf(r);
      assert.ok(component, `${r.type} ${r.name} is parented (through its parents) to a lake component`);
      assert.ok(r.name.startsWith(component.name), `${r.type} ${r.name} is named from its component ${component.name}`);
    }
  });
});

describe("ingest code paths", () => {
  it("upload the exact driver jar scripts/ingest-deps.sh pins, and code that exists", () => {
    const deps = readFileSync(join(REPO_ROOT, "scripts/ingest-deps.sh"), "utf8");
    const jar = INGEST_CODE.driverJar("mariadb").split("/").pop() ?? "";
    assert.ok(deps.includes(`/${jar}|`), `scripts/ingest-deps.sh downloads ${jar}`);
    for (const path of [INGEST_CODE.script, INGEST_CODE.packageDir, ...Object.values(INGEST_CODE.packageExtras)]) {
      assert.ok(existsSync(join(REPO_ROOT, path)), path);
    }
  });
});
