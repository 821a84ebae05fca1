/**
 * SourceConnection: the Glue JDBC connection to the operational database. Credentials are
 * referenced by Secrets Manager SECRET_ID, never put in the connection's properties; the
 * connection runs inside the configured VPC subnet and security groups.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { jdbcDriverClass, jdbcUrl, type SourceLocation } from "../model";
import type { LakeTags } from "./common";

/** Where Glue's network interfaces for the source connection live (the company's VPC, from config). */
export interface SourceNetwork {
  /** Subnet with a route to the source database, e.g. `subnet-0abc…`. */
  readonly subnetId: pulumi.Input<string>;
  /** Security groups of the interfaces (at least one; they must allow the source's port). */
  readonly securityGroupIds: readonly pulumi.Input<string>[];
  /** Availability zone of the subnet, e.g. `eu-central-1a`. */
  readonly availabilityZone: pulumi.Input<string>;
}

export interface SourceConnectionArgs {
  /** Tags on the connection. */
  readonly tags: LakeTags;
  /** Physical name of the Glue connection (the job and its role refer to it by this name). */
  readonly connectionName: string;
  /** Engine, host, port, database (and schema) of the source; `requireTls` is true unless set false. */
  readonly location: SourceLocation;
  /** Name or ARN of the Secrets Manager secret with {"username","password"}; only its id is stored in the connection. */
  readonly secretId: pulumi.Input<string>;
  /** Subnet, security groups and zone of the connection. */
  readonly network: SourceNetwork;
}

export class SourceConnection extends pulumi.ComponentResource {
  readonly connection: aws.glue.Connection;
  readonly connectionName: pulumi.Output<string>;
  readonly jdbcUrl: string;

  constructor(name: string, args: SourceConnectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("lake:source:SourceConnection", name, {}, opts);
    if (args.network.securityGroupIds.length === 0) {
      throw new Error(`SourceConnection ${name}: at least one security group is required for the Glue connection`);
    }
    this.jdbcUrl = jdbcUrl(args.location);
    this.connection = new aws.glue.Connection(
      `${name}-jdbc`,
      {
        name: args.connectionName,
        description: `JDBC connection to the ${args.location.engine} source ${args.location.database} (driver ${jdbcDriverClass(args.location.engine)})`,
        connectionType: "JDBC",
        connectionProperties: {
          JDBC_CONNECTION_URL: this.jdbcUrl,
          JDBC_ENFORCE_SSL: String(args.location.requireTls ?? true),
          SECRET_ID: args.secretId,
        },
        physicalConnectionRequirements: {
          subnetId: args.network.subnetId,
          securityGroupIdLists: [...args.network.securityGroupIds],
          availabilityZone: args.network.availabilityZone,
        },
        tags: args.tags,
      },
      { parent: this },
    );
    this.connectionName = this.connection.name;
    this.registerOutputs({ connectionName: this.connectionName, jdbcUrl: this.jdbcUrl });
  }
}
