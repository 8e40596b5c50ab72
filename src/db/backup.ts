// Backups: one plain SQL file (pg_dump's format, restorable by Postgres's own
// psql) from either database mode, and a restore of such a file into an empty
// embedded folder or an empty Postgres database. This is also how a practice
// moves from the embedded database to a Postgres server.
//
// - Embedded (no DATABASE_URL): the data folder is opened directly, under the
//   same lock the app takes, and dumped with the PGlite project's pg_dump
//   compiled to WebAssembly (@electric-sql/pglite-tools). While the app runs the
//   folder is locked and the backup refuses with one line: the WASM pg_dump
//   needs the PGlite instance itself, so it cannot go through the app's socket.
// - Server (DATABASE_URL): the pg_dump on PATH (or PG_DUMP), when its major
//   version is at least the server's (pg_dump refuses newer servers); otherwise
//   a one-line refusal naming the version to install. The WASM pg_dump cannot
//   be used here: it only talks to an in-process PGlite, not over a connection.
//
// Both dump with --no-owner --no-privileges and multi-row INSERTs (no COPY), so
// the file restores into any role, through psql or a plain client. The lines a
// newer pg_dump writes that an older server rejects are removed: see
// VERSION_SPECIFIC_LINES.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { pgDump } from "@electric-sql/pglite-tools/pg_dump";
import { DataFolderInUseError, lockDataFolder } from "./embedded.js";

const run = promisify(execFile);

/** A failure with a one-line message meant for the person running the command. */
export class BackupError extends Error {}

export interface DatabaseTarget {
  /** A Postgres server; when unset, the embedded database in dataDir. */
  databaseUrl?: string;
  dataDir: string;
}

/**
 * Lines written by a newer pg_dump that an older server or psql rejects:
 * - `\restrict KEY` / `\unrestrict KEY`: psql meta-commands written by pg_dump
 *   since 18 and the August 2025 minor releases (17.6, 16.10, 15.14, ...;
 *   CVE-2025-8714); an older psql fails on them, and they are not SQL, so a
 *   plain client (this restore) cannot send them.
 * - `SET transaction_timeout = 0;`: a setting added in Postgres 17.
 * They are removed only from the dump's preamble and its end, never from the
 * data (a note could hold a line that looks like one).
 */
const VERSION_SPECIFIC_LINES = [/^\\(?:un)?restrict\b/, /^SET transaction_timeout\b/];

function isPreambleLine(line: string): boolean {
  return (
    line.trim() === "" ||
    line.startsWith("--") ||
    line.startsWith("\\") ||
    /^SET \w+ = .*;$/.test(line) ||
    line.startsWith("SELECT pg_catalog.set_config(")
  );
}

/** The dump with the version-specific lines of its preamble and end removed. */
export function makePortable(sql: string): string {
  const lines = sql.split("\n");
  const drop = (l: string) => VERSION_SPECIFIC_LINES.some((re) => re.test(l));
  let start = 0;
  while (start < lines.length && isPreambleLine(lines[start]!)) start++;
  let end = lines.length;
  while (end > start && (lines[end - 1]!.trim() === "" || lines[end - 1]!.startsWith("--") || lines[end - 1]!.startsWith("\\")))
    end--;
  return [...lines.slice(0, start).filter((l) => !drop(l)), ...lines.slice(start, end), ...lines.slice(end).filter((l) => !drop(l))].join(
    "\n",
  );
}

/**
 * The dump's preamble (its SET lines) and the rest. They are sent as two
 * messages: Postgres parses a whole multi-statement message before running any
 * of it, so a SET standard_conforming_strings in the same message would come
 * too late for the string literals after it (psql sends statements one by one).
 */
export function splitPreamble(sql: string): [string, string] {
  const lines = sql.split("\n");
  let start = 0;
  while (start < lines.length && isPreambleLine(lines[start]!)) start++;
  return [lines.slice(0, start).join("\n"), lines.slice(start).join("\n")];
}

