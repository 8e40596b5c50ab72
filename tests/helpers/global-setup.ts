// Once per test run: a migrated template database. Each test file then gets
// its own database cloned from it (CREATE DATABASE ... TEMPLATE), so files are
// isolated and can run in parallel.
import pg from "pg";
import { migrateDatabase } from "../../src/db/migrate.js";
import { ADMIN_URL, TEMPLATE_DB, urlFor } from "./db.js";

export default async function setup() {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    // Drop databases left behind by an interrupted earlier run.
    const stale = await admin.query<{ datname: string }>("select datname from pg_database where datname like 'ppg_test_%'");
    for (const { datname } of stale.rows) {
      await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database "${TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(urlFor(TEMPLATE_DB));
}
