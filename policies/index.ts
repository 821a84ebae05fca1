// Entry point of the policy pack: `pulumi preview --policy-pack policies` (from the repository root).
// Constructing a PolicyPack starts the analyzer server, so nothing else should import this module;
// tests import ./pack instead.

import { PolicyPack } from "@pulumi/policy";
import { lakePolicies, PACK_NAME } from "./pack";

new PolicyPack(PACK_NAME, {
  description: "Governed data lake: encrypted private S3, Lake Formation tag-based grants, safe Glue ingest.",
  enforcementLevel: "mandatory",
  policies: lakePolicies,
});
