// Once per test run: a migrated template database. Each test file then gets
// its own database cloned from it (CREATE DATABASE ... TEMPLATE), so files are
// isolated and can run in parallel. Names carry the runner's pid, so several
// runs can share one server, and a crashed run's databases are cleaned up by
// the next.
import crypto from "node:crypto";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "../../src/db/migrate.js";
import { ADMIN_URL, removeEmbeddedTemplate, urlFor } from "./db.js";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    runId: string;
    /** "embedded" in the integration-embedded project (vitest.config.ts). */
    dbMode?: "server" | "embedded";
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

export default async function setup(project: TestProject) {
  const runId = String(process.pid);
  const template = `ppg_tpl_${runId}_${crypto.randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    const rows = await admin.query<{ datname: string }>("select datname from pg_database where datname ~ '^ppg_(tpl|t)_[0-9]+_'");
    for (const { datname } of rows.rows) {
      const pid = Number(datname.split("_")[2]);
      if (!alive(pid)) await admin.query(`drop database if exists "${datname}" with (force)`);
    }
    await admin.query(`create database "${template}"`);
  } finally {
    await admin.end();
  }
  await migrateDatabase(urlFor(template));
  project.provide("templateDb", template);
  project.provide("runId", runId);
  return async () => {
    removeEmbeddedTemplate(runId);
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists "${template}" with (force)`).catch(() => {});
    await c.end();
  };
}
