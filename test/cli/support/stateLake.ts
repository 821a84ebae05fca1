/**
 * The operating commands' test lake: the coordinator tests' moto lake (test/coordinator/support)
 * plus, for --stack, the coordinator Lambda's configuration in moto. moto runs no Lambda code
 * (it would need Docker), so the function exists only for GetFunctionConfiguration; the IAM role
 * it names is created through moto's IAM query API (this project has no IAM SDK client).
 */
import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { motoUrl } from "../../coordinator/support/moto";
import { STATE_TABLE } from "../../coordinator/support/lake";

const ROLE_NAME = "coordinator";

/** The deployed coordinator's configuration as the Coordinator component sets it (STATE_TABLE). */
export async function createCoordinatorFunction(functionName: string): Promise<void> {
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  const body = new URLSearchParams({ Action: "CreateRole", Version: "2010-05-08", RoleName: ROLE_NAME, AssumeRolePolicyDocument: trust });
  const res = await fetch(`${motoUrl()}/`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=x",
    },
    body,
  });
  if (!res.ok && !(await res.text()).includes("EntityAlreadyExists")) throw new Error(`moto IAM CreateRole: HTTP ${res.status}`);
  const lambda = new LambdaClient({ endpoint: motoUrl(), region: "eu-central-1" });
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: functionName,
      Runtime: "nodejs20.x",
      Role: `arn:aws:iam::123456789012:role/${ROLE_NAME}`,
      Handler: "index.handler",
      // moto stores the code without unpacking it (it never runs it here).
      Code: { ZipFile: Buffer.from("not run by moto") },
      Environment: { Variables: { STATE_TABLE } },
    }),
  );
}
