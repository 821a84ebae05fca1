/** AWS SDK clients for the coordinator, pointed at AWS_ENDPOINT_URL when set (moto in tests and the demo). */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GlueClient } from "@aws-sdk/client-glue";
import { LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly glue: GlueClient;
  readonly lakeformation: LakeFormationClient;
  readonly sns: SNSClient;
}

export interface ClientOptions {
  readonly endpoint?: string;
  readonly region?: string;
}

export function createClients(options: ClientOptions = {}): AwsClients {
  const base = {
    ...(options.region ? { region: options.region } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  };
  return {
    dynamodb: new DynamoDBClient(base),
    // moto (and any non-AWS endpoint) serves buckets by path, not by virtual host.
    s3: new S3Client({ ...base, forcePathStyle: options.endpoint !== undefined }),
    glue: new GlueClient(base),
    lakeformation: new LakeFormationClient(base),
    sns: new SNSClient(base),
  };
}

/** Counts API calls per operation (each logical call once, SDK retries not counted). */
export class CallCounter {
  readonly counts = new Map<string, number>();

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  reset(): void {
    this.counts.clear();
  }

  attach(clients: AwsClients): void {
    for (const client of Object.values(clients) as { middlewareStack: DynamoDBClient["middlewareStack"] }[]) {
      client.middlewareStack.add(
        (next, context) => async (args) => {
          const name = String(context.commandName ?? "unknown");
          this.counts.set(name, (this.counts.get(name) ?? 0) + 1);
          return next(args);
        },
        { step: "initialize", name: "coordinatorCallCounter" },
      );
    }
  }
}
