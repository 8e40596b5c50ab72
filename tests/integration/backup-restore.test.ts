// Backups round-trip between both database modes: a Postgres 15 server's dump
// (Debian's pg_dump) into a fresh embedded folder, and the embedded folder's dump
// (PGlite's pg_dump 18, compiled to WebAssembly) into a fresh Postgres 15
// database and a fresh embedded folder. Every table of the public schema must
// hold the same rows as the source, and the migrations must be where they were.
import { execFile } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { BackupError, backupDatabase, restoreDatabase } from "../../src/db/backup.js";
import { startEmbeddedDatabase } from "../../src/db/embedded.js";
import { openDatabase } from "../../src/db/index.js";
import { migrateDatabase } from "../../src/db/migrate.js";
import { seedDemo } from "../../src/db/seed.js";
import { projectRoot } from "../../src/paths.js";
import { ADMIN_URL, createTestDatabase, urlFor } from "../helpers/db.js";
import { buildWorld } from "../helpers/world.js";

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-backup-test-"));
const outDir = path.join(tmp, "backups");
const cleanups: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A new, empty database on the test server (no migrations), dropped at the end. */
async function emptyPostgresDatabase(): Promise<string> {
  const name = `ppg_t_${inject("runId")}_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: ADMIN_URL });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.end();
  });
  return urlFor(name);
}

async function pgQuery(url: string, sql: string): Promise<Record<string, unknown>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows[0] as Record<string, unknown>;
  } finally {
    await c.end();
  }
}

/** Every table of the public schema, each table's rows ordered by primary key, as JSON. */
async function snapshot(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tables = await c.query<{ name: string; pk: string[] | null }>(`
      select c.relname as name,
             (select array_agg(a.attname::text order by k.ord)
                from pg_index i
                cross join unnest(i.indkey) with ordinality as k(attnum, ord)
                join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
               where i.indrelid = c.oid and i.indisprimary) as pk
      from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p')
      order by 1`);
    const out: Record<string, string> = {};
    for (const t of tables.rows) {
      const order = t.pk ? t.pk.map((col) => `"${col}"`).join(", ") : `t::text`;
      const rows = await c.query(`select * from public."${t.name}" t order by ${order}`);
      out[t.name] = JSON.stringify(rows.rows);
    }
    return out;
  } finally {
    await c.end();
  }
}

async function snapshotEmbedded(dataDir: string): Promise<Record<string, string>> {
  const embedded = await startEmbeddedDatabase(dataDir);
  try {
    return await snapshot(embedded.url);
  } finally {
    await embedded.stop();
  }
}

/** The same tables with the same rows; on a difference, names the table and the first row that differs. */
function expectSameRows(actual: Record<string, string>, expected: Record<string, string>): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const [table, rows] of Object.entries(expected)) {
    if (actual[table] === rows) continue;
    const a = JSON.parse(actual[table]!) as unknown[];
    const e = JSON.parse(rows) as unknown[];
    const i = e.findIndex((row, n) => JSON.stringify(row) !== JSON.stringify(a[n]));
    expect({ table, rows: a.length, row: a[i] }).toEqual({ table, rows: e.length, row: e[i] });
  }
}

let sourceUrl: string;
let source: Record<string, string>;
let serverBackup: string;
let embeddedBackup: string;
const firstFolder = path.join(tmp, "embedded-1");

beforeAll(async () => {
  const database = await createTestDatabase();
  cleanups.push(() => database.drop());
  sourceUrl = database.url;
  const db = await openDatabase({ databaseUrl: sourceUrl, dataDir: "/nonexistent", logger: pino({ level: "silent" }), migrate: false, poolSize: 2 });
  try {
    await seedDemo(db.prisma);
    const world = await buildWorld(db.prisma);
    // Text that looks like the lines the restore removes from a dump's preamble must survive in the data.
    await db.prisma.partnerOrganisation.update({
      where: { id: world.a.partnerId },
      data: { notes: "Line one\nSET transaction_timeout = 0;\n\\restrict abc\n-- not a comment\n'quoted' $$dollar$$ «ünïcödé» مرحبا" },
    });
  } finally {
    await db.close();
  }
  source = await snapshot(sourceUrl);
  expect(Object.keys(source)).toContain("_prisma_migrations");
  expect(Object.values(source).filter((rows) => rows !== "[]").length).toBeGreaterThan(10);
});

describe("backup and restore", () => {
  it("backs up a Postgres server with pg_dump into a dated, private, portable file", async () => {
    const started = Date.now();
    const result = await backupDatabase({ databaseUrl: sourceUrl, dataDir: "/nonexistent", outDir, now: new Date("2026-12-01T15:30:45Z") });
    console.log(`backup (server, pg_dump): ${Date.now() - started} ms, ${result.bytes} bytes`);
    serverBackup = result.file;
    expect(path.basename(result.file)).toBe("ppg-backup-2026-12-01T1530Z.sql");
    expect(fs.statSync(result.file).mode & 0o777).toBe(0o600);
    const text = fs.readFileSync(result.file, "utf8");
    expect(text).toMatch(/^-- PostgreSQL database dump complete/m);
    expect(text).not.toMatch(/^COPY /m);
    expect(text).not.toMatch(/OWNER TO|^GRANT /m);
    // A second backup in the same minute does not overwrite the first.
    const again = await backupDatabase({ databaseUrl: sourceUrl, dataDir: "/nonexistent", outDir, now: new Date("2026-12-01T15:30:59Z") });
    expect(path.basename(again.file)).toBe("ppg-backup-2026-12-01T1530Z-2.sql");
    // A pg_dump older than the server is refused with what to install (pg_dump would refuse too).
    const oldPgDump = path.join(tmp, "pg_dump-14");
    fs.writeFileSync(oldPgDump, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.12'\n", { mode: 0o755 });
    const { server_version_num: num } = await pgQuery(sourceUrl, "show server_version_num");
    process.env.PG_DUMP = oldPgDump;
    try {
      await expect(backupDatabase({ databaseUrl: sourceUrl, dataDir: "/nonexistent", outDir })).rejects.toThrow(
        `pg_dump 14 cannot back up a PostgreSQL ${Math.floor(Number(num) / 10_000)} server: install the PostgreSQL ${Math.floor(Number(num) / 10_000)} client tools or newer, or set PG_DUMP to its path.`,
      );
    } finally {
      delete process.env.PG_DUMP;
    }
  });

  it("restores the server's backup into a fresh embedded folder, and refuses to touch the folder while the app holds it", async () => {
    const started = Date.now();
    const result = await restoreDatabase({ dataDir: firstFolder, file: serverBackup });
    console.log(`restore (server dump -> new embedded folder): ${Date.now() - started} ms`);
    expect(result).toMatchObject({ replaced: false, migrations: (JSON.parse(source._prisma_migrations!) as unknown[]).length });

    const app = await startEmbeddedDatabase(firstFolder); // holds the folder's lock, as the running app does
    try {
      expectSameRows(await snapshot(app.url), source);
      await expect(backupDatabase({ dataDir: firstFolder, outDir })).rejects.toThrow(
        /^The embedded database in .* is in use \(is the app running\?\): stop the app, then run npm run db:backup again\.$/,
      );
      await expect(restoreDatabase({ dataDir: firstFolder, file: serverBackup, force: true })).rejects.toThrow(
        /is in use \(is the app running\?\): stop the app, then run npm run db:restore again/,
      );
      // The command itself: one line on stderr, a non-zero exit.
      const cli = await run(process.execPath, ["--import", "tsx", "src/cli/db-backup.ts", outDir], {
        cwd: projectRoot,
        env: { ...process.env, DATABASE_URL: "", DATA_DIR: firstFolder },
      }).then(
        () => ({ code: 0, stderr: "" }),
        (err: { code: number; stderr: string }) => err,
      );
      expect(cli.code).toBe(1);
      expect(cli.stderr.trim().split("\n")).toHaveLength(1);
      expect(cli.stderr).toMatch(/^Backup failed: The embedded database in .* is in use .*stop the app/);
    } finally {
      await app.stop();
    }
  }, 120_000);

  it("backs up the embedded folder (PGlite's pg_dump 18) into a file a Postgres 15 server restores, migrations included", async () => {
    const started = Date.now();
    const result = await backupDatabase({ dataDir: firstFolder, outDir: path.join(tmp, "from-embedded") });
    console.log(`backup (embedded, WASM pg_dump): ${Date.now() - started} ms, ${result.bytes} bytes`);
    embeddedBackup = result.file;
    const text = fs.readFileSync(embeddedBackup, "utf8");
    const preamble = text.slice(0, text.indexOf("\nCREATE "));
    expect(preamble).toMatch(/^-- Dumped by pg_dump version 18/m);
    expect(preamble).not.toMatch(/^SET transaction_timeout/m);
    expect(text).not.toMatch(/^\\(un)?restrict /m);
    expect(text).not.toMatch(/^COPY /m);

    const target = await emptyPostgresDatabase();
    const t2 = Date.now();
    await restoreDatabase({ databaseUrl: target, dataDir: "/nonexistent", file: embeddedBackup });
    console.log(`restore (embedded dump -> new Postgres 15 database): ${Date.now() - t2} ms`);
    expectSameRows(await snapshot(target), source);
    // The app's start-up migration finds nothing to do.
    expect(await migrateDatabase(target)).toMatch(/No pending migrations to apply/);
  }, 120_000);

  it("restores the embedded folder's backup into an embedded folder: refused while it holds data, replaced with --force", async () => {
    await expect(restoreDatabase({ dataDir: firstFolder, file: embeddedBackup })).rejects.toThrow(
      /^The embedded database in .* is not empty \(\d+ tables, \d+ with rows, migrations applied\): nothing was changed\. To replace everything in it, run again with --force\.$/,
    );
    const started = Date.now();
    const result = await restoreDatabase({ dataDir: firstFolder, file: embeddedBackup, force: true });
    console.log(`restore --force (embedded dump -> existing embedded folder): ${Date.now() - started} ms`);
    expect(result.replaced).toBe(true);
    expectSameRows(await snapshotEmbedded(firstFolder), source);
  }, 120_000);

  it("refuses to restore over existing data without --force, and replaces it with --force", async () => {
    const migrated = await createTestDatabase(); // migrations applied, no rows
    cleanups.push(() => migrated.drop());
    await expect(restoreDatabase({ databaseUrl: migrated.url, dataDir: "/nonexistent", file: embeddedBackup })).rejects.toThrow(
      /^The PostgreSQL database .* is not empty \(.*migrations applied\): nothing was changed\. To replace everything in it, run again with --force\.$/,
    );
    const result = await restoreDatabase({ databaseUrl: migrated.url, dataDir: "/nonexistent", file: embeddedBackup, force: true });
    expect(result.replaced).toBe(true);
    expectSameRows(await snapshot(migrated.url), source);
    // And a database that holds the data now is refused too.
    await expect(restoreDatabase({ databaseUrl: migrated.url, dataDir: "/nonexistent", file: serverBackup })).rejects.toThrow(/is not empty/);
    // A file that is not a backup changes nothing.
    const bogus = path.join(tmp, "bogus.sql");
    fs.writeFileSync(bogus, "DROP TABLE \"Practice\";\n");
    await expect(restoreDatabase({ databaseUrl: migrated.url, dataDir: "/nonexistent", file: bogus, force: true })).rejects.toThrow(
      /is not a backup made by npm run db:backup/,
    );
    expectSameRows(await snapshot(migrated.url), source);
  }, 60_000);
});
