/**
 * The library as another program installs it: `npm run build`, `npm pack`, the tarball extracted
 * into a copy of examples/small-lake as `npm install` would place it (node_modules/governed-lake;
 * its own dependencies resolve from the repository's node_modules through Node's parent-folder
 * lookup, so no network), then the example synthesized under Pulumi mocks
 * (pulumi.runtime.setMocks, through stacks/offline.ts). Its code must come from the packed copy.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import type * as Components from "../../components";
import { ofType, runWithMocks, type RecordedResource } from "../../stacks/offline";
import { REPO_ROOT } from "../../stacks/program";

type Library = typeof Components;

const EXAMPLE = join(REPO_ROOT, "examples", "small-lake");

const exampleConfig = {
  "smallLake:lakeName": "small-lake",
  "smallLake:accountId": "123456789012",
  "smallLake:driverJar": "jars/mariadb-java-client.jar",
  "smallLake:rolePrincipals": { shop_analyst: "arn:aws:iam::123456789012:role/shop-analyst" },
  "smallLake:coordinator": {
    functionArn: "arn:aws:lambda:eu-central-1:123456789012:function:lake-coordinator",
    stateTableArn: "arn:aws:dynamodb:eu-central-1:123456789012:table/lake-state",
    scheduleGroupName: "lake-schedules",
    scheduleGroupArn: "arn:aws:scheduler:eu-central-1:123456789012:schedule-group/lake-schedules",
    deadLetterQueueArn: "arn:aws:sqs:eu-central-1:123456789012:lake-dead-letters",
    roleArn: "arn:aws:iam::123456789012:role/lake-coordinator",
  },
  "smallLake:source": {
    connectionName: "shop-source",
    secretArn: "arn:aws:secretsmanager:eu-central-1:123456789012:secret:shop-source-AbCdEf",
    network: { subnetId: "subnet-0123", securityGroupIds: ["sg-0123"], availabilityZone: "eu-central-1a" },
  },
};

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** True when `file` lies inside `dir`. */
function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith(sep);
}

/** Local files behind a FileAsset or an AssetArchive of FileAssets (under mocks, the inputs are the SDK's objects). */
async function assetFiles(source: unknown): Promise<string[]> {
  const asset = source as { path?: Promise<string>; assets?: Promise<Record<string, unknown>> };
  if (asset.path) return [await asset.path];
  if (asset.assets) return (await Promise.all(Object.values(await asset.assets).map(assetFiles))).flat();
  throw new Error(`not a file asset or archive: ${JSON.stringify(source)}`);
}

