// The real server process on both kinds of database: the embedded folder's lock
// (kill -9, a second process during a slow first start), fast restarts,
// processes started together on one Postgres, MIGRATE_ON_START=false, a port in
// use, and draining after SIGTERM.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { localMigrations } from "../../src/db/migrate.js";
import { ADMIN_URL, urlFor } from "../helpers/db.js";
import { startServer, type ServerProcess } from "../helpers/process.js";

const started: ServerProcess[] = [];
function server(env: Record<string, string | undefined>): ServerProcess {
  const s = startServer({ SESSION_SECRET: "p".repeat(40), ...env });
  started.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(started.map((s) => s.stop("SIGKILL")));
});

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe("the embedded database folder, as npm start opens it", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-process-test-"));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("refuses a second process during a slow first start without harming the first; after kill -9 a restart takes the folder at once and is quick", async () => {
    // First start: migrations and the demo seed take a while.
    const first = server({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    // Wait until the first process holds the lock, then start a second one on the same folder.
    for (let i = 0; i < 300 && !fs.existsSync(path.join(dataDir, ".lock", "owner.json")); i++) await new Promise((r) => setTimeout(r, 100));
    const second = server({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by another process \(pid \d+\)/);
    expect(second.output()).not.toMatch(/ECOMPROMISED|at .*\.js:\d+/);

    const port = await first.ready;
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(first.output()).not.toMatch(/ECOMPROMISED/);

    // kill -9: the lock is left behind, its owner gone.
    await first.stop("SIGKILL");
    expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(true);
    const t0 = Date.now();
    const again = server({ DATA_DIR: dataDir, DATABASE_URL: undefined });
    const port2 = await again.ready;
    const restartMs = Date.now() - t0;
    expect(again.output()).not.toMatch(/in use/);
    expect(again.output()).toMatch(/database schema is up to date/);
    // Nothing to migrate: the Prisma CLI is not started (it alone took 9-20 s).
    expect(restartMs, `restart took ${restartMs} ms`).toBeLessThan(30_000);
    const signIn = await fetch(`http://127.0.0.1:${port2}/login`);
    expect(signIn.status).toBe(200);
    expect(await again.stop()).toBe(0);
    expect(fs.existsSync(path.join(dataDir, ".lock"))).toBe(false);
  }, 240_000);
});

describe("several processes on one Postgres server", () => {
  it("start together on an empty database: one migrates, the others wait for it, all become ready", async () => {
    const name = `ppg_t_${process.pid}_conc_${Date.now()}`;
    await admin(`create database "${name}"`);
    try {
      const url = urlFor(name);
      const trio = [0, 1, 2].map(() => server({ DATABASE_URL: url, SEED_DEMO: "false" }));
      const ports = await Promise.all(trio.map((s) => s.ready));
      for (const port of ports) expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const applied = trio.filter((s) => /database migrations applied/.test(s.output()));
      expect(applied).toHaveLength(1);
      for (const s of trio) expect(s.output()).not.toMatch(/P1002|timed out/i);

      // A restart with nothing to migrate neither migrates nor waits.
      const more = server({ DATABASE_URL: url, SEED_DEMO: "false" });
      await more.ready;
      expect(more.output()).toMatch(/database schema is up to date/);
      await Promise.all([...trio, more].map((s) => s.stop()));
    } finally {
      await admin(`drop database if exists "${name}" with (force)`);
    }
  }, 240_000);

  it("with MIGRATE_ON_START=false, refuses to start on a database that needs migrating, naming the command", async () => {
    const name = `ppg_t_${process.pid}_nomig_${Date.now()}`;
    await admin(`create database "${name}"`);
    try {
      const s = server({ DATABASE_URL: urlFor(name), MIGRATE_ON_START: "false" });
      expect(await s.exited).toBe(1);
      expect(s.output()).toMatch(new RegExp(`needs ${localMigrations().length} migration\\(s\\).*npm run db:migrate`));
    } finally {
      await admin(`drop database if exists "${name}" with (force)`);
    }
  }, 120_000);
});

describe("the port and the shutdown", () => {
  it("reports a port in use as one clear line, before opening the database", async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      // A database that does not answer: the port check must come first.
      const s = server({ PORT: String(port), DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none", DB_CONNECT_TIMEOUT_SECONDS: "30" });
      expect(await s.exited).toBe(1);
      expect(s.output()).toContain(`cannot listen on port ${port}: it is in use by another program`);
      expect(s.output()).not.toMatch(/listening|database not reachable|EADDRINUSE\n\s+at /);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it("says 503 on /readyz while it drains after SIGTERM, still serving pages, then exits 0", async () => {
    const name = `ppg_t_${process.pid}_drain_${Date.now()}`;
    await admin(`create database "${name}"`);
    try {
      const s = server({ DATABASE_URL: urlFor(name), SEED_DEMO: "false", SHUTDOWN_DRAIN_SECONDS: "3" });
      const port = await s.ready;
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      s.proc.kill("SIGTERM");
      await new Promise((r) => setTimeout(r, 500));
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "draining", database: "unknown" });
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
      expect(await s.exited).toBe(0);
    } finally {
      await admin(`drop database if exists "${name}" with (force)`);
    }
  }, 120_000);
});
