/**
 * The demo day on MariaDB (small data set), with the blueprint baseline: test/demo/support/day.ts
 * has the checks; test/demo/day.postgres.test.ts plays the same day on PostgreSQL.
 */
import { describeDemoDay } from "./support/day";

describeDemoDay({ engine: "mariadb", database: "erp_demo_test", work: "demo-test", baseline: true, verifyEachRun: true });
