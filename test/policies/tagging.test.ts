import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { validateResourceOfType } from "@pulumi/policy";
import { requiredTags, TAGGABLE_TYPES } from "../../policies/tagging";
import { compliantLake, fx, TAGS, withProps } from "./fixtures";
import { resourceViolations, typeOf, UNKNOWN, validateResource } from "./harness";

describe("required-tags", () => {
  const p = requiredTags;

  it("covers the lake's taggable types", () => {
    for (const cls of [
      aws.s3.Bucket,
      aws.kms.Key,
      aws.glue.Job,
      aws.glue.Crawler,
      aws.glue.Connection,
      aws.glue.CatalogDatabase,
      aws.lambda.Function,
      aws.iam.Role,
      aws.dynamodb.Table,
      aws.sns.Topic,
      aws.cloudwatch.EventRule,
      aws.cloudwatch.MetricAlarm,
      aws.athena.Workgroup,
      aws.cloudwatch.LogGroup,
    ]) {
      assert.ok(TAGGABLE_TYPES.indexOf(typeOf(cls)) >= 0, typeOf(cls));
    }
  });

  it("only lists types whose args take tags (checked by the compiler)", () => {
    // The policy reads `r.tags` from the typed args; a type without a tags input does not compile:
    // @ts-expect-error aws.glue.SecurityConfiguration has no tags input
    validateResourceOfType(aws.glue.SecurityConfiguration, (r) => r.tags);
    // @ts-expect-error aws.scheduler.Schedule has no tags input
    validateResourceOfType(aws.scheduler.Schedule, (r) => r.tags);
  });

  it("passes every tagged resource of the compliant lake", async () => {
    let checked = 0;
    for (const spec of compliantLake()) {
      const result = await validateResource(p, spec);
      assert.deepEqual(result.diagnostics, [], spec.name);
      if (result.notApplicable.length === 0) {
        checked++;
      }
    }
    assert.ok(checked >= 14, `only ${checked} resources were checked`);
  });

  it("rejects missing tags", async () => {
    assert.deepEqual(await resourceViolations(p, withProps(fx.bucket(), { tags: { lake: "governed-lake" } })), [
      'aws:s3:Bucket "lake-raw": tags.environment is missing; every lake resource carries "lake", "environment", "managed-by".',
      'aws:s3:Bucket "lake-raw": tags.managed-by is missing; every lake resource carries "lake", "environment", "managed-by".',
    ]);
    const none = await resourceViolations(p, withProps(fx.stateTable(), { tags: undefined }));
    assert.equal(none.length, 3);
    assert.match(none[0], /aws:dynamodb:Table "lake-state": tags\.lake is missing/);
  });

  it("rejects a wrong managed-by and an environment that is not the stack", async () => {
    const v = await resourceViolations(p, withProps(fx.kmsKey(), { tags: { ...TAGS, "managed-by": "terraform", environment: "prod" } }));
    assert.deepEqual(v, [
      'aws:kms:Key "lake-key": tags.managed-by is "terraform"; it must be "pulumi".',
      'aws:kms:Key "lake-key": tags.environment is "prod"; it must be the stack name "dev".',
    ]);
    assert.deepEqual(
      await resourceViolations(p, withProps(fx.kmsKey(), { tags: { ...TAGS, environment: "prod" } }), { stack: "prod" }),
      [],
    );
  });

  it("counts the provider's default tags (sent as a JSON string)", async () => {
    const spec = {
      ...withProps(fx.role(), { tags: { lake: "governed-lake" } }),
      provider: {
        props: { region: "eu-central-1", defaultTags: JSON.stringify({ tags: { environment: "dev", "managed-by": "pulumi" } }) },
      },
    };
    assert.deepEqual(await resourceViolations(p, spec), []);
  });

  it("accepts tag values computed during preview", async () => {
    const result = await validateResource(p, withProps(fx.topic(), { tags: { ...TAGS, lake: UNKNOWN.string } }));
    assert.deepEqual(result.diagnostics, []);
  });

  it("is not applicable to untaggable types", async () => {
    const result = await validateResource(p, fx.glueSecurityConfiguration());
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.notApplicable[0]?.policyName, p.name);
  });
});
