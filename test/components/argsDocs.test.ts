/**
 * The args are documented like the anchors' (pulumi-awsx, pulumi-eks): every field of every
 * exported args interface has TSDoc, every optional field states its @default, and a @default
 * that names a defaults constant (components/defaults.ts) states the value the code applies.
 * Read with the TypeScript compiler from components/index.ts, the package's public surface.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import ts from "typescript";
import * as defaults from "../../components/defaults";
import { PACKAGE_ROOT } from "../../components/packageFiles";

/** Public interfaces a caller fills in besides the *Args ones. */
const ALSO_INPUTS = [
  "TierJobSettings",
  "LakeDataAccess",
  "QueryResultsAccess",
  "SourceNetwork",
  "LakeBucketRef",
  "LakeStorageRef",
  "LfTagKeysRef",
];

interface Field {
  readonly where: string;
  readonly doc: string;
  readonly optional: boolean;
  readonly defaultTag: string | undefined;
}

function publicInputFields(): Field[] {
  const entry = join(PACKAGE_ROOT, "components", "index.ts");
  const program = ts.createProgram([entry], { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  assert.ok(source, "components/index.ts is in the program");
  const moduleSymbol = checker.getSymbolAtLocation(source);
  assert.ok(moduleSymbol);
  const fields: Field[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(symbol.flags & ts.SymbolFlags.Interface)) continue;
    if (!symbol.name.endsWith("Args") && !ALSO_INPUTS.includes(symbol.name)) continue;
    for (const property of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
      const defaultTag = property.getJsDocTags(checker).find((t) => t.name === "default");
      fields.push({
        where: `${symbol.name}.${property.name}`,
        doc: ts.displayPartsToString(property.getDocumentationComment(checker)).trim(),
        optional: (property.flags & ts.SymbolFlags.Optional) !== 0,
        defaultTag: defaultTag ? ts.displayPartsToString(defaultTag.text).trim() : undefined,
      });
    }
  }
  return fields;
}

describe("component args documentation (TypeScript compiler)", function () {
  this.timeout(120_000);
  let fields: Field[];
  before(() => {
    fields = publicInputFields();
  });

  it("covers every exported component's args", () => {
    const interfaces = new Set(fields.map((f) => f.where.split(".")[0]));
    for (const name of [
      "AnalystWorkgroupArgs",
      "CoordinatorArgs",
      "FreshnessAlarmsArgs",
      "GovernanceTagsArgs",
      "GovernedDatabaseArgs",
      "IngestCodeArgs",
      "IngestTierArgs",
      "LakeDashboardArgs",
      "LakeFormationSettingsArgs",
      "LakeStorageArgs",
      "RawZoneCrawlerArgs",
      "RoleGrantArgs",
      "ServiceRolesArgs",
      "SourceConnectionArgs",
      ...ALSO_INPUTS,
    ]) {
      assert.ok(interfaces.has(name), `${name} is exported and read`);
    }
  });

  it("documents every field", () => {
    const undocumented = fields.filter((f) => f.doc === "").map((f) => f.where);
    assert.deepEqual(undocumented, []);
  });

  it("states the @default of every optional field", () => {
    const missing = fields.filter((f) => f.optional && !f.defaultTag).map((f) => f.where);
    assert.deepEqual(missing, []);
  });

  it("states the value the code applies when a @default names a defaults constant, and every constant is documented", () => {
    const constants = defaults as unknown as Record<string, unknown>;
    const cited = new Set<string>();
    for (const f of fields.filter((x) => x.defaultTag)) {
      const text = f.defaultTag as string;
      const constant = Object.keys(constants).find((name) => new RegExp(`\\b${name}\\b`).test(text));
      if (!constant) continue;
      const field = f.where.split(".")[1];
      const value = constants[constant];
      const applied = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[field] : value;
      assert.notEqual(applied, undefined, `${f.where}: ${constant} has no ${field}`);
      const stated = /^("[^"]*"|\S+)/.exec(text)?.[1] ?? "";
      assert.deepEqual(JSON.parse(stated), applied, `${f.where}: @default ${stated} but ${constant} applies ${JSON.stringify(applied)}`);
      cited.add(typeof value === "object" ? `${constant}.${field}` : constant);
    }
    for (const [name, value] of Object.entries(constants)) {
      const keys = typeof value === "object" && value !== null ? Object.keys(value).map((k) => `${name}.${k}`) : [name];
      for (const key of keys) assert.ok(cited.has(key), `${key} is the @default of some documented field`);
    }
  });
});
