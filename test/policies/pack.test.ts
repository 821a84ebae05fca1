import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { lakePolicies, PACK_NAME } from "../../policies/pack";
import { compliantLake } from "./fixtures";
import { EVERY_POLICY } from "./policyNames";
import { isResourcePolicy, isStackPolicy, validateResource, validateStack } from "./harness";

const root = path.resolve(__dirname, "..", "..");

describe("governed-lake policy pack", () => {
  it("has exactly the policies of the fixed list, in order, each once", () => {
    assert.deepEqual(
      lakePolicies.map((p) => p.name),
      [...EVERY_POLICY],
    );
    assert.equal(new Set(EVERY_POLICY).size, EVERY_POLICY.length);
  });

  it("gives every policy a name the engine accepts, a description and mandatory enforcement", () => {
    for (const p of lakePolicies) {
      assert.match(p.name, /^[a-z0-9-]+$/, p.name);
      assert.notEqual(p.name, "all", '"all" is reserved by the runtime');
      assert.ok(p.description.length >= 40, `${p.name}: description too short`);
      assert.equal(p.enforcementLevel, "mandatory", p.name);
      assert.ok(isResourcePolicy(p) !== isStackPolicy(p), `${p.name} must be exactly one kind`);
    }
  });

  it("passes a fully compliant lake: every resource, then the whole stack", async () => {
    const lake = compliantLake();
    const applied = new Set<string>();
    for (const spec of lake) {
      const result = await validateResource(lakePolicies, spec);
      const skipped = new Set(result.notApplicable.map((n) => n.policyName));
      for (const p of lakePolicies) if (isResourcePolicy(p) && !skipped.has(p.name)) applied.add(p.name);
      assert.deepEqual(
        result.diagnostics.map((d) => d.message),
        [],
        `${spec.name}`,
      );
    }
    const stack = await validateStack(lakePolicies, lake);
    const stackSkipped = new Set(stack.notApplicable.map((n) => n.policyName));
    for (const p of lakePolicies) if (isStackPolicy(p) && !stackSkipped.has(p.name)) applied.add(p.name);
    // Every policy checked something in the compliant lake: none passes by not applying.
    assert.deepEqual(
      EVERY_POLICY.filter((name) => !applied.has(name)),
      [],
    );
    assert.deepEqual(
      stack.diagnostics.map((d) => d.message),
      [],
    );
  });

  it("is defined without side effects: pack.ts does not construct the PolicyPack", () => {
    const pack = fs.readFileSync(path.join(root, "policies", "pack.ts"), "utf8");
    assert.doesNotMatch(pack, /new PolicyPack/);
    const index = fs.readFileSync(path.join(root, "policies", "index.ts"), "utf8");
    assert.match(index, /new PolicyPack\(PACK_NAME/);
    assert.equal(PACK_NAME, "governed-lake");
  });

  it("ships PulumiPolicy.yaml and a package.json pinned to the root versions", () => {
    const yaml = fs.readFileSync(path.join(root, "policies", "PulumiPolicy.yaml"), "utf8");
    assert.match(yaml, /^runtime: nodejs$/m);
    assert.match(yaml, /^description: /m);
    const rootPkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const packPkg = JSON.parse(fs.readFileSync(path.join(root, "policies", "package.json"), "utf8")) as {
      version?: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    // @pulumi/policy's PolicyPack constructor reads the version from <cwd>/package.json.
    assert.match(packPkg.version ?? "", /^\d+\.\d+\.\d+$/);
    assert.deepEqual(Object.keys(packPkg.dependencies ?? {}).sort(), ["@pulumi/aws", "@pulumi/policy", "@pulumi/pulumi"]);
    for (const [name, version] of Object.entries(packPkg.dependencies ?? {})) {
      assert.equal(version, rootPkg.dependencies[name], name);
    }
    assert.equal(packPkg.devDependencies, undefined);
  });
});
