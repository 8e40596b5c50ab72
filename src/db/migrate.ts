// Migrations at start (and by `npm run db:migrate`).
//
// `prisma migrate deploy` is the one thing that applies migrations. Around it:
// - It is skipped when the database already has every migration in
//   prisma/migrations (a read of _prisma_migrations). Starting the Prisma CLI
//   costs 9-20 s of CPU even with nothing to apply, and it holds its migration
//   lock all that time: that made every restart slow and made processes started
//   together time out on the lock (P1002).
// - On a Postgres server, processes that do have to migrate queue on an advisory
//   lock of ours, for as long as MIGRATION_LOCK_TIMEOUT allows, then look again:
//   the first applies the migrations, the others find nothing left to do.
//   (The embedded database needs no such lock: its folder lock already admits
//   one process, and its one connection slot must be free for the CLI.)
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import pg from "pg";
import { projectRoot } from "../paths.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const MIGRATIONS_DIR = path.join(projectRoot, "prisma", "migrations");
/** Our own advisory lock key (not Prisma's), held while one process migrates. */
const MIGRATION_LOCK_KEY = 7_119_202_612;

/** Applies pending migrations with `prisma migrate deploy` (idempotent, advisory-locked by Prisma). */
export async function migrateDatabase(databaseUrl: string): Promise<string> {
  const cli = require.resolve("prisma/build/index.js");
  const { stdout } = await run(process.execPath, [cli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}

/** The migrations this code base has, oldest first. */
export function localMigrations(): string[] {
  return fs
    .readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && fs.existsSync(path.join(MIGRATIONS_DIR, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
}

/** The local migrations the database has not applied (all of them for an empty database). */
export async function pendingMigrations(client: pg.ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ exists: boolean }>("select to_regclass('public._prisma_migrations') is not null as exists");
  if (!rows[0]?.exists) return localMigrations();
  const applied = await client.query<{ migration_name: string }>(
    "select migration_name from _prisma_migrations where finished_at is not null and rolled_back_at is null",
  );
  const done = new Set(applied.rows.map((r) => r.migration_name));
  return localMigrations().filter((m) => !done.has(m));
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

export interface MigrateResult {
  /** The migrations applied by this call (empty when there was nothing to do). */
  applied: string[];
}

export class MigrationLockTimeoutError extends Error {}

/** Brings the database up to date, doing nothing (and starting no CLI) when it already is. */
export async function migrateIfNeeded(
  url: string,
  opts: { embedded: boolean; lockTimeoutMs?: number; onWait?: () => void },
): Promise<MigrateResult> {
  const pending = await withClient(url, pendingMigrations);
  if (pending.length === 0) return { applied: [] };
  if (opts.embedded) {
    await migrateDatabase(url);
    return { applied: pending };
  }
  return withClient(url, async (lock) => {
    const deadline = Date.now() + (opts.lockTimeoutMs ?? 10 * 60_000);
    let waited = false;
    for (;;) {
      const { rows } = await lock.query<{ ok: boolean }>("select pg_try_advisory_lock($1) as ok", [MIGRATION_LOCK_KEY]);
      if (rows[0]?.ok) break;
      if (!waited) opts.onWait?.();
      waited = true;
      if (Date.now() > deadline) {
        throw new MigrationLockTimeoutError(
          "Another process has been migrating the database for too long (MIGRATION_LOCK_TIMEOUT_SECONDS); is one stuck?",
        );
      }
      await sleep(500);
    }
    try {
      const still = await pendingMigrations(lock);
      if (still.length === 0) return { applied: [] };
      await migrateDatabase(url);
      return { applied: still };
    } finally {
      await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    }
  });
}
