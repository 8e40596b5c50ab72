// Test databases on a real Postgres server (TEST_DATABASE_URL, default the
// local server with trust authentication).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { pino } from "pino";
import lockfile from "proper-lockfile";
import { inject } from "vitest";
import { openDatabase } from "../../src/db/index.js";

export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function urlFor(database: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh, migrated database of this test file's own. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const template = inject("templateDb");
  const name = `ppg_t_${inject("runId")}_${crypto.randomBytes(6).toString("hex")}`;
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`create database "${name}" template "${template}"`));
      break;
    } catch (err) {
      // Two files cloning the template at the same moment: wait and retry.
      if (attempt >= 20 || !/being accessed by other users/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 300));
    }
  }
  return {
    url: urlFor(name),
    name,
    drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => undefined),
  };
}

// ---------------------------------------------------------------- the embedded database, for the same tests
//
// The vitest project "integration-embedded" runs chosen integration files again
// on the embedded database, opened exactly as `npm start` opens it (PGlite in a
// data folder, served by the socket server, one pooled connection). A migrated
// data folder is made once per run and copied for each test file.

export type DbMode = "server" | "embedded";

export function dbMode(): DbMode {
  return inject("dbMode") ?? "server";
}

function embeddedTemplateDir(): string {
  return path.join(os.tmpdir(), `ppg-embedded-tpl-${inject("runId")}`);
}

/** A fresh, migrated embedded data folder of this test file's own. */
export async function createEmbeddedDataDir(): Promise<{ dataDir: string; remove(): void }> {
  const template = embeddedTemplateDir();
  fs.mkdirSync(`${template}.build`, { recursive: true });
  const release = await lockfile.lock(`${template}.build`, { retries: { retries: 600, minTimeout: 200, maxTimeout: 500 }, stale: 300_000 });
  try {
    if (!fs.existsSync(path.join(template, "ready"))) {
      const db = await openDatabase({ dataDir: template, logger: pino({ level: "silent" }) });
      await db.close();
      fs.writeFileSync(path.join(template, "ready"), "");
    }
  } finally {
    await release();
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-embedded-t-"));
  fs.cpSync(path.join(template, "pgdata"), path.join(dataDir, "pgdata"), { recursive: true });
  return { dataDir, remove: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

/** Removes this run's embedded template (global teardown). */
export function removeEmbeddedTemplate(runId: string): void {
  for (const dir of [`ppg-embedded-tpl-${runId}`, `ppg-embedded-tpl-${runId}.build`]) {
    fs.rmSync(path.join(os.tmpdir(), dir), { recursive: true, force: true });
  }
}
