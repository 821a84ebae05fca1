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
    assert.equal(
      jdbcUrl({ engine: "oracle", host: "h", port: 1521, database: "ERP" }),
      "jdbc:oracle:thin:@tcps://h:1521/ERP?ssl_server_dn_match=true",
    );
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

  it("uses TLS to Oracle (tcps, server certificate checked against the host) unless requireTls is false", () => {
    const oracle: SourceLocation = { engine: "oracle", host: "ora.example", port: 2484, database: "ERPPDB", schema: "ERP" };
    assert.equal(jdbcUrl(oracle), "jdbc:oracle:thin:@tcps://ora.example:2484/ERPPDB?ssl_server_dn_match=true");
    assert.equal(jdbcUrl({ ...oracle, requireTls: true }), "jdbc:oracle:thin:@tcps://ora.example:2484/ERPPDB?ssl_server_dn_match=true");
    assert.equal(jdbcUrl({ ...oracle, requireTls: false }), "jdbc:oracle:thin:@//ora.example:2484/ERPPDB");
  });

  it("never turns a name into a pattern: customer and customer_address stay distinct", () => {
    // Exact quoted names: a prefix is never a pattern, and the quote closes the name.
    assert.equal(qualifiedTableName(mariadb, "customer"), "`erp`.`customer`");
    assert.equal(qualifiedTableName(mariadb, "customer_address"), "`erp`.`customer_address`");
    // LIKE and glob characters stay literal characters of the name.
    assert.equal(qualifiedTableName(mariadb, "customer%"), "`erp`.`customer%`");
    assert.equal(qualifiedTableName(mariadb, "cust_mer*"), "`erp`.`cust_mer*`");
    assert.equal(qualifiedTableName({ ...mariadb, engine: "postgresql" }, "customer"), '"public"."customer"');
    assert.equal(qualifiedTableName({ ...mariadb, engine: "sqlserver" }, "customer_address"), "[dbo].[customer_address]");
    assert.equal(qualifiedTableName({ ...mariadb, engine: "oracle", schema: "ERP" }, "Customer"), '"ERP"."Customer"');
  });
});
