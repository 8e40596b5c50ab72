// Faults: the database going away under load, and SIGTERM under load.
import { spawn } from "node:child_process";
import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPractice } from "../../src/features/practices/service.js";
import { createTestContext, signInAs, type TestContext } from "../helpers/app.js";
import { ADMIN_URL, createTestDatabase } from "../helpers/db.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { ideaFields, openOutcomeForm } from "../helpers/outcomes.js";
import { freePort } from "../helpers/process.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function adminQuery(sql: string, params: unknown[] = []) {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
}

describe("the database lost while requests are in flight", () => {
  let ctx: TestContext;
  let f: PracticeFixture;
  let dbName: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    f = await createPracticeWithStaff(ctx.prisma);
    dbName = new URL(ctx.databaseUrl).pathname.slice(1);
  });
  afterAll(async () => {
    await adminQuery(`alter database "${dbName}" allow_connections true`).catch(() => {});
    await ctx?.close();
  });

  it("fails those requests cleanly, says 503 on /readyz, writes nothing half-way, and recovers by itself", async () => {
    const { agent } = await signInAs(ctx.app, f.manager.email, f.manager.password);
    // Hold locks so requests and a multi-row write are mid-flight when the connections die.
    const locker = new pg.Client({ connectionString: ctx.databaseUrl });
    locker.on("error", () => {}); // it is killed on purpose below
    await locker.connect();
    await locker.query("begin");
    await locker.query(`lock table "Membership", "Theme" in access exclusive mode`);

    const inFlight = [1, 2, 3].map(() => agent.get("/dashboard").then((r) => r));
    // createPractice writes the practice, then its themes (blocked here), in one transaction.
    const write = createPractice(ctx.prisma, { name: "Half Written", odsCode: "HALF1", slug: "half-written" }).then(
      () => "committed",
      () => "failed",
    );
    await sleep(500);

    // The database goes away: no new connections, existing ones killed.
    await adminQuery(`alter database "${dbName}" allow_connections false`);
    await adminQuery(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()`, [dbName]);
    await locker.end().catch(() => {});

    for (const res of await Promise.all(inFlight)) {
      expect(res.status).toBe(500);
      expect(res.text).toContain("Sorry, there is a problem with the service");
      expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    }
    expect(await write).toBe("failed");
    const ready = await request(ctx.app).get("/readyz");
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: "unavailable", database: "down" });
    expect((await agent.get("/dashboard")).status).toBe(500);

    // The database comes back: the app serves again without a restart.
    await adminQuery(`alter database "${dbName}" allow_connections true`);
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = (await request(ctx.app).get("/readyz")).status === 200;
      if (!recovered) await sleep(200);
    }
    expect(recovered).toBe(true);
    expect((await agent.get("/dashboard")).status).toBe(200);
    // Nothing of the interrupted transaction remains.
    expect(await ctx.prisma.practice.count({ where: { slug: "half-written" } })).toBe(0);
  }, 60_000);
});

describe("a crash in the middle of saving a session outcome", () => {
  it("saves all of it or none of it", async () => {
    const ctx = await createTestContext();
    try {
      const f = await createPracticeWithStaff(ctx.prisma);
      const { session } = await createGroupAndSession(ctx.prisma, f, { status: "SCHEDULED" });
      const themes = await ctx.prisma.theme.findMany({ where: { practiceId: f.practice.id }, take: 3 });
      const { agent } = await signInAs(ctx.app, f.facilitator.email, f.facilitator.password);
      const { csrf, submissionId } = await openOutcomeForm(agent, session.id);
      const body = {
        _csrf: csrf, submissionId, mode: "new", action: "save", attendanceCount: "11", themesDiscussed: "Waiting", processReflection: "", privateReflections: "",
        ...ideaFields(themes.map((t, i) => ({ text: `Crash-test idea ${i}`, themeId: t.id, support: "3", consent: "PUBLIC" }))),
      };
      // Block the save part-way (at the ideas), then kill the app's connections: a crash mid-transaction.
      const dbName = new URL(ctx.databaseUrl).pathname.slice(1);
      const locker = new pg.Client({ connectionString: ctx.databaseUrl });
      locker.on("error", () => {});
      await locker.connect();
      await locker.query("begin");
      await locker.query(`lock table "Idea" in access exclusive mode`);
      const saving = agent.post(`/sessions/${session.id}/outcome`).type("form").send(body).then((r) => r);
      // Wait until the save is blocked at the lock, then kill exactly that connection (and the locker).
      // Only these two: the test's own pooled connections stay alive, so the checks below do not
      // race a connection the server has just terminated.
      let blocked: number[] = [];
      for (let i = 0; i < 100 && blocked.length === 0; i++) {
        await sleep(100);
        const r = await adminQuery(`select pid from pg_stat_activity where datname = $1 and wait_event_type = 'Lock'`, [dbName]);
        blocked = r.rows.map((row: { pid: number }) => row.pid);
      }
      expect(blocked.length).toBeGreaterThan(0);
      await adminQuery(`select pg_terminate_backend(pid) from unnest($1::int[]) as pid`, [blocked]);
      await locker.end().catch(() => {});
      const crashed = await saving;
      expect(crashed.status).toBe(500);
      // None of it: no ideas, no final outcome, the session not marked held.
      expect(await ctx.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
      expect((await ctx.prisma.sessionOutcome.findUnique({ where: { sessionId: session.id } }))?.isDraft ?? true).toBe(true);
      expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("SCHEDULED");
      // Sent again once the database is back: all of it.
      let again = await agent.post(`/sessions/${session.id}/outcome`).type("form").send(body);
      for (let i = 0; i < 20 && again.status === 500; i++) {
        await sleep(200);
        again = await agent.post(`/sessions/${session.id}/outcome`).type("form").send(body);
      }
      expect(again.status).toBe(303);
      expect(await ctx.prisma.idea.count({ where: { sessionId: session.id } })).toBe(3);
      expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("HELD");
    } finally {
      await ctx.close();
    }
  }, 60_000);
});

describe("SIGTERM under load", () => {
  it("finishes requests in flight, refuses new connections, exits 0, and loses no acknowledged write", async () => {
    const database = await createTestDatabase();
    const setup = await createTestContextFor(database.url);
    const f = await createPracticeWithStaff(setup.prisma);
    await setup.close();

    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], {
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "test", LOG_LEVEL: "warn", SESSION_SECRET: "s".repeat(40), SEED_DEMO: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let childOutput = "";
    child.stdout!.on("data", (d: Buffer) => (childOutput += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (childOutput += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    // Starting through tsx takes seconds, many more on a loaded machine.
    let ready = false;
    for (let i = 0; i < 300 && !ready; i++) {
      try {
        ready = (await fetch(`${base}/readyz`)).ok;
      } catch {
        /* starting */
      }
      if (!ready) await sleep(200);
    }
    expect(ready, childOutput).toBe(true);

    // Load: each worker signs in again and again; every 303 is an acknowledged write
    // (a session row and an audit row).
    let acknowledged = 0;
    let failedAfterAccept = 0;
    let stop = false;
    const statuses: string[] = [];
    const signalledAtRef = { at: 0 };
    const worker = async () => {
      while (!stop) {
        try {
          const page = await fetch(`${base}/login`);
          const cookie = (page.headers.get("set-cookie") ?? "").split(";")[0]!;
          const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
          const res = await fetch(`${base}/login`, {
            method: "POST",
            redirect: "manual",
            headers: { "content-type": "application/x-www-form-urlencoded", cookie },
            body: new URLSearchParams({ _csrf: csrf, email: f.viewer.email, password: f.viewer.password }),
          });
          if (res.status === 303) acknowledged++;
          else {
            failedAfterAccept++;
            statuses.push(`${res.status} ${Date.now() - signalledAtRef.at}`);
          }
        } catch {
          // Connection refused or reset: the server had stopped accepting.
          await sleep(20);
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    // Under load: wait until writes are being acknowledged (a slow machine takes longer).
    for (let i = 0; i < 400 && acknowledged < 10; i++) await sleep(100);
    await sleep(300);
    const before = acknowledged;
    const signalledAt = Date.now();
    signalledAtRef.at = signalledAt;
    child.kill("SIGTERM");
    const code = await exited;
    const tookMs = Date.now() - signalledAt;
    stop = true;
    await Promise.all(workers);

    expect(before, `acknowledged before SIGTERM; shutdown took ${tookMs} ms`).toBeGreaterThan(0);
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(15_000);
    expect(statuses.slice(0, 10), childOutput.split("\n").filter((l) => /"level":(50|60)/.test(l)).slice(0, 3).join("\n")).toEqual([]);
    expect(failedAfterAccept).toBe(0); // every request the server took was answered properly
    await expect(fetch(`${base}/healthz`)).rejects.toThrow(); // new connections refused

    const check = await createTestContextFor(database.url);
    const rows = await check.prisma.auditEvent.count({ where: { action: "auth.sign-in", actorId: f.viewer.id } });
    await check.close();
    expect(rows).toBeGreaterThanOrEqual(acknowledged);
    await database.drop();
  }, 180_000);
});


/** Prisma on an existing test database (no app). */
async function createTestContextFor(url: string) {
  const { openDatabase } = await import("../../src/db/index.js");
  const { pino } = await import("pino");
  const db = await openDatabase({ databaseUrl: url, dataDir: "/nonexistent", logger: pino({ level: "silent" }), migrate: false });
  return { prisma: db.prisma, close: () => db.close() };
}
