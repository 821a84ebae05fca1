/** Public surface of the tables.yaml model: pure logic, no Pulumi, no AWS. */
export * from "./types";
export * from "./errors";
export { checkTablesYaml, loadTablesYaml, parseTablesYaml, type CheckResult, type LoadOptions } from "./load";
export { TABLES_SCHEMA } from "./schemaCheck";
export { isValidTimeZone } from "./semantics";
export * from "./selection";
export * from "./cron";
export * from "./engines";
export * from "./identifiers";
export * from "./naming";
export * from "./reconcile";
export * from "./classification";
