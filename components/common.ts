/** Small helpers every component shares: tags and IAM policy documents. */
import * as pulumi from "@pulumi/pulumi";

/** Tags every taggable resource of the lake carries (the policy pack requires them). */
export type LakeTags = Readonly<Record<string, string>>;

type In<T> = pulumi.Input<T>;

/** An IAM policy statement whose ARNs may still be outputs. */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Record<string, In<string> | In<string>[]> | "*";
  Action: string | string[];
  Resource: In<string> | In<string>[] | In<string[]>;
  Condition?: Record<string, Record<string, In<string> | In<string>[] | boolean>>;
}

/** A JSON policy document; outputs inside the statements are resolved first. */
export function policyDocument(statements: In<PolicyStatement[]> | PolicyStatement[]): pulumi.Output<string> {
  return pulumi.output(statements).apply((resolved) => JSON.stringify({ Version: "2012-10-17", Statement: resolved }));
}

/**
 * Trust policy letting one AWS service assume a role, limited to this account and, when given, to
 * the resources (aws:SourceArn patterns) the service acts for: the confused-deputy guard the
 * services document.
 */
export function serviceTrustPolicy(
  service: string,
  accountId: pulumi.Input<string>,
  sourceArns?: pulumi.Input<pulumi.Input<string>[]>,
): pulumi.Output<string> {
  return pulumi.all([accountId, pulumi.output(sourceArns ?? [])]).apply(([account, arns]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: service },
          Action: "sts:AssumeRole",
          Condition: {
            StringEquals: { "aws:SourceAccount": account },
            ...(arns.length > 0 ? { ArnLike: { "aws:SourceArn": arns.length === 1 ? arns[0] : arns } } : {}),
          },
        },
      ],
    }),
  );
}

/** ARNs of a bucket and of the objects under some prefixes. */
export function objectArns(bucketArn: pulumi.Input<string>, prefixes: readonly string[]): pulumi.Output<string[]> {
  return pulumi.output(bucketArn).apply((arn) => prefixes.map((p) => `${arn}/${p}*`));
}
