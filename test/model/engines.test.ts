import assert from "node:assert/strict";
import { jdbcUrl, qualifiedTableName, quoteIdentifier, type SourceLocation } from "../../model";

const mariadb: SourceLocation = { engine: "mariadb", host: "db.example", port: 3306, database: "erp" };

describe("source engines", () => {
  it("builds a jdbc:mysql URL for MariaDB that the MariaDB driver accepts, in UTC, with TLS", () => {
    const url = jdbcUrl(mariadb);
    assert.ok(url.startsWith("jdbc:mysql://db.example:3306/erp?"), url);
    const params = new URLSearchParams(url.split("?")[1]);
    assert.ok(params.has("permitMysqlScheme"));
    assert.equal(params.get("connectionTimeZone"), "UTC");
    assert.equal(params.get("forceConnectionTimeZoneToSession"), "true");
    assert.equal(params.get("sslMode"), "verify-full");
    assert.ok(!jdbcUrl({ ...mariadb, requireTls: false }).includes("sslMode"));
  });

  it("builds URLs for the engines the source may move to", () => {
    assert.equal(
      jdbcUrl({ engine: "postgresql", host: "h", port: 5432, database: "erp" }),
      "jdbc:postgresql://h:5432/erp?options=-c%20TimeZone%3DUTC&sslmode=verify-full",
    );
    assert.equal(
      jdbcUrl({ engine: "sqlserver", host: "h", port: 1433, database: "erp" }),
      "jdbc:sqlserver://h:1433;databaseName=erp;encrypt=true",
    );
    assert.equal(jdbcUrl({ engine: "oracle", host: "h", port: 1521, database: "ERP" }), "jdbc:oracle:thin:@//h:1521/ERP");
    assert.match(
      jdbcUrl({ engine: "mysql", host: "h", port: 3306, database: "erp" }),
      /^jdbc:mysql:\/\/h:3306\/erp\?connectionTimeZone=UTC/,
    );
  });

  it("quotes exact names per engine, escaping the quote character", () => {
    assert.equal(quoteIdentifier("mariadb", "Order_Line_Notes"), "`Order_Line_Notes`");
    assert.equal(quoteIdentifier("mariadb", "we`ird"), "`we``ird`");
    assert.equal(quoteIdentifier("postgresql", 'a"b'), '"a""b"');
    assert.equal(quoteIdentifier("sqlserver", "a]b"), "[a]]b]");
    assert.equal(qualifiedTableName(mariadb, "return"), "`erp`.`return`");
    assert.equal(qualifiedTableName({ ...mariadb, engine: "postgresql" }, "customer"), '"public"."customer"');
  });

  it("never turns a name into a pattern: customer and customer_address stay distinct", () => {
    const a = qualifiedTableName(mariadb, "customer");
    const b = qualifiedTableName(mariadb, "customer_address");
    assert.ok(!b.startsWith(a.slice(0, -1) + "`"), "quoted names must close before the next character");
    assert.ok(!a.includes("%") && !a.includes("*"));
  });
});
