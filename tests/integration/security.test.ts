/// <reference types="vite/client" />
// The security suite: escaping of every free-text value on every page,
// headers on every page, hostile requests, session fixation and sign-out.
// Tenant isolation is walked route by route in authorisation-matrix.test.ts
// (practice B's manager asks for each of practice A's records: 404, nothing changed).
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { SESSION_COOKIE } from "../../src/app.js";
import { createTestContext, csrfTokenIn, signInAs, type TestContext } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { buildWorld, type World } from "../helpers/world.js";
import type { MatrixRow } from "../authorisation/matrix.js";

const modules = import.meta.glob<{ rows: MatrixRow[] }>("../authorisation/*.matrix.ts", { eager: true });
const rows = Object.values(modules).flatMap((m) => m.rows);

const { ctx } = withPractice({ practices: [] });
let world: World;
beforeAll(async () => {
  world = await buildWorld(ctx.prisma);
});

/** Pages a manager of practice A and the public can open. */
function readablePages(): { url: string; signedIn: boolean }[] {
  return rows
    .filter((r) => r.method === "GET")
    .flatMap((r) => {
      const out: { url: string; signedIn: boolean }[] = [];
      if (r.expect.MANAGER === 200) out.push({ url: r.url(world), signedIn: true });
      if (r.expect.anonymous === 200) out.push({ url: r.url(world), signedIn: false });
      return out;
    });
}

// Columns that are identifiers or secrets rather than free text.
const NOT_FREE_TEXT = new Set(["id", "slug", "email", "odsCode", "linkToken", "tokenHash", "passwordHash", "sid", "action", "entityType", "entityId"]);

const PAYLOADS = [
  `<script>alert("xss-1")</script>`,
  `"><img src=x onerror=alert("xss-2")>`,
  `'><svg onload=alert('xss-3')>`,
  `</textarea><script>alert("xss-4")</script>`,
  `javascript:alert("xss-5")//<a href="javascript:alert(5)">x</a>`,
];

