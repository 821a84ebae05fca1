/**
 * AnalystWorkgroup alone, under Pulumi mocks (pulumi.runtime.setMocks), with a pretend existing
 * results bucket, key and principal: an enforced, KMS-encrypted workgroup writing to the rule's
 * own prefix, the scan cutoff default, and the identity policy for the principal.
 */
import assert from "node:assert/strict";
import { AnalystWorkgroup } from "../../components/analystWorkgroup";
import { ANALYST_WORKGROUP_DEFAULTS } from "../../components/defaults";
import { EXISTING, inventory, only, parseJson, runComponent, TAGS } from "./support";

const TYPE = "lake:analytics:AnalystWorkgroup";
const PRINCIPAL = EXISTING.role("estate-analyst");
const { athena } = EXISTING.buckets;

function build(cutoff?: number): AnalystWorkgroup {
  return new AnalystWorkgroup("estate-analysts", {
    tags: TAGS,
    workgroupName: "estate-analyst",
    rule: "analyst",
    principalArn: PRINCIPAL,
    resultsBucketName: athena.name,
    resultsBucketArn: athena.arn,
    kmsKeyArn: EXISTING.keyArn,
    bytesScannedCutoffPerQuery: cutoff,
  });
}

describe("AnalystWorkgroup alone (Pulumi mocks)", () => {
  it("enforces its configuration: engine 3, results SSE-KMS under results/<rule>/, the default scan cutoff", async () => {
    const run = await runComponent(TYPE, () => build());
    assert.deepEqual(inventory(run), { "aws:athena/workgroup:Workgroup": 1 });
    const workgroup = only(run, "aws:athena/workgroup:Workgroup").inputs;
    assert.equal(workgroup.name, "estate-analyst");
    assert.equal(workgroup.forceDestroy, false);
    assert.deepEqual(workgroup.configuration, {
      enforceWorkgroupConfiguration: true,
      publishCloudwatchMetricsEnabled: true,
      bytesScannedCutoffPerQuery: ANALYST_WORKGROUP_DEFAULTS.bytesScannedCutoffPerQuery,
      engineVersion: { selectedEngineVersion: "Athena engine version 3" },
      resultConfiguration: {
        outputLocation: "s3://estate-athena/results/analyst/",
        encryptionConfiguration: { encryptionOption: "SSE_KMS", kmsKeyArn: EXISTING.keyArn },
      },
    });
    assert.deepEqual(workgroup.tags, { ...TAGS, "access-rule": "analyst" });
    assert.equal(run.outputs.workgroupName, "estate-analyst");
    assert.equal(run.outputs.resultsPrefix, "results/analyst/");
    const custom = await runComponent(TYPE, () => build(10 ** 9));
    assert.equal(
      (only(custom, "aws:athena/workgroup:Workgroup").inputs.configuration as { bytesScannedCutoffPerQuery: number })
        .bytesScannedCutoffPerQuery,
      10 ** 9,
    );
  });

  it("identity policy: its own workgroup and result prefix, reads through Lake Formation, the key through S3 only", async () => {
    const run = await runComponent(TYPE, () => build());
    const statements = parseJson<{ Statement: { Sid: string; Action: string[]; Resource: unknown; Condition?: unknown }[] }>(
      run.outputs.identityPolicy,
    ).Statement;
    const bySid = new Map(statements.map((s) => [s.Sid, s]));
    assert.deepEqual(
      statements.map((s) => s.Sid),
      ["OwnWorkgroupOnly", "OwnResultPrefixOnly", "ListOwnResultPrefix", "ResultsBucketLocation", "LakeFormationReads", "ResultEncryption"],
    );
    assert.equal(bySid.get("OwnWorkgroupOnly")?.Resource, "arn:aws:athena:eu-central-1:123456789012:estate-analyst");
    assert.equal(bySid.get("OwnResultPrefixOnly")?.Resource, `${athena.arn}/results/analyst/*`);
    assert.deepEqual(bySid.get("ListOwnResultPrefix")?.Condition, { StringLike: { "s3:prefix": ["results/analyst/*"] } });
    assert.deepEqual(bySid.get("ResultEncryption"), {
      Sid: "ResultEncryption",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: EXISTING.keyArn,
      Condition: { StringLike: { "kms:ViaService": "s3.*.amazonaws.com" } },
    });
    assert.ok(
      !statements.some((s) => s.Action.some((a) => a.startsWith("s3:") || a.startsWith("kms:")) && s.Resource === "*"),
      "no S3 or key action on *",
    );
  });
});