/** ppg-backup-2026-12-01T1530Z.sql (UTC). */
export function backupFileName(now = new Date()): string {
  const iso = now.toISOString(); // 2026-12-01T15:30:12.345Z
  return `ppg-backup-${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}Z.sql`;
}

function describeTarget(t: DatabaseTarget): string {
  if (!t.databaseUrl) return `the embedded database in ${t.dataDir}`;
  const u = new URL(t.databaseUrl);
  return `the PostgreSQL database ${u.pathname.slice(1)} at ${u.host}`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Prisma-only query parameters that libpq (pg_dump) rejects. */
function libpqUrl(url: string): string {
  const u = new URL(url);
  for (const p of ["schema", "connection_limit", "pool_timeout", "pgbouncer", "statement_cache_size", "socket_timeout"]) u.searchParams.delete(p);
  return u.toString();
}

// ---------------------------------------------------------------------------
// The embedded folder, opened directly under the app's lock.

interface OpenedFolder {
  db: PGlite;
  close(): Promise<void>;
}

async function openEmbeddedFolder(dataDir: string, opts: { create: boolean; action: string }): Promise<OpenedFolder> {
  const pgdata = path.join(dataDir, "pgdata");
  if (!opts.create && !fs.existsSync(pgdata)) {
    throw new BackupError(`There is no embedded database in ${dataDir} (set DATA_DIR to the app's data folder, or DATABASE_URL for a server).`);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  let release: () => Promise<void>;
  try {
    // The app's own lock (src/db/embedded.ts): a running app holds it.
    release = await lockDataFolder(dataDir);
  } catch (err) {
    if (err instanceof DataFolderInUseError) {
      throw new BackupError(
        `The embedded database in ${dataDir} is in use (is the app running?): stop the app, then run ${opts.action} again.`,
      );
    }
    throw err;
  }
  try {
    const db = await PGlite.create(pgdata);
    return {
      db,
      async close() {
        await db.close().catch(() => {});
        await release();
      },
    };
  } catch (err) {
    await release();
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Backup

const DUMP_ARGS = ["--no-owner", "--no-privileges", "--rows-per-insert=100"];

async function dumpEmbedded(dataDir: string): Promise<string> {
  const folder = await openEmbeddedFolder(dataDir, { create: false, action: "npm run db:backup" });
  try {
    // pgDump() deletes every line of its output that starts with \restrict or
    // \unrestrict, including lines inside the data (a note can hold one). With
    // standard_conforming_strings off, pg_dump writes each string as E'...' with
    // its backslashes doubled, so no data line can look like that; the file then
    // sets it off for its own session when restored, and the data is unchanged.
    await folder.db.exec("SET standard_conforming_strings = off");
    // pglite-tools adds --inserts; --rows-per-insert given first wins (multi-row INSERTs).
    const file = await pgDump({ pg: folder.db, args: DUMP_ARGS });
    return await file.text();
  } finally {
    await folder.close();
  }
}

/** The major version of a pg_dump binary, or undefined when it cannot be run. */
async function pgDumpMajor(bin: string): Promise<number | undefined> {
  try {
    const { stdout } = await run(bin, ["--version"]);
    const m = /(\d+)(?:\.\d+)?/.exec(stdout.replace(/^[^)]*\)/, ""));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function serverMajor(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ v: string }>("select current_setting('server_version_num') as v");
    return Math.floor(Number(rows[0]!.v) / 10_000);
  } catch (err) {
    throw new BackupError(`Could not connect to ${describeTarget({ databaseUrl: url, dataDir: "" })}: ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

async function dumpServer(url: string): Promise<string> {
  const server = await serverMajor(url);
  const bin = process.env.PG_DUMP || "pg_dump";
  const major = await pgDumpMajor(bin);
  if (major === undefined) {
    throw new BackupError(
      `pg_dump was not found (${bin}): install the PostgreSQL ${server} client tools (Debian: postgresql-client-${server}) or set PG_DUMP to its path.`,
    );
  }
  if (major < server) {
    throw new BackupError(
      `pg_dump ${major} cannot back up a PostgreSQL ${server} server: install the PostgreSQL ${server} client tools or newer, or set PG_DUMP to its path.`,
    );
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-dump-"));
  const out = path.join(tmp, "dump.sql");
  try {
    await run(bin, [...DUMP_ARGS, "--format=plain", "--encoding=UTF8", "--file", out, "--dbname", libpqUrl(url)], {
      env: { ...process.env, PGCONNECT_TIMEOUT: process.env.PGCONNECT_TIMEOUT ?? "10" },
      maxBuffer: 10 * 1024 * 1024,
    });
    return fs.readFileSync(out, "utf8");
  } catch (err) {
    const stderr = ((err as { stderr?: string }).stderr ?? (err as Error).message).trim().split("\n")[0];
    throw new BackupError(`pg_dump failed: ${stderr}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export interface BackupResult {
  file: string;
  bytes: number;
  source: string;
  tool: string;
}

/** Writes a backup file into outDir (created if needed, file readable by its owner only). */
export async function backupDatabase(target: DatabaseTarget & { outDir: string; now?: Date }): Promise<BackupResult> {
  const raw = target.databaseUrl ? await dumpServer(target.databaseUrl) : await dumpEmbedded(target.dataDir);
  if (!/^-- PostgreSQL database dump complete/m.test(raw)) throw new BackupError("pg_dump stopped before the end of the dump; no backup was written.");
  const now = target.now ?? new Date();
  const header =
    `-- PPG co-production workspace backup of ${describeTarget(target)}, made ${now.toISOString()}.\n` +
    `-- It holds personal data (staff e-mail addresses, password hashes, private notes): keep it encrypted, with limited access.\n` +
    `-- Restore: npm run db:restore -- <this file>   (or: psql -v ON_ERROR_STOP=1 -1 -f <this file> into an empty database)\n`;
  const sql = header + makePortable(raw);

  fs.mkdirSync(target.outDir, { recursive: true });
  const base = backupFileName(now).replace(/\.sql$/, "");
  let file = path.join(target.outDir, `${base}.sql`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(target.outDir, `${base}-${n}.sql`);
  // Written beside, then renamed: a half-written file never carries the final name.
  const partial = `${file}.partial`;
  fs.writeFileSync(partial, sql, { mode: 0o600 });
  fs.renameSync(partial, file);
  return {
    file,
    bytes: Buffer.byteLength(sql),
    source: describeTarget(target),
    tool: target.databaseUrl ? "pg_dump" : "pg_dump (WebAssembly, @electric-sql/pglite-tools)",
  };
}

// ---------------------------------------------------------------------------
// Restore

/** What is already in the public schema: tables, and how many hold rows. */
const CONTENTS_SQL = `
  select c.relname as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where n.nspname = 'public' and c.relkind in ('r', 'p')
  order by 1`;

interface Runner {
  query(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Runs a script of many statements (simple query protocol). */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

async function openRunner(target: DatabaseTarget): Promise<Runner> {
  if (target.databaseUrl) {
    const client = new pg.Client({ connectionString: target.databaseUrl, connectionTimeoutMillis: 10_000 });
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (err) {
      throw new BackupError(`Could not connect to ${describeTarget(target)}: ${(err as Error).message}`);
    }
    return {
      query: async (sql) => (await client.query(sql)).rows,
      exec: async (sql) => {
        await client.query(sql);
      },
      close: () => client.end(),
    };
  }
  const folder = await openEmbeddedFolder(target.dataDir, { create: true, action: "npm run db:restore" });
  return {
    query: async (sql) => (await folder.db.query<Record<string, unknown>>(sql)).rows,
    exec: async (sql) => {
      await folder.db.exec(sql);
    },
    close: () => folder.close(),
  };
}

async function existingData(db: Runner): Promise<{ tables: number; withRows: number; migrations: boolean }> {
  const tables = (await db.query(CONTENTS_SQL)).map((r) => String(r.name));
  let withRows = 0;
  for (const t of tables) {
    const [r] = await db.query(`select exists (select 1 from public."${t.replaceAll('"', '""')}") as any`);
    if (r?.any) withRows++;
  }
  return { tables: tables.length, withRows, migrations: tables.includes("_prisma_migrations") };
}

export interface RestoreResult {
  target: string;
  tables: number;
  rows: number;
  migrations: number;
  replaced: boolean;
}

/** Reads and checks a backup file; returns the SQL ready to run on Postgres 15 to 18 and PGlite. */
export function readBackupFile(file: string): string {
  let sql: string;
  try {
    sql = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new BackupError(`Cannot read ${file}: ${(err as Error).message}`);
  }
  if (!/^-- PostgreSQL database dump\s*$/m.test(sql)) {
    throw new BackupError(`${file} is not a backup made by npm run db:backup (a plain SQL pg_dump file).`);
  }
  if (!/^-- PostgreSQL database dump complete/m.test(sql)) {
    throw new BackupError(`${file} is incomplete (its last line is missing): restore from another backup.`);
  }
  if (/^COPY public\.\S+ \(.*\) FROM stdin;$/m.test(sql)) {
    throw new BackupError(`${file} holds COPY data, which only psql can load: restore it with psql, or make the backup with npm run db:backup.`);
  }
  return makePortable(sql);
}

/**
 * Restores a backup into an empty database. Refuses when the target already has
 * tables with rows or Prisma's migration table, unless force, which drops and
 * recreates the public schema (and drops the mail queue's) first, in the same transaction as the restore: a
 * restore that fails leaves the target as it was.
 */
export async function restoreDatabase(target: DatabaseTarget & { file: string; force?: boolean }): Promise<RestoreResult> {
  const sql = readBackupFile(target.file);
  const db = await openRunner(target);
  try {
    const before = await existingData(db);
    const occupied = before.withRows > 0 || before.migrations || before.tables > 0;
    if (occupied && !target.force) {
      throw new BackupError(
        `${capitalise(describeTarget(target))} is not empty (${before.tables} tables, ${before.withRows} with rows${before.migrations ? ", migrations applied" : ""}): nothing was changed. To replace everything in it, run again with --force.`,
      );
    }
    // The mail queue's schema (pgboss, features/mail) is in the backup too: replaced with the rest.
    const wipe = occupied ? "DROP SCHEMA IF EXISTS pgboss CASCADE;\nDROP SCHEMA public CASCADE;\nCREATE SCHEMA public;\n" : "";
    try {
      const [preamble, body] = splitPreamble(sql);
      await db.exec(`BEGIN;\n${wipe}${preamble}`);
      await db.exec(`${body}\n;COMMIT;`);
    } catch (err) {
      await db.exec("ROLLBACK").catch(() => {});
      throw new BackupError(`The restore failed and was rolled back (nothing was changed): ${(err as Error).message.split("\n")[0]}`);
    }
    // The dump emptied search_path for its session; the checks below name the schema.
    const tables = (await db.query(CONTENTS_SQL)).map((r) => String(r.name));
    if (!tables.includes("_prisma_migrations")) {
      throw new BackupError(`${target.file} restored, but it has no _prisma_migrations table: it is not a backup of this app.`);
    }
    let rows = 0;
    for (const t of tables) {
      const [r] = await db.query(`select count(*)::int as n from public."${t.replaceAll('"', '""')}"`);
      rows += Number(r?.n ?? 0);
    }
    const [m] = await db.query(`select count(*)::int as n from public."_prisma_migrations" where finished_at is not null`);
    return { target: describeTarget(target), tables: tables.length, rows, migrations: Number(m?.n ?? 0), replaced: occupied };
  } finally {
    await db.close();
  }
}
