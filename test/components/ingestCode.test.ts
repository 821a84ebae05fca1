/**
 * IngestCode alone, under Pulumi mocks (pulumi.runtime.setMocks), with a pretend existing scripts
 * bucket and key: three objects under jobs/ (script and package versioned by content hash, the
 * driver jar), each SSE-KMS with the given key.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentHash, IngestCode } from "../../components/ingestCode";
import { INGEST_JOB_FILES } from "../../components/packageFiles";
import { byName, EXISTING, inventory, runComponent, TAGS } from "./support";

const TYPE = "lake:ingest:IngestCode";

describe("IngestCode alone (Pulumi mocks)", () => {
  it("uploads script, package and driver encrypted with the given key into the given bucket, keyed by content", async () => {
    const jar = join(mkdtempSync(join(tmpdir(), "ingest-code-")), "driver-1.0.jar");
    writeFileSync(jar, "not a real jar");
    const run = await runComponent(
      TYPE,
      () =>
        new IngestCode("estate-code", {
          tags: TAGS,
          storage: { keyArn: EXISTING.keyArn, buckets: { scripts: EXISTING.buckets.scripts } },
          scriptPath: INGEST_JOB_FILES.script,
          packageDir: INGEST_JOB_FILES.packageDir,
          packageExtras: INGEST_JOB_FILES.packageExtras,
          driverJarPath: jar,
        }),
    );
    assert.deepEqual(inventory(run), { "aws:s3/bucketObjectv2:BucketObjectv2": 3 });
    const version = contentHash([INGEST_JOB_FILES.script, INGEST_JOB_FILES.packageDir, ...Object.values(INGEST_JOB_FILES.packageExtras)]);
    const objects = byName(run, "aws:s3/bucketObjectv2:BucketObjectv2");
    const keys = {
      script: `jobs/${version}/ingest_job.py`,
      package: `jobs/${version}/lake_ingest.zip`,
      driver: "jobs/jars/driver-1.0.jar",
    };
    for (const [suffix, key] of Object.entries(keys)) {
      const inputs = objects.get(`estate-code-${suffix}`)?.inputs;
      assert.equal(inputs?.bucket, "estate-scripts", suffix);
      assert.equal(inputs?.key, key, suffix);
      assert.equal(inputs?.serverSideEncryption, "aws:kms", suffix);
      assert.equal(inputs?.kmsKeyId, EXISTING.keyArn, suffix);
      assert.deepEqual(inputs?.tags, TAGS, suffix);
    }
    const packed = (await (objects.get("estate-code-package")?.inputs.source as { assets: Promise<Record<string, unknown>> }).assets) ?? {};
    assert.ok("lake_ingest/run-manifest.schema.json" in packed, "the extras ride inside the package zip");
    assert.ok(!Object.keys(packed).some((f) => f.includes("__pycache__") || f.endsWith(".pyc")), "no Python caches ship");
    assert.deepEqual(run.outputs, {
      scriptUri: `s3://estate-scripts/${keys.script}`,
      packageUri: `s3://estate-scripts/${keys.package}`,
      driverJarUri: `s3://estate-scripts/${keys.driver}`,
    });
  });
});
