/**
 * The job's result location has two implementations (TypeScript reads it in finalize, Python
 * writes it in the job): this test runs the Python one and expects the same keys.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { resultKey } from "../../handlers/coordinator/flows/reconcileReport";

const REPO = join(__dirname, "..", "..");
const PYTHON = join(REPO, ".venv", "bin", "python");

function pythonResultUri(manifestUri: string): string {
  const code = "import sys; from lake_ingest.job import result_uri_for; print(result_uri_for(sys.argv[1]))";
  return execFileSync(PYTHON, ["-c", code, manifestUri], {
    cwd: join(REPO, "handlers", "ingest"),
    encoding: "utf8",
  }).trim();
}

describe("the job's result location, TypeScript and Python", () => {
  for (const key of ["manifests/daily/daily-20261128T013000Z-1a2b3c4d.json", "manifests/every_15_min/r1.json", "local/run.json"]) {
    it(`agree for ${key}`, function () {
      this.timeout(60_000);
      const expected = `s3://lake-scripts/${resultKey(key)}`;
      assert.equal(pythonResultUri(`s3://lake-scripts/${key}`), expected);
    });
  }

  it("puts results under results/, where the job's role may write, never under manifests/", () => {
    assert.equal(resultKey("manifests/daily/r.json"), "results/daily/r.json");
  });
});
