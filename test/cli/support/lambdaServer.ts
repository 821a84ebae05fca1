/**
 * The coordinator Lambda, served in process: moto cannot run Lambda code without Docker, so this
 * answers the Lambda Invoke API (POST /2015-03-31/functions/<name>/invocations) on 127.0.0.1 by
 * handing the payload to the real coordinator (createCoordinator against moto) and returning its
 * report, as the Lambda runtime would. The CLI reaches it through the real @aws-sdk/client-lambda.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Coordinator } from "../../../handlers/coordinator/coordinator";

export interface LambdaServer {
  readonly url: string;
  /** Payloads received, in order. */
  readonly invocations: { functionName: string; payload: unknown }[];
  close(): Promise<void>;
}

export async function serveCoordinator(functionName: string, coordinator: () => Coordinator): Promise<LambdaServer> {
  const invocations: LambdaServer["invocations"] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? "");
      const name = match ? decodeURIComponent(match[1]) : "";
      if (req.method !== "POST" || name !== functionName) {
        res.writeHead(404, { "content-type": "application/json", "x-amzn-errortype": "ResourceNotFoundException" });
        res.end(JSON.stringify({ message: `Function not found: ${name}` }));
        return;
      }
      const payload: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "null");
      invocations.push({ functionName: name, payload });
      coordinator()
        .handle(payload)
        .then(
          (report) => {
            res.writeHead(200, { "content-type": "application/json", "x-amz-executed-version": "$LATEST" });
            res.end(JSON.stringify(report));
          },
          (error: unknown) => {
            res.writeHead(200, { "content-type": "application/json", "x-amz-function-error": "Unhandled" });
            res.end(JSON.stringify({ errorMessage: (error as Error).message }));
          },
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
