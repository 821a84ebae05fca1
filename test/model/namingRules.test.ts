/**
 * Naming and quoting rules, TypeScript side, on the cases the Python side runs too
 * (test/fixtures/naming-cases.json, handlers/ingest/tests/test_naming_rules.py): the coordinator names
 * tables and databases in the run manifest, the job quotes and names columns, and they must agree.
 */
import assert from "node:assert/strict";
import cases from "../fixtures/naming-cases.json";
import { catalogDatabaseName, isSourceEngine, lakeColumnName, qualifiedTableName, quoteIdentifier, type SourceEngine } from "../../model";
import { rawTableUnder } from "../../handlers/coordinator/core/manifest";

function engine(name: string): SourceEngine {
  if (!isSourceEngine(name)) throw new Error(`naming-cases.json: unknown engine ${name}`);
  return name;
}

describe("naming rules shared with the ingest job (naming-cases.json)", () => {
  it("quotes identifiers per engine, doubling the quote character", () => {
    for (const c of cases.quoting) assert.equal(quoteIdentifier(engine(c.engine), c.name), c.quoted, JSON.stringify(c));
  });
  it("qualifies a source table as schema.table, both quoted", () => {
    for (const c of cases.qualified) {
      const location = { engine: engine(c.engine), database: c.schema, schema: c.schema, host: "h", port: 1 };
      assert.equal(qualifiedTableName(location, c.table), c.quoted, JSON.stringify(c));
    }
  });
  it("names a domain's catalog databases", () => {
    for (const c of cases.catalog) {
      assert.equal(catalogDatabaseName(c.prefix, c.domain, "full"), c.full);
      assert.equal(catalogDatabaseName(c.prefix, c.domain, "raw"), c.raw);
    }
  });
  it("places a table's raw folder below the raw root", () => {
    for (const c of cases.rawPaths) assert.equal(rawTableUnder(c.root, { domain: c.domain, name: c.table }), c.path);
  });
  it("names a source column in the lake", () => {
    for (const c of cases.lakeColumns) assert.equal(lakeColumnName(c.source), c.lake);
  });
});
