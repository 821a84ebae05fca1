// The governed-lake policy set, importable without side effects (tests, tooling).
// index.ts is the only module that constructs the PolicyPack, which starts the analyzer gRPC server.

import type { Policies } from "@pulumi/policy";
import { governancePolicies } from "./governance";
import { gluePolicies } from "./glue";
import { runtimePolicies } from "./runtime";
import { securityPolicies } from "./security";
import { storagePolicies } from "./storage";
import { taggingPolicies } from "./tagging";

export const PACK_NAME = "governed-lake";

export const lakePolicies: Policies = [
  ...storagePolicies,
  ...governancePolicies,
  ...gluePolicies,
  ...runtimePolicies,
  ...taggingPolicies,
  ...securityPolicies,
];
