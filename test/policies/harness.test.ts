// The harness runs policies through the @pulumi/policy runtime's own Analyze/AnalyzeStack handlers:
// these tests check that the requests it builds and the answers it reads carry what the pack's tests
// rely on (types and fast paths, URNs and parents, secrets, unknowns, levels, config, stack links).

import assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import {
  type ResourceValidationPolicy,
  type StackValidationPolicy,
  validateResourceOfType,
  validateStackResourcesOfType,
} from "@pulumi/policy";
import { lakePolicies } from "../../policies/pack";
import { compliantLake, fx, TAGS, withProps } from "./fixtures";
import { type ResourceSpec, type RunOptions, secret, UNKNOWN, validateResource, validateStack } from "./harness";

describe("policy test harness", () => {
  describe("runs policies as the runtime does", () => {
    it("skips a single typed validation for other types without calling it (fast path)", async () => {
      let calls = 0;
      const p: ResourceValidationPolicy = {
        name: "probe",
        description: "probe",
        validateResource: validateResourceOfType(aws.kms.Key, () => {
          calls++;
        }),
      };
      const other = await validateResource(p, fx.bucket());
      assert.equal(calls, 0);
      assert.deepEqual(other.notApplicable, [
        { policyName: "probe", reason: "Policy only applies to resources of type 'aws:kms/key:Key'" },
      ]);
      await validateResource(p, fx.kmsKey());
      assert.equal(calls, 1);
    });

    it("runs every function of an array, awaiting async ones, and records notApplicable per function", async () => {
      const seen: string[] = [];
      const p: ResourceValidationPolicy = {
        name: "array",
        description: "array policy",
        enforcementLevel: "mandatory",
        validateResource: [
          async (args, report) => {
            await new Promise((r) => setTimeout(r, 5));
            seen.push(`async:${args.type}`);
            report("first");
          },
          validateResourceOfType(aws.kms.Key, (_k, _a, report) => report("key only")),
          (args, report) => {
            seen.push(`sync:${args.name}`);
            report("third");
          },
        ],
      };
      const result = await validateResource(p, fx.bucket());
      assert.deepEqual(seen, ["async:aws:s3/bucket:Bucket", "sync:lake-raw"]);
      assert.deepEqual(
        result.diagnostics.map((d) => d.violation),
        ["first", "third"],
      );
      assert.deepEqual(
        result.notApplicable.map((n) => n.policyName),
        ["array"],
      );
    });

    it("reports `${description}\\n${message}` with the policy's enforcement level", async () => {
      const p: ResourceValidationPolicy = {
        name: "m",
        description: "Describes m.",
        enforcementLevel: "mandatory",
        validateResource: (_a, report) => report("details"),
      };
      const [d] = (await validateResource(p, fx.kmsKey())).diagnostics;
      assert.equal(d.message, "Describes m.\ndetails");
      assert.equal(d.violation, "details");
      assert.equal(d.enforcementLevel, "mandatory");
    });

    it("resolves enforcement levels as config > policy > pack, skips disabled and downgrades remediate", async () => {
      const p: ResourceValidationPolicy = { name: "lvl", description: "d", validateResource: (_a, report) => report("x") };
      const level = async (options: RunOptions, policy: ResourceValidationPolicy = p) =>
        (await validateResource(policy, fx.kmsKey(), options)).diagnostics.map((d) => d.enforcementLevel);
      assert.deepEqual(await level({}), ["advisory"]);
      assert.deepEqual(await level({ packEnforcementLevel: "mandatory" }), ["mandatory"]);
      assert.deepEqual(await level({ packEnforcementLevel: "mandatory" }, { ...p, enforcementLevel: "advisory" }), ["advisory"]);
      assert.deepEqual(await level({ config: { lvl: { enforcementLevel: "mandatory" } } }, { ...p, enforcementLevel: "advisory" }), [
        "mandatory",
      ]);
      assert.deepEqual(await level({ config: { lvl: "disabled" } }), []);
      assert.deepEqual(await level({}, { ...p, enforcementLevel: "remediate" }), ["mandatory"]);
    });

    it("passes config without enforcementLevel to getConfig, and stack tags", async () => {
      let config: unknown;
      let tag: string | undefined;
      const p: ResourceValidationPolicy = {
        name: "cfg",
        description: "d",
        validateResource: (args) => {
          config = args.getConfig();
          tag = args.stackTags.get("team");
        },
      };
      await validateResource(p, fx.kmsKey(), { config: { cfg: { enforcementLevel: "mandatory", limit: 3 } }, stackTags: { team: "data" } });
      assert.deepEqual(config, { limit: 3 });
      assert.equal(tag, "data");
    });

    it("gives isType/asType/urn/opts like the runtime", async () => {
      const p: ResourceValidationPolicy = {
        name: "shape",
        description: "d",
        validateResource: (args, report) => {
          assert.equal(args.isType(aws.s3.Bucket), true);
          assert.equal(args.isType(aws.kms.Key), false);
          assert.equal(args.asType(aws.kms.Key), undefined);
          assert.equal(args.asType(aws.s3.Bucket)?.bucket, "lake-raw-dev-a1b2c3");
          assert.equal(args.urn, "urn:pulumi:dev::governed-lake::lake:index:Component$aws:s3/bucket:Bucket::lake-raw");
          assert.equal(args.opts.parent, "urn:pulumi:dev::governed-lake::lake:index:Component::lake-storage");
          assert.deepEqual(args.opts.customTimeouts, { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 });
          report("ok");
        },
      };
      assert.equal((await validateResource(p, fx.bucket())).diagnostics.length, 1);
    });

    it("turns a read of an unknown value into an advisory 'can't run during preview'", async () => {
      const p: ResourceValidationPolicy = {
        name: "unknown",
        description: "d",
        enforcementLevel: "mandatory",
        validateResource: validateResourceOfType(aws.kms.Key, (key, _a, report) => {
          if (key.description === "") {
            report("never");
          }
        }),
      };
      const [d] = (await validateResource(p, withProps(fx.kmsKey(), { description: UNKNOWN.string }))).diagnostics;
      assert.equal(d.enforcementLevel, "advisory");
      assert.equal(d.unknownDuringPreview, true);
      assert.equal(
        d.message,
        "can't run policy 'unknown' from policy pack 'governed-lake@v0.1.0' during preview: string value at .description can't be known during preview",
      );
    });

    it("unwraps secrets and fails loudly on errors other than unknowns", async () => {
      let seen: unknown;
      const p: ResourceValidationPolicy = { name: "s", description: "d", validateResource: (args) => void (seen = args.props["password"]) };
      await validateResource(p, { type: aws.kms.Key, props: { password: secret("hunter2") } });
      assert.equal(seen, "hunter2");
      const boom: ResourceValidationPolicy = {
        name: "boom",
        description: "d",
        validateResource: () => {
          throw new Error("bug");
        },
      };
      await assert.rejects(
        validateResource(boom, fx.kmsKey()),
        /Error validating resource with policy 'boom' from policy pack 'governed-lake@v0\.1\.0':\nError: bug/,
      );
    });

    it("links stack resources by URN: parent, dependencies and property dependencies", async () => {
      const p: StackValidationPolicy = {
        name: "links",
        description: "d",
        validateStack: (args, report) => {
          const pab = args.resources.find((r) => r.name === "lake-raw-pab");
          report(
            `${pab?.parent?.name}|${pab?.dependencies.map((d) => d.name).join(",")}|${pab?.propertyDependencies["bucket"]?.map((d) => d.name).join(",")}`,
          );
        },
      };
      const specs: ResourceSpec[] = [
        fx.storageComponent(),
        fx.bucket(),
        {
          ...fx.publicAccessBlock(),
          dependencies: ["lake-raw", "urn:pulumi:dev::governed-lake::aws:x:Y::gone"],
          propertyDependencies: { bucket: ["lake-raw"] },
        },
      ];
      const [d] = (await validateStack(p, specs)).diagnostics;
      assert.equal(d.violation, "lake-storage|lake-raw|lake-raw");
    });

    it("skips a typed stack validation when the stack has no resource of its type", async () => {
      let calls = 0;
      const p: StackValidationPolicy = {
        name: "typed-stack",
        description: "d",
        validateStack: validateStackResourcesOfType(aws.kms.Key, () => {
          calls++;
        }),
      };
      const result = await validateStack(
        p,
        [fx.bucket()].map((s) => ({ ...s, parent: undefined })),
      );
      assert.equal(calls, 0);
      assert.deepEqual(result.notApplicable, [
        { policyName: "typed-stack", reason: "Policy only applies to resources of type 'aws:kms/key:Key'" },
      ]);
      await validateStack(p, [fx.kmsKey()]);
      assert.equal(calls, 1);
    });
  });

  describe("reads the runtime's answers for the whole pack", () => {
    const variants = (): ResourceSpec[] => [
      ...compliantLake(),
      withProps(fx.sse(), { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
      withProps(fx.publicAccessBlock(), { ignorePublicAcls: false }),
      withProps(fx.bucketPolicy(), { policy: UNKNOWN.string }),
      withProps(fx.bucketPolicy(), {
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] }),
      }),
      withProps(fx.kmsKey(), { enableKeyRotation: false, tags: { lake: "x" } }),
      withProps(fx.bucket(), { acl: "public-read" }),
      withProps(fx.grantByTag(), {
        principal: "IAM_ALLOWED_PRINCIPALS",
        permissionsWithGrantOptions: ["SELECT"],
        lfTagPolicy: { resourceType: "TABLE", expressions: [{ key: "domain", values: ["*"] }] },
      }),
      withProps(fx.glueJob(), { glueVersion: "3.0", maxCapacity: 2, defaultArguments: {}, securityConfiguration: UNKNOWN.string }),
      withProps(fx.crawler(), { schedule: "cron(0 1 * * ? *)", s3Targets: [{ path: "s3://b/raw/customer*" }] }),
      withProps(fx.glueConnection(), {
        connectionProperties: secret({ PASSWORD: "x", JDBC_CONNECTION_URL: "jdbc:mysql://h/db?password=x" }),
      }),
      withProps(fx.schedule(), { scheduleExpressionTimezone: undefined, scheduleExpression: "at(2030-01-01T00:00:00)" }),
      withProps(fx.lambdaPermission(), { principal: "*", sourceArn: undefined }),
      withProps(fx.stateTable(), { billingMode: "PROVISIONED", tags: { ...TAGS, environment: "prod" } }),
      withProps(fx.workgroup(), { configuration: { enforceWorkgroupConfiguration: false } }),
      {
        ...withProps(fx.role(), { tags: { lake: "x" } }),
        provider: { props: { defaultTags: JSON.stringify({ tags: { environment: "dev" } }) } },
      },
    ];
    const descriptions = new Map(lakePolicies.map((p) => [p.name, p.description]));

    it("splits every diagnostic into the policy's description and its violation, at either pack level", async () => {
      let violations = 0;
      let unknowns = 0;
      for (const spec of variants()) {
        for (const level of ["advisory", "mandatory"] as const) {
          for (const d of (await validateResource(lakePolicies, spec, { packEnforcementLevel: level })).diagnostics) {
            if (d.unknownDuringPreview) {
              unknowns++;
              assert.equal(d.enforcementLevel, "advisory", d.message);
              assert.equal(d.violation, d.message);
              assert.match(
                d.message,
                new RegExp(`^can't run policy '${d.policyName}' from policy pack 'governed-lake@v0\\.1\\.0' during preview`),
              );
            } else {
              violations++;
              assert.equal(d.enforcementLevel, "mandatory", `${d.policyName}: every policy of the pack is mandatory`);
              assert.equal(d.message, `${descriptions.get(d.policyName)}\n${d.violation}`);
              assert.ok(d.violation.length > 0, d.policyName);
            }
          }
        }
      }
      assert.ok(violations > 40, `the variants should violate policies (${violations})`);
      assert.ok(unknowns > 0, `unknown values are reported as preview advisories (${unknowns})`);
    });

    it("passes the compliant stack and reports each broken one", async () => {
      const lake = compliantLake();
      const stacks: ResourceSpec[][] = [
        lake,
        lake.filter((r) => r.name !== "lake-raw-pab"),
        [
          ...lake.filter((r) => r.name !== "grant-job-create-table"),
          { ...withProps(fx.grantDatabase(), { principal: "arn:aws:iam::123456789012:role/lake-admin" }), dependencies: [] },
        ],
        [
          fx.storageComponent(),
          withProps(fx.bucket(), { bucket: UNKNOWN.string }),
          { ...withProps(fx.sse(), { bucket: UNKNOWN.string }), propertyDependencies: { bucket: ["lake-raw"] } },
        ],
      ];
      const counts: number[] = [];
      for (const specs of stacks) {
        counts.push((await validateStack(lakePolicies, specs)).diagnostics.length);
      }
      assert.equal(counts[0], 0);
      assert.ok(
        counts.slice(1).every((n) => n > 0),
        `each broken stack is reported (${counts.join(", ")})`,
      );
    });
  });
});
