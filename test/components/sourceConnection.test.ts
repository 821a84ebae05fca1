/**
 * SourceConnection alone, under Pulumi mocks (pulumi.runtime.setMocks), with a pretend existing
 * secret and network: the JDBC URL from the model, TLS enforced unless switched off, the secret
 * by id only (never a password), the configured subnet and security groups.
 */
import assert from "node:assert/strict";
import { SourceConnection } from "../../components/sourceConnection";
import { EXISTING, inventory, only, runComponent, TAGS } from "./support";

const TYPE = "lake:source:SourceConnection";
const NETWORK = { subnetId: "subnet-0abc", securityGroupIds: ["sg-0abc", "sg-0def"], availabilityZone: "eu-central-1a" };
const LOCATION = { engine: "mariadb", host: "erp.internal", port: 3306, database: "erp" } as const;

describe("SourceConnection alone (Pulumi mocks)", () => {
  it("creates one JDBC connection with TLS enforced by default, the secret by id and the network, and registers its name and URL", async () => {
    const run = await runComponent(
      TYPE,
      () =>
        new SourceConnection("estate-source", {
          tags: TAGS,
          connectionName: "estate-source",
          location: LOCATION,
          secretId: EXISTING.secretArn,
          network: NETWORK,
        }),
    );
    assert.deepEqual(inventory(run), { "aws:glue/connection:Connection": 1 });
    const connection = only(run, "aws:glue/connection:Connection").inputs;
    const url = run.result.jdbcUrl;
    assert.ok(url.startsWith("jdbc:mysql://erp.internal:3306/erp?permitMysqlScheme"), url);
    assert.ok(url.includes("sslMode=verify-full"), `TLS with certificate and host verification: ${url}`);
    assert.deepEqual(connection.connectionProperties, {
      JDBC_CONNECTION_URL: url,
      JDBC_ENFORCE_SSL: "true",
      SECRET_ID: EXISTING.secretArn,
    });
    assert.deepEqual(connection.physicalConnectionRequirements, {
      subnetId: "subnet-0abc",
      securityGroupIdLists: ["sg-0abc", "sg-0def"],
      availabilityZone: "eu-central-1a",
    });
    assert.equal(connection.connectionType, "JDBC");
    assert.equal(connection.name, "estate-source");
    assert.deepEqual(connection.tags, TAGS);
    assert.deepEqual(run.outputs, { connectionName: "estate-source", jdbcUrl: url });
  });

  it("passes requireTls: false through, and refuses a network without security groups", async () => {
    const run = await runComponent(
      TYPE,
      () =>
        new SourceConnection("estate-source", {
          tags: TAGS,
          connectionName: "estate-source",
          location: { ...LOCATION, requireTls: false },
          secretId: "estate-source",
          network: NETWORK,
        }),
    );
    const props = only(run, "aws:glue/connection:Connection").inputs.connectionProperties as Record<string, string>;
    assert.equal(props.JDBC_ENFORCE_SSL, "false");
    assert.equal(props.SECRET_ID, "estate-source");
    await assert.rejects(
      runComponent(
        TYPE,
        () =>
          new SourceConnection("estate-source", {
            tags: TAGS,
            connectionName: "estate-source",
            location: LOCATION,
            secretId: "estate-source",
            network: { ...NETWORK, securityGroupIds: [] },
          }),
      ),
      /SourceConnection estate-source: at least one security group is required/,
    );
  });
});
