// The embedded database: data survives a restart, and a second process on the
// same folder gets a clear error. Also the process-level start-up failures.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { pino } from "pino";
import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/index.js";
import { DataFolderInUseError, startEmbeddedDatabase } from "../../src/db/embedded.js";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { signInAs } from "../helpers/app.js";
import { createGroupAndSession, createPracticeWithStaff } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/ideas.js";

const run = promisify(execFile);
const logger = pino({ level: "silent" });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-embedded-test-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

describe("embedded database", () => {
  it("is migrated on start and keeps every row across a restart", async () => {
    const first = await openDatabase({ dataDir, logger });
    expect(first.mode).toBe("embedded");
    await first.prisma.practice.create({ data: { name: "Kept Practice", odsCode: "K1", slug: "kept" } });
    // A second process on the same folder is refused, the folder untouched.
    await expect(startEmbeddedDatabase(dataDir)).rejects.toBeInstanceOf(DataFolderInUseError);
    await expect(startEmbeddedDatabase(dataDir)).rejects.toThrow(/in use by another process/);
    await first.close();

    const second = await openDatabase({ dataDir, logger });
    const kept = await second.prisma.practice.findUnique({ where: { slug: "kept" } });
    expect(kept?.name).toBe("Kept Practice");
    // Transactions work through the single shared connection.
    await expect(
      second.prisma.$transaction(async (tx) => {
        await tx.practice.create({ data: { name: "Rolled back", odsCode: "K2", slug: "rolled-back" } });
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await second.prisma.practice.count({ where: { slug: "rolled-back" } })).toBe(0);
    await second.close();
  }, 240_000); // three database processes started (two refused), the first one migrating: over 120 s on a busy 2-core machine

  it("serves signed-in staff pages: the session with its user in one prepared statement, cached pages kept exact by the data version", async () => {
    const db = await openDatabase({ dataDir, logger });
    try {
      const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: dataDir, STAFF_CACHE_SECONDS: "600" });
      const app = createApp({ config, db, logger, sessionSecret: "e".repeat(64) });
      const f = await createPracticeWithStaff(db.prisma, "Embedded Practice");
      const { group, session } = await createGroupAndSession(db.prisma, f);
      const theme = await db.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
      const origin = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
      await createIdea(db.prisma, origin, { text: "Embedded first idea" });
      const { agent } = await signInAs(app, f.manager.email, f.manager.password);
      for (let i = 0; i < 3; i++) {
        const page = await agent.get("/ideas");
        expect(page.status).toBe(200);
        expect(page.text).toContain("Embedded first idea");
      }
      // The trigger-kept data version works here too: a new idea shows at once.
      const before = (await db.prisma.practice.findUniqueOrThrow({ where: { id: f.practice.id } })).dataVersion;
      await createIdea(db.prisma, origin, { text: "Embedded second idea" });
      expect((await db.prisma.practice.findUniqueOrThrow({ where: { id: f.practice.id } })).dataVersion).toBe(before + 1n);
      expect((await agent.get("/ideas")).text).toContain("Embedded second idea");
      expect((await agent.get("/reports")).status).toBe(200);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe("embedded database: a connection is never assumed fresh", () => {
  // The embedded backend outlives its connections. Before the fix, a pool that
  // replaced its connection (after its idle timeout, or after an error) found
  // the previous connection's named statements there: every signed-in page
  // answered 500 ("prepared statement "session-with-user" already exists")
  // while /readyz said ready.
  it("serves signed-in pages and says ready after the pool's connection is replaced, with nothing left over from the old one", async () => {
    const db = await openDatabase({ dataDir, logger });
    try {
      const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: dataDir });
      const app = createApp({ config, db, logger, sessionSecret: "f".repeat(64) });
      const f = await createPracticeWithStaff(db.prisma, "Reconnect Practice");
      const { agent } = await signInAs(app, f.manager.email, f.manager.password);
      expect((await agent.get("/dashboard")).status).toBe(200);

      // State a connection can leave on the backend: a setting, a temp table, an advisory lock.
      const old = await db.pool.connect();
      await old.query("set application_name = 'left-behind'");
      await old.query("create temp table left_behind (x int)");
      await old.query("select pg_advisory_lock(4242)");
      for (const gapMs of [0, 300]) {
        // The pool drops its connection (as after an idle timeout or an error) and opens another.
        const c = gapMs === 0 ? old : await db.pool.connect();
        c.release(true);
        await new Promise((r) => setTimeout(r, gapMs));
        const page = await agent.get("/dashboard");
        expect(page.status).toBe(200);
        expect((await request(app).get("/readyz")).status).toBe(200);
        expect((await agent.get("/ideas")).status).toBe(200);
        // A new sign-in (another session row read by the same named statement) works too.
        expect((await signInAs(app, f.viewer.email, f.viewer.password)).csrf).toBeTruthy();
      }
      const { rows } = await db.pool.query<{ app: string; temp: string | null; locks: string }>(
        `select current_setting('application_name') as app, to_regclass('pg_temp.left_behind')::text as temp,
                (select count(*) from pg_locks where locktype = 'advisory')::text as locks`,
      );
      expect(rows[0]).toEqual({ app: "", temp: null, locks: "0" });
    } finally {
      await db.close();
    }
  }, 120_000);

  it("/readyz says 503 when the signed-in pages' first statement fails, not only when SELECT 1 does", async () => {
    const db = await openDatabase({ dataDir, logger });
    try {
      const config = loadConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: dataDir });
      const app = createApp({ config, db, logger, sessionSecret: "f".repeat(64) });
      expect((await request(app).get("/readyz")).status).toBe(200);
      // The session table gone: SELECT 1 still works, every signed-in page would fail.
      await db.pool.query("alter table http_session rename to http_session_away");
      try {
        expect(await db.ping()).toBe(true);
        const res = await request(app).get("/readyz");
        expect(res.status).toBe(503);
        expect(res.body).toEqual({ status: "unavailable", database: "down" });
      } finally {
        await db.pool.query("alter table http_session_away rename to http_session");
      }
      expect((await request(app).get("/readyz")).status).toBe(200);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe("process start-up", () => {
  const tsx = path.resolve("node_modules/.bin/tsx");
  it("stops with one line naming a bad variable", async () => {
    const err = await run(tsx, ["src/server.ts"], { env: { ...process.env, PORT: "eighty" } }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr.trim()).toBe("Invalid environment variable PORT: Expected number, received nan");
  }, 60_000);

  it("retries an unreachable database for a bounded time, then exits with a clear message", async () => {
    const started = Date.now();
    const err = await run(tsx, ["src/server.ts"], {
      env: { ...process.env, DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none", DB_CONNECT_TIMEOUT_SECONDS: "2", NODE_ENV: "test" },
    }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stdout).toContain("Could not reach the database after 2 s");
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
