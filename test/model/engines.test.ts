import assert from "node:assert/strict";
import {
  engineProblem,
  isLoadableEngine,
  jdbcDriverClass,
  jdbcUrl,
  LOADABLE_ENGINES,
  qualifiedTableName,
  quoteIdentifier,
  SOURCE_ENGINES,
  type SourceLocation,
} from "../../model";

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

  it("builds a PostgreSQL URL in UTC whose TLS checks the host against the JVM trust store", () => {
    const url = jdbcUrl({ engine: "postgresql", host: "h", port: 5432, database: "erp" });
    assert.equal(
      url,
      "jdbc:postgresql://h:5432/erp?options=-c%20TimeZone%3DUTC&sslmode=verify-full&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory",
    );
    // what the driver sees after URL decoding
    assert.equal(new URLSearchParams(url.split("?")[1]).get("options"), "-c TimeZone=UTC");
    assert.equal(
      jdbcUrl({ engine: "postgresql", host: "h", port: 5432, database: "erp", requireTls: false }),
      "jdbc:postgresql://h:5432/erp?options=-c%20TimeZone%3DUTC",
    );
    assert.equal(jdbcDriverClass("postgresql"), "org.postgresql.Driver");
  });

  it("reads MySQL with the MariaDB driver the job ships, so its URL takes that driver's parameters", () => {
    assert.equal(jdbcDriverClass("mysql"), "org.mariadb.jdbc.Driver");
    assert.equal(jdbcUrl({ engine: "mysql", host: "h", port: 3306, database: "erp" }), jdbcUrl({ ...mariadb, host: "h", port: 3306 }));
  });

  it("says which engines the job loads, and names the config key for the others", () => {
    assert.deepEqual([...LOADABLE_ENGINES], ["mariadb", "mysql", "postgresql"]);
    assert.deepEqual(
      SOURCE_ENGINES.filter((e) => !isLoadableEngine(e)),
      ["sqlserver", "oracle"],
    );
    for (const engine of LOADABLE_ENGINES) assert.equal(engineProblem(engine), undefined);
    assert.equal(
      engineProblem("sqlserver"),
      'lake:source.engine "sqlserver" cannot be loaded yet: the ingest job reads mariadb, mysql, postgresql (no sqlserver dialect in handlers/ingest/lake_ingest/dialects)',
    );
    assert.match(engineProblem("oracle") ?? "", /^lake:source.engine "oracle" cannot be loaded yet/);
    assert.equal(engineProblem("db2"), 'lake:source.engine must be one of mariadb, mysql, postgresql (got "db2")');
  });

  it("keeps URLs for the engines the source may move to later", () => {
    assert.equal(
      jdbcUrl({ engine: "sqlserver", host: "h", port: 1433, database: "erp" }),
      "jdbc:sqlserver://h:1433;databaseName=erp;encrypt=true",
    );
    assert.equal(
      jdbcUrl({ engine: "oracle", host: "h", port: 1521, database: "ERP" }),
      "jdbc:oracle:thin:@tcps://h:1521/ERP?ssl_server_dn_match=true",
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
