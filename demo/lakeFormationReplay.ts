/**
 * What the Pulumi program would put into Lake Formation, replayed into moto: the databases' tags
 * as GovernedDatabase sets them (domain=<d>, pii=true: fail closed) and every grant the program
 * synthesizes (under Pulumi mocks) that names catalog resources by an LF-tag policy. Shared by the
 * demo's access audit and test/cli/access.moto.test.ts.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { AddLFTagsToResourceCommand, GrantPermissionsCommand, type LakeFormationClient } from "@aws-sdk/client-lakeformation";
import { parse } from "yaml";
import { ofType, runWithMocks } from "../stacks/offline";
import { runLakeProgram } from "../stacks/program";

export type GrantInputs = Readonly<Record<string, unknown>>;

/** The config block of Pulumi.<stack>.yaml (as `pulumi config` holds it). */
export function stackConfig(repo: string, stack: "dev" | "prod"): Record<string, unknown> {
  const file = parse(readFileSync(path.join(repo, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return { ...file.config };
}

/** The inputs of every Lake Formation grant the program synthesizes for the given stack config (Pulumi mocks). */
export async function synthesizedGrants(config: Record<string, unknown>): Promise<GrantInputs[]> {
  const run = await runWithMocks(config, () => runLakeProgram());
  return ofType(run.resources, "aws:lakeformation/permissions:Permissions").map((g) => g.inputs);
}

/** Tags a catalog database as GovernedDatabase does: its domain, and pii=true (new tables and columns inherit it). */
export async function tagDatabase(
  lf: LakeFormationClient,
  database: string,
  domain: string,
  domainKey = "domain",
  piiKey = "pii",
): Promise<void> {
  await lf.send(
    new AddLFTagsToResourceCommand({
      Resource: { Database: { Name: database } },
      LFTags: [
        { TagKey: domainKey, TagValues: [domain] },
        { TagKey: piiKey, TagValues: ["true"] },
      ],
    }),
  );
}

/** GrantPermissions for every synthesized grant with an LF-tag policy, as Pulumi would make it. Returns how many. */
export async function replayTagPolicyGrants(lf: LakeFormationClient, grants: readonly GrantInputs[]): Promise<number> {
  let replayed = 0;
  for (const g of grants) {
    const policy = g["lfTagPolicy"] as { resourceType: string; expressions: { key: string; values: string[] }[] } | undefined;
    if (!policy) continue;
    await lf.send(
      new GrantPermissionsCommand({
        Principal: { DataLakePrincipalIdentifier: String(g["principal"]) },
        Permissions: g["permissions"] as never,
        PermissionsWithGrantOption: (g["permissionsWithGrantOptions"] ?? []) as never,
        Resource: {
          LFTagPolicy: {
            ResourceType: policy.resourceType as never,
            Expression: policy.expressions.map((e) => ({ TagKey: e.key, TagValues: e.values })),
          },
        },
      }),
    );
    replayed++;
  }
  return replayed;
}