describe("the library installed from npm pack output (examples/small-lake)", function () {
  this.timeout(240_000);
  // Inside the repository, so the installed copy finds the library's dependencies in its node_modules.
  mkdirSync(join(REPO_ROOT, ".lake"), { recursive: true });
  const work = mkdtempSync(join(REPO_ROOT, ".lake", "example-"));
  const app = join(work, "small-lake");
  const installed = join(app, "node_modules", "governed-lake");
  let resources: RecordedResource[] = [];
  let library: Library;
  // Resolves as the example's own code does: a plain require.resolve here would find this
  // repository's package by self-reference (it is named governed-lake too).
  const requireFromExample = createRequire(join(app, "index.ts"));

  before(async () => {
    run("npm", ["run", "build"], REPO_ROOT);
    // --ignore-scripts: the build above is prepack's job, run once.
    const packed = JSON.parse(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], REPO_ROOT)) as {
      filename: string;
    }[];
    cpSync(EXAMPLE, app, { recursive: true, filter: (src) => !src.includes(`${sep}node_modules`) });
    mkdirSync(installed, { recursive: true });
    run("tar", ["-xzf", join(work, packed[0].filename), "-C", installed, "--strip-components=1"], app);
    library = requireFromExample("governed-lake") as Library;
    const run_ = await runWithMocks(exampleConfig, () => require(join(app, "index.ts")) as unknown); // eslint-disable-line @typescript-eslint/no-require-imports -- the example program itself
    resources = run_.resources;
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("resolves the library and its model from the packed copy, not the source tree", () => {
    const main = requireFromExample.resolve("governed-lake");
    const model = requireFromExample.resolve("governed-lake/model");
    assert.equal(main, join(installed, "dist", "components", "index.js"));
    assert.equal(model, join(installed, "dist", "model", "index.js"));
    const loaded = Object.keys(require.cache).filter((f) => inside(installed, f));
    for (const module of ["lakeStorage", "serviceRoles", "governedDatabase", "ingestCode", "ingestTier", "roleGrant"]) {
      assert.ok(loaded.includes(join(installed, "dist", "components", `${module}.js`)), `${module} loaded from the packed copy`);
    }
  });

  it("ships only built code, declarations and the handler files, and finds them in the installed copy", () => {
    assert.equal(library.PACKAGE_ROOT, installed);
    assert.ok(existsSync(join(installed, "dist", "components", "index.d.ts")));
    assert.ok(existsSync(join(installed, "dist", "model", "index.d.ts")));
    for (const file of [library.COORDINATOR_HANDLER_ENTRY, library.ICEBERG_CATALOG_FILE, library.INGEST_JOB_FILES.script]) {
      assert.ok(inside(installed, file) && existsSync(file), `${file} is in the packed copy`);
    }
    assert.ok(!existsSync(join(installed, "test")) && !existsSync(join(installed, "stacks")) && !existsSync(join(installed, "cli")));
    assert.ok(!existsSync(join(installed, "dist", ".tsbuildinfo")));
    const jobPackage = readdirSync(library.INGEST_JOB_FILES.packageDir);
    assert.ok(jobPackage.includes("job.py") && !jobPackage.includes("__pycache__"));
    const validator = join(library.INGEST_JOB_FILES.packageDir, "_vendor", "fastjsonschema", "__init__.py");
    assert.ok(existsSync(validator), "the job's vendored manifest validator is in the packed copy (scripts/ingest-deps.sh)");
  });

  it("type-checks the example against the packed declarations (exports resolved as Node 16+ does)", () => {
    run(join(REPO_ROOT, "node_modules", ".bin", "tsc"), ["-p", join(app, "tsconfig.json")], app);
  });

  it("synthesizes the example's small lake from its own tables.yaml", () => {
    const types = (type: string): string[] => ofType(resources, type).map((r) => r.name);
    assert.equal(ofType(resources, "aws:s3/bucket:Bucket").length, 4, "raw, warehouse, scripts, athena buckets");
    assert.equal(ofType(resources, "aws:kms/key:Key").length, 1);
    assert.deepEqual(
      ofType(resources, "aws:glue/catalogDatabase:CatalogDatabase")
        .map((r) => r.inputs.name)
        .sort(),
      ["small_lake_shop", "small_lake_shop_raw"],
    );
    const jobs = ofType(resources, "aws:glue/job:Job");
    assert.deepEqual(
      jobs.map((j) => j.inputs.name),
      ["small-lake-nightly"],
    );
    assert.equal(ofType(resources, "aws:scheduler/schedule:Schedule").length, 1);
    assert.ok(types("aws:lakeformation/permissions:Permissions").some((n) => n.startsWith("small-lake-grant-shop_analyst")));
    // References to the existing estate reach the job as given.
    assert.deepEqual(jobs[0].inputs.connections, ["shop-source"]);
    // State table, tier and connection reach the job in the run manifest only, never as job arguments.
    const jobArguments = Object.keys(jobs[0].inputs.defaultArguments as Record<string, string>);
    for (const name of ["--state_table", "--tier", "--connection_name"]) assert.ok(!jobArguments.includes(name), name);
  });

  it("uploads the job code from the packed copy", async () => {
    const objects = ofType(resources, "aws:s3/bucketObjectv2:BucketObjectv2");
    assert.equal(objects.length, 3, "script, package zip, driver jar");
    const files = (await Promise.all(objects.map((o) => assetFiles(o.inputs.source)))).flat();
    const code = files.filter((f) => !f.endsWith(".jar"));
    assert.ok(code.includes(join(installed, "handlers", "ingest", "ingest_job.py")), code.join("\n"));
    assert.ok(code.includes(join(installed, "handlers", "ingest", "lake_ingest", "job.py")), code.join("\n"));
    assert.ok(code.includes(join(installed, "handlers", "contracts", "run-manifest.schema.json")), code.join("\n"));
    for (const file of code) assert.ok(inside(installed, file), `${file} is uploaded from the packed copy`);
    assert.deepEqual(
      files.filter((f) => f.endsWith(".jar")),
      [join(app, "jars", "mariadb-java-client.jar")],
      "the driver jar is the program's own",
    );
  });

  it("is the code the README shows under 'Using the components in another program'", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
    assert.ok(readme.includes(readFileSync(join(EXAMPLE, "index.ts"), "utf8")), "README.md shows examples/small-lake/index.ts verbatim");
  });

  it("bundles the coordinator from the packed copy's handler sources", () => {
    const bundle = library.bundleHandler(library.COORDINATOR_HANDLER_ENTRY);
    assert.ok(bundle.bytes > 10_000, "bundles its dependencies (AWS SDK v3, the model)");
    // Loaded from a folder with no node_modules: the packed sources and their dependencies are all inside.
    const file = join(mkdtempSync(join(tmpdir(), "packed-bundle-")), "index.js");
    writeFileSync(file, bundle.code);
    const loaded = require(file) as { handler?: unknown }; // eslint-disable-line @typescript-eslint/no-require-imports -- the built artifact itself
    assert.equal(typeof loaded.handler, "function");
  });
});