describe("cross-site scripting", () => {
  it("escapes injection payloads in every free-text field on every page that shows it", async () => {
    // Every text column of every table gets a payload appended (ids and secrets aside).
    const columns = await ctx.prisma.$queryRawUnsafe<{ table_name: string; column_name: string; data_type: string }[]>(
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = 'public' and data_type in ('text', 'ARRAY') and table_name not in ('_prisma_migrations', 'http_session', 'AuditEvent')`,
    );
    let n = 0;
    for (const c of columns) {
      if (NOT_FREE_TEXT.has(c.column_name)) continue;
      const payload = PAYLOADS[n++ % PAYLOADS.length]!;
      if (c.data_type === "ARRAY") {
        await ctx.prisma.$executeRawUnsafe(`update "${c.table_name}" set "${c.column_name}" = array_append("${c.column_name}", $1)`, payload);
      } else {
        await ctx.prisma.$executeRawUnsafe(`update "${c.table_name}" set "${c.column_name}" = "${c.column_name}" || $1`, ` ${payload}`);
      }
    }
    expect(n).toBeGreaterThan(20);
    const { agent } = await signInAs(ctx.app, world.a.manager.email, world.a.manager.password);
    const failures: string[] = [];
    let checked = 0;
    for (const page of readablePages()) {
      const res = page.signedIn ? await agent.get(page.url) : await request(ctx.app).get(page.url);
      // HTML and feeds are checked; a CSV download is data, not markup (see reports' own tests).
      if (res.status !== 200 || !/html|xml/.test(String(res.headers["content-type"]))) continue;
      checked++;
      const body = res.text;
      // Each payload holds < or " : found verbatim, it was not escaped.
      for (const p of PAYLOADS) if (body.includes(p)) failures.push(`${page.url}: unescaped ${p}`);
    }
    expect(checked).toBeGreaterThan(0);
    expect(failures).toEqual([]);
  }, 120_000);

  it("forbids inline script in the Content-Security-Policy", async () => {
    const csp = String((await request(ctx.app).get("/")).headers["content-security-policy"]);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });
});

describe("headers on every page", () => {
  it("sets CSP, nosniff, Referrer-Policy, frame-ancestors none and no X-Powered-By everywhere", async () => {
    const { agent } = await signInAs(ctx.app, world.a.manager.email, world.a.manager.password);
    const failures: string[] = [];
    for (const page of [...readablePages(), { url: "/no-such-page", signedIn: false }, { url: "/healthz", signedIn: false }]) {
      const res = page.signedIn ? await agent.get(page.url) : await request(ctx.app).get(page.url);
      const h = res.headers;
      if (!String(h["content-security-policy"]).includes("frame-ancestors 'none'")) failures.push(`${page.url}: CSP`);
      if (h["x-content-type-options"] !== "nosniff") failures.push(`${page.url}: nosniff`);
      if (!h["referrer-policy"]) failures.push(`${page.url}: Referrer-Policy`);
      if (h["x-powered-by"]) failures.push(`${page.url}: X-Powered-By`);
    }
    expect(failures).toEqual([]);
  });

  it("gives the session cookie HttpOnly and SameSite=Lax", async () => {
    const login = await request(ctx.app).get("/login");
    const res = await request(ctx.app).post("/login").set("Cookie", cookiesOf(login)).type("form")
      .send({ _csrf: csrfTokenIn(login.text), email: world.a.manager.email, password: world.a.manager.password });
    const cookie = String(res.headers["set-cookie"]);
    expect(cookie).toMatch(new RegExp(`${SESSION_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i); // plain http, no proxy
  });
});

/** The cookies a response set, as a Cookie request header. */
function cookiesOf(res: { headers: Record<string, unknown> }): string {
  const set = res.headers["set-cookie"];
  return (Array.isArray(set) ? set : set ? [String(set)] : []).map((c: string) => c.split(";")[0]).join("; ");
}

describe("what the server believes about a request", () => {
  async function signInVia(c: TestContext, headers: Record<string, string>) {
    const login = await request(c.app).get("/login").set(headers);
    return request(c.app).post("/login").set(headers).set("Cookie", cookiesOf(login)).type("form")
      .send({ _csrf: csrfTokenIn(login.text), email: world.a.manager.email, password: world.a.manager.password });
  }

  it("with a trusted proxy (TRUST_PROXY=1) takes the address that proxy saw, not a left-most X-Forwarded-For the client wrote", async () => {
    const c = await createTestContext({ TRUST_PROXY: "1" });
    try {
      const w = await buildWorld(c.prisma);
      const login = await request(c.app).get("/login");
      await request(c.app).post("/login").set("X-Forwarded-For", "6.6.6.6, 203.0.113.9").set("Cookie", cookiesOf(login)).type("form")
        .send({ _csrf: csrfTokenIn(login.text), email: w.a.manager.email, password: "wrong password here" });
      const [row] = await c.prisma.auditEvent.findMany({ where: { action: "auth.sign-in-failed" }, orderBy: { id: "desc" }, take: 1 });
      expect((row!.details as { ip: string }).ip).toBe("203.0.113.9");
    } finally {
      await c.close();
    }
  });

  it("makes cookies Secure whenever the request came over TLS through a trusted proxy, in any NODE_ENV", async () => {
    const c = await createTestContext({ TRUST_PROXY: "1" });
    try {
      const w = await buildWorld(c.prisma);
      const tls = await request(c.app).get("/login").set("X-Forwarded-Proto", "https");
      const res = await request(c.app).post("/login").set("X-Forwarded-Proto", "https").set("Cookie", cookiesOf(tls)).type("form")
        .send({ _csrf: csrfTokenIn(tls.text), email: w.a.manager.email, password: w.a.manager.password });
      expect(res.status).toBe(303);
      const setCookies = res.headers["set-cookie"] as unknown as string[];
      expect(setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/;\s*Secure/i);
    } finally {
      await c.close();
    }
    // Without a trusted proxy, a client's own X-Forwarded-Proto changes nothing.
    const res = await signInVia(ctx, { "X-Forwarded-Proto": "https" });
    expect(res.status).toBe(303);
    expect(String(res.headers["set-cookie"])).not.toMatch(/Secure/i);
  });

  it("sends HSTS and upgrade-insecure-requests only over TLS: production over plain http (the Docker install on a LAN) gets neither", async () => {
    const prod = await createTestContext({ NODE_ENV: "production", SESSION_SECRET: "p".repeat(40), TRUST_PROXY: "1", PUBLIC_URL: "http://192.168.1.20:3000" });
    try {
      const plain = await request(prod.app).get("/login");
      expect(plain.status).toBe(200);
      expect(plain.headers["strict-transport-security"]).toBeUndefined();
      expect(plain.headers["content-security-policy"]).not.toContain("upgrade-insecure-requests");
      const tls = await request(prod.app).get("/login").set("X-Forwarded-Proto", "https");
      expect(tls.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
      expect(tls.headers["content-security-policy"]).toContain("upgrade-insecure-requests");
    } finally {
      await prod.close();
    }
  });

  it("never builds absolute links from the Host header: group link and calendar file", async () => {
    const { agent } = await signInAs(ctx.app, world.a.manager.email, world.a.manager.password);
    const page = await agent.get(`/groups/${world.a.groupId}/edit`).set("Host", "evil.example");
    expect(page.text).toContain(`http://localhost:3000/g/`);
    const ics = await agent.get(`/sessions/${world.a.sessionId}.ics`).set("Host", "evil.example");
    expect(ics.status).toBe(200);
    for (const body of [page.text, ics.text]) expect(body).not.toContain("evil.example");
    // Long iCalendar lines are folded (RFC 5545: CRLF and a space): read them unfolded.
    expect(ics.text.replace(/\r\n[ \t]/g, "")).toContain("http://localhost:3000/sessions/");
  });
});

describe("hostile requests get a 4xx, never a 500 or a stack trace", () => {
  const noStack = (text: string) => expect(text).not.toMatch(/at [^\n]*\.(ts|js):\d+|node_modules/);

  it("oversized bodies", async () => {
    const { agent, csrf } = await signInAs(ctx.app, world.a.manager.email, world.a.manager.password);
    const res = await agent.post("/practice").type("form").send({ _csrf: csrf, practiceId: "x".repeat(400_000) });
    expect(res.status).toBe(413);
    noStack(res.text);
    const many = await agent.post("/practice").type("form").send(Array.from({ length: 3000 }, (_, i) => `f${i}=1`).join("&"));
    expect(many.status).toBeGreaterThanOrEqual(400);
    expect(many.status).toBeLessThan(500);
  });

  it("malformed URL encodings", async () => {
    for (const url of ["/%", "/ideas/%E0%A4%A", "/p/%ZZ", "/sessions/%c0%af", "/p/x/ideas/%"]) {
      const res = await request(ctx.app).get(url);
      expect(res.status, url).toBeGreaterThanOrEqual(400);
      expect(res.status, url).toBeLessThan(500);
      noStack(res.text);
    }
  });

  it("unexpected methods", async () => {
    const { agent } = await signInAs(ctx.app, world.a.manager.email, world.a.manager.password);
    for (const row of rows.slice(0, 40)) {
      for (const method of ["put", "delete", "patch"] as const) {
        const res = await agent[method](row.url(world));
        expect(res.status, `${method} ${row.path}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${method} ${row.path}`).toBeLessThan(500);
      }
    }
  });

  it("huge, negative and garbage page numbers and filters", async () => {
    const { agent } = await signInAs(ctx.app, world.a.manager.email, world.a.manager.password);
    const lists = rows.filter((r) => r.method === "GET" && !r.path.includes(":") && r.expect.MANAGER === 200);
    for (const row of lists) {
      for (const q of ["page=99999999999999999999", "page=-1", "page=abc", "page[]=1&page[]=2", "status=%00", "sort=;drop table", "theme=not-a-uuid"]) {
        const url = `${row.url(world)}${row.url(world).includes("?") ? "&" : "?"}${q}`;
        const res = await agent.get(url);
        expect(res.status, url).toBeLessThan(500);
      }
    }
  });
});

describe("sessions", () => {
  it("does not keep a session id chosen before sign-in (fixation)", async () => {
    // The attacker's own session id (anonymous visitors get none), planted in the victim's browser.
    const sidOf = (r: request.Response) => String(r.headers["set-cookie"]).match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))?.[1];
    const attackerPage = await request(ctx.app).get("/login");
    const attackerSignIn = await request(ctx.app).post("/login").set("Cookie", cookiesOf(attackerPage)).type("form")
      .send({ _csrf: csrfTokenIn(attackerPage.text), email: world.b.viewer.email, password: world.b.viewer.password });
    const planted = sidOf(attackerSignIn)!;
    expect(planted).toBeTruthy();
    // The victim signs in with the planted cookie.
    const page = await request(ctx.app).get("/login");
    const res = await request(ctx.app)
      .post("/login")
      .set("Cookie", `${SESSION_COOKIE}=${planted}; ${cookiesOf(page)}`)
      .type("form")
      .send({ _csrf: csrfTokenIn(page.text), email: world.a.viewer.email, password: world.a.viewer.password });
    expect(res.status).toBe(303);
    const issued = sidOf(res)!;
    expect(issued).not.toBe(planted);
    // The planted id no longer works (the victim's sign-in replaced it).
    const probe = await request(ctx.app).get("/dashboard").set("Cookie", `${SESSION_COOKIE}=${planted}`);
    expect(probe.status).toBe(303);
  });

  it("invalidates the session on sign-out, even if the old cookie is replayed", async () => {
    const { agent, csrf } = await signInAs(ctx.app, world.a.viewer.email, world.a.viewer.password);
    const dash = await agent.get("/dashboard");
    expect(dash.status).toBe(200);
    const jar = (agent as unknown as { jar: { getCookie(name: string, opts: object): { value: string } | undefined } }).jar;
    const old = jar.getCookie(SESSION_COOKIE, { path: "/", domain: "127.0.0.1", secure: false, script: false })?.value;
    await agent.post("/logout").type("form").send({ _csrf: csrf });
    if (old) {
      const replay = await request(ctx.app).get("/dashboard").set("Cookie", `${SESSION_COOKIE}=${old}`);
      expect(replay.status).toBe(303);
    }
    expect((await agent.get("/dashboard")).status).toBe(303);
  });
});

