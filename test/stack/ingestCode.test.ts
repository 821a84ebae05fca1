/** The job package ships source files only, versioned by their content. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { contentHash, sourceFiles } from "../../components/ingestCode";
import { LOADABLE_ENGINES } from "../../model";
import { INGEST_CODE } from "../../stacks/ingestCodePaths";

const REPO_ROOT = join(__dirname, "..", "..");

describe("ingest code packaging", () => {
  const dir = mkdtempSync(join(tmpdir(), "pkg-"));
  mkdirSync(join(dir, "__pycache__"));
  mkdirSync(join(dir, "sub"));
  writeFileSync(join(dir, "__init__.py"), "");
  writeFileSync(join(dir, "job.py"), "print('a')\n");
  writeFileSync(join(dir, "job.cpython-311.pyc"), "x");
  writeFileSync(join(dir, "__pycache__", "job.cpython-311.pyc"), "x");
  writeFileSync(join(dir, "sub", "util.py"), "");

  it("lists source files without Python caches", () => {
    assert.deepEqual(
      sourceFiles(dir).map((f) => f.slice(dir.length + 1)),
      ["__init__.py", "job.py", "sub/util.py"],
    );
  });

  it("changes the version when a file changes, and only then", () => {
    const before = contentHash([dir]);
    assert.equal(contentHash([dir]), before);
    writeFileSync(join(dir, "__pycache__", "other.pyc"), "y");
    assert.equal(contentHash([dir]), before, "caches do not count");
    writeFileSync(join(dir, "job.py"), "print('b')\n");
    assert.notEqual(contentHash([dir]), before);
  });
});

describe("ingest job's vendored Python packages", () => {
  it("ship inside the package folder IngestCode zips, at the version handlers/ingest/requirements.txt pins", () => {
    const requirements = readFileSync(join(REPO_ROOT, "handlers/ingest/requirements.txt"), "utf8");
    const pin = /^fastjsonschema==(\S+) --hash=sha256:[0-9a-f]{64}$/m.exec(requirements);
    assert.ok(pin, "fastjsonschema is pinned with its hash");
    const files = sourceFiles(join(REPO_ROOT, INGEST_CODE.packageDir)).map((f) => f.slice(REPO_ROOT.length + 1));
    const vendor = "handlers/ingest/lake_ingest/_vendor";
    assert.ok(files.includes(`${vendor}/fastjsonschema/__init__.py`), "run scripts/ingest-deps.sh to unpack the pinned wheel");
    assert.ok(files.includes(`${vendor}/fastjsonschema-${pin[1]}.dist-info/licenses/LICENSE`), "the pinned version, with its licence");
    assert.deepEqual(
      files.filter((f) => f.endsWith(".dist-info/METADATA")),
      [`${vendor}/fastjsonschema-${pin[1]}.dist-info/METADATA`],
      "no other vendored distribution",
    );
  });
});

describe("ingest driver jars", () => {
  const deps = readFileSync(join(REPO_ROOT, "scripts/ingest-deps.sh"), "utf8");

  it("ships for every engine the job loads a jar scripts/ingest-deps.sh pins (with its SHA-256)", () => {
    for (const engine of LOADABLE_ENGINES) {
      const jar = INGEST_CODE.driverJar(engine).split("/").pop() ?? "";
      assert.match(deps, new RegExp(`/${jar.replace(/\./g, "\\.")}\\|[0-9a-f]{64}"`), `${engine}: ${jar}`);
    }
    assert.match(INGEST_CODE.driverJar("postgresql"), /postgresql-42\.7\.\d+\.jar$/);
  });

  it("has no jar for an engine the job cannot load", () => {
    assert.throws(() => INGEST_CODE.driverJar("oracle"), /lake:source.engine "oracle" cannot be loaded yet/);
  });
});
