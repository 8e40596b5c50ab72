// The stateless design, proved with a real reverse proxy: two app processes on
// one Postgres behind nginx (Debian's package; .ci/run installs it). A sign-in
// made through one process works on the other; a change saved on one shows on
// the other's (cached) staff pages at the next request; stopping one process
// with SIGTERM under load loses no request.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pino } from "pino";
import { openDatabase } from "../../src/db/index.js";
import { createTestDatabase } from "../helpers/db.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/ideas.js";
import { freePort, startServer, type ServerProcess } from "../helpers/process.js";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => fs.existsSync(p));


/** A tiny cookie-keeping client (one user's browser). */
function client(base: string) {
  let cookie = "";
  return {
    async req(pathname: string, init: RequestInit = {}) {
      const res = await fetch(base + pathname, { ...init, redirect: "manual", headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) } });
      const set = res.headers.get("set-cookie");
      if (set) cookie = set.split(";")[0]!;
      return res;
    },
    /** Signs in through the sign-in form; returns the POST's status. */
    async signIn(email: string, password: string): Promise<number> {
      const login = await this.req("/login");
      const res = await this.req("/login", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ _csrf: csrfIn(await login.text()), email, password }),
      });
      return res.status;
    },
  };
}
function csrfIn(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error("no CSRF token on the page");
  return m[1]!;
}

let database: { url: string; drop(): Promise<void> };
let f: PracticeFixture;
let themeId: string;
let a: ServerProcess;
let b: ServerProcess;
let nginx: ChildProcess;
let proxy: string;
const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-nginx-"));

beforeAll(async () => {
  if (!NGINX) throw new Error("nginx is not installed (apt-get install nginx; .ci/run does it)");
  database = await createTestDatabase();
  const db = await openDatabase({ databaseUrl: database.url, dataDir: "/nonexistent", logger: pino({ level: "silent" }), migrate: "skip" });
  f = await createPracticeWithStaff(db.prisma, "Proxy Practice");
  const { group, session } = await createGroupAndSession(db.prisma, f);
  const theme = await db.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
  themeId = theme.id;
  await createIdea(db.prisma, { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId }, { text: "Seen through either process" });
  await db.close();

  const env = { DATABASE_URL: database.url, SEED_DEMO: "false", SESSION_SECRET: "n".repeat(40) };
  a = startServer(env);
  b = startServer(env);
  const [portA, portB] = await Promise.all([a.ready, b.ready]);
  const port = await freePort();
  fs.mkdirSync(path.join(prefix, "logs"));
  fs.writeFileSync(
    path.join(prefix, "nginx.conf"),
    `daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  upstream app { server 127.0.0.1:${portA}; server 127.0.0.1:${portB}; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`,
  );
  nginx = spawn(NGINX, ["-p", prefix, "-c", path.join(prefix, "nginx.conf")], { stdio: "ignore" });
  proxy = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${proxy}/healthz`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}, 180_000);

afterAll(async () => {
  nginx?.kill("SIGTERM");
  await Promise.all([a?.stop("SIGKILL"), b?.stop("SIGKILL")]);
  await database?.drop();
  fs.rmSync(prefix, { recursive: true, force: true });
});

describe("two app processes behind nginx", () => {
  it("a sign-in made through one process works on the other", async () => {
    const browser = client(proxy);
    expect(await browser.signIn(f.manager.email, f.manager.password)).toBe(303);
    const servedBy = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const page = await browser.req("/ideas");
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("Seen through either process");
      servedBy.add(page.headers.get("x-upstream") ?? "");
    }
    expect(servedBy.size).toBe(2);
  }, 60_000);

  it("a change saved on one process shows on the other's cached staff page at the next request", async () => {
    const onA = client(a.base());
    const onB = client(b.base());
    for (const c of [onA, onB]) expect(await c.signIn(f.manager.email, f.manager.password)).toBe(303);
    // B renders and caches /ideas (the theme's name is on it).
    const newName = `Renamed on A ${Date.now()}`;
    expect(await (await onB.req("/ideas")).text()).not.toContain(newName);
    const edit = await (await onA.req(`/themes/${themeId}/edit`)).text();
    const saved = await onA.req(`/themes/${themeId}/edit`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrfIn(edit), name: newName }),
    });
    expect(saved.status).toBe(303);
    expect(await (await onB.req("/ideas")).text()).toContain(newName);
  }, 60_000);

  it("stopping one process with SIGTERM under load loses no request", async () => {
    const browser = client(proxy);
    expect(await browser.signIn(f.viewer.email, f.viewer.password)).toBe(303);
    const statuses: number[] = [];
    const failures: string[] = [];
    let stop = false;
    const worker = async () => {
      while (!stop) {
        try {
          const res = await browser.req("/ideas");
          statuses.push(res.status);
          await res.arrayBuffer();
        } catch (err) {
          failures.push((err as Error).message);
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    for (let i = 0; i < 100 && statuses.length < 20; i++) await new Promise((r) => setTimeout(r, 100));
    const code = a.stop("SIGTERM");
    expect(await code).toBe(0);
    const afterStop = statuses.length;
    for (let i = 0; i < 100 && statuses.length < afterStop + 20; i++) await new Promise((r) => setTimeout(r, 100));
    stop = true;
    await Promise.all(workers);
    expect(failures).toEqual([]);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(afterStop);
  }, 120_000);
});