describe("the anonymous sign-in form", () => {
  const sessionRows = async () => Number((await ctx.prisma.$queryRawUnsafe<{ n: bigint }[]>(`select count(*) as n from http_session`))[0]!.n);

  it("writes nothing to the database for a visitor who never posts", async () => {
    const before = await sessionRows();
    for (let i = 0; i < 3; i++) {
      const res = await request(ctx.app).get("/login");
      expect(res.status).toBe(200);
      expect(String(res.headers["set-cookie"] ?? "")).not.toContain(`${SESSION_COOKIE}=`);
      expect(res.text).toMatch(/name="_csrf" value="[^"]+"/);
    }
    expect(await sessionRows()).toBe(before);
  });

  it("signs in with a form served while the session store was unavailable (no session row behind the token)", async () => {
    const agent = request.agent(ctx.app);
    const page = await agent.get("/login");
    // Whatever the store held when the page was served is gone (database down, restored, restarted).
    await ctx.prisma.$executeRawUnsafe(`delete from http_session where sess::jsonb->>'userId' is null`);
    const res = await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(page.text), email: world.a.manager.email, password: world.a.manager.password, next: "/dashboard" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/dashboard");
  });

  it("answers a refused token at /login with a fresh sign-in form and a message, never 'You do not have permission'", async () => {
    const agent = request.agent(ctx.app);
    await agent.get("/login");
    const refused = await agent.post("/login").type("form").send({ _csrf: "a-stale-token", email: world.a.manager.email, password: world.a.manager.password });
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain("You do not have permission");
    expect(refused.text).toContain("This sign-in page had expired, so nothing was sent. Enter your details again");
    expect(refused.text).toContain(`value="${world.a.manager.email}"`);
    const again = await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(refused.text), email: world.a.manager.email, password: world.a.manager.password });
    expect(again.status).toBe(303);
    // Nothing was checked or counted for the refused post.
    expect(await ctx.prisma.auditEvent.count({ where: { action: "auth.sign-in-failed", actorId: world.a.manager.id } })).toBe(0);
  });

  it("binds the anonymous token to the browser's own cookie", async () => {
    const page = await request(ctx.app).get("/login");
    const token = csrfTokenIn(page.text);
    // Another browser (no cookie, or its own) posting this token is refused.
    const other = request.agent(ctx.app);
    await other.get("/login");
    const res = await other.post("/login").type("form").send({ _csrf: token, email: world.a.manager.email, password: world.a.manager.password });
    expect(res.status).toBe(403);
    const bare = await request(ctx.app).post("/login").type("form").send({ _csrf: token, email: world.a.manager.email, password: world.a.manager.password });
    expect(bare.status).toBe(403);
  });
});
