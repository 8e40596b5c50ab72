// Brute-force protection on POST /login: per account and address, per account,
// per address (see src/features/auth/rate-limit.ts and docs/trust.md), kept in
// Postgres (shared by every app process), with one message whether or not the
// account exists. The app trusts one proxy hop here, so X-Forwarded-For sets
// each test's client address.
import crypto from "node:crypto";
import request from "supertest";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { addUserToPractice } from "../../src/features/practices/service.js";
import {
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS as PAIR_LIMIT,
  MAX_FAILURES_PER_IP,
} from "../../src/features/auth/rate-limit.js";
import { csrfTokenIn, signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { PASSWORD } from "../helpers/fixtures.js";
import { mainOf, summaryErrors } from "../helpers/users.js";

const { ctx, a: f } = withPractice({ env: { TRUST_PROXY: "1" }, practices: ["Test Practice"] });

const TOO_MANY = "Too many attempts. Wait 15 minutes, then try again";
const WRONG = "Enter a correct email address and password";
let ipCounter = 1;
const newIp = () => `198.51.100.${ipCounter++}`;
const uniqueEmail = (label: string) => `${label}-${crypto.randomBytes(4).toString("hex")}@example.test`;

async function newUser(label: string) {
  const email = uniqueEmail(label);
  await addUserToPractice(ctx.prisma, { practiceId: f.practice.id, email, name: label, password: PASSWORD, role: "VIEWER" });
  return email;
}

/** A sign-in form fetched from `ip` (no X-Forwarded-For when undefined: the test client's own address), ready to post. */
async function form(ip: string | undefined, app = ctx.app) {
  const agent = request.agent(app);
  const get = agent.get("/login");
  const csrf = csrfTokenIn((await (ip ? get.set("X-Forwarded-For", ip) : get)).text);
  return (email: string, password: string) => {
    const post = agent.post("/login");
    return (ip ? post.set("X-Forwarded-For", ip) : post).type("form").send({ _csrf: csrf, email, password, next: "/dashboard" });
  };
}

/** One sign-in attempt from `ip` with a fresh session, through `app`. */
async function attempt(email: string, password: string, ip: string | undefined, app = ctx.app) {
  return (await form(ip, app))(email, password);
}

describe("sign-in rate limits", () => {
  it(`refuses an account at one address after ${PAIR_LIMIT} failures, even with the right password; one audit row per lock window`, async () => {
    const email = await newUser("victim");
    const ip = newIp();
    for (let i = 0; i < PAIR_LIMIT; i++) {
      const res = await attempt(email, `wrong-guess-${i}`, ip);
      expect(res.status).toBe(401);
      expect(summaryErrors(res.text)).toEqual([WRONG]);
    }
    const blocked = await attempt(email, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(blocked.headers["retry-after"]).toBe("900");
    expect(summaryErrors(blocked.text)).toEqual([TOO_MANY]);
    // It is not signed in.
    expect(blocked.headers.location).toBeUndefined();
    // However often it is refused, the audit log gets one row for the window, without the e-mail.
    for (let i = 0; i < 10; i++) expect((await attempt(email.toUpperCase(), PASSWORD, ip)).status).toBe(429);
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { email } });
    const audit = await ctx.prisma.auditEvent.findMany({ where: { action: "auth.sign-in-blocked", entityId: user.id } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ practiceId: f.practice.id, details: { ip, reason: "too-many-attempts" } });
    expect(JSON.stringify(audit.map((e) => e.details))).not.toContain(email);
    // The person is not locked out everywhere by guesses from one place.
    expect((await attempt(email, PASSWORD, newIp())).status).toBe(303);
  });

  it("checks at most the limit's worth of passwords when 30 wrong ones arrive in parallel (the count is atomic)", async () => {
    const email = await newUser("parallel");
    const user = await ctx.prisma.user.findUniqueOrThrow({ where: { email } });
    const ip = newIp();
    const posts = await Promise.all(Array.from({ length: 30 }, () => form(ip)));
    const results = await Promise.all(posts.map((post, i) => post(email, `parallel-guess-${i}`)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(PAIR_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(30 - PAIR_LIMIT);
    // Each checked password writes one failed sign-in: exactly the limit's worth were checked.
    expect(await ctx.prisma.auditEvent.count({ where: { action: "auth.sign-in-failed", entityId: user.id } })).toBe(PAIR_LIMIT);
    expect((await attempt(email, PASSWORD, ip)).status).toBe(429);
  }, 60_000);

  it("lets several correct sign-ins of one account from one address through at once (they wait, they are not refused)", async () => {
    const email = await newUser("busy");
    const ip = newIp();
    const posts = await Promise.all(Array.from({ length: 8 }, () => form(ip)));
    const results = await Promise.all(posts.map((post) => post(email, PASSWORD)));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(303));
  }, 60_000);

  it(`refuses an account guessed at from many addresses after ${MAX_FAILURES_PER_ACCOUNT} failures, except at an address it signed in from before`, async () => {
    const email = await newUser("distributed");
    const home = newIp();
    expect((await attempt(email, PASSWORD, home)).status).toBe(303); // home is now a known address
    for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) expect((await attempt(email, `spread-${i}`, newIp())).status).toBe(401);
    expect((await attempt(email, PASSWORD, newIp())).status).toBe(429);
    expect((await attempt(email, PASSWORD, home)).status).toBe(303);
  }, 60_000);

  it("says the same thing, with the same status, whether or not the account exists", async () => {
    const existing = await newUser("exists");
    const unknown = uniqueEmail("nobody");
    const ip = newIp();
    const last: Record<string, request.Response> = {};
    for (const email of [existing, unknown]) {
      for (let i = 0; i < PAIR_LIMIT; i++) expect((await attempt(email, "not-the-password", ip)).status).toBe(401);
      last[email] = await attempt(email, "not-the-password", ip);
    }
    expect(last[existing]!.status).toBe(429);
    expect(last[unknown]!.status).toBe(429);
    expect(mainOf(last[existing]!.text).replace(existing, "EMAIL")).toBe(mainOf(last[unknown]!.text).replace(unknown, "EMAIL"));
  });

  it("does not refuse another account from the same address because one account is blocked", async () => {
    const blockedEmail = await newUser("blocked");
    const other = await newUser("other");
    const ip = newIp();
    for (let i = 0; i < PAIR_LIMIT; i++) await attempt(blockedEmail, "nope-nope-nope", ip);
    expect((await attempt(blockedEmail, PASSWORD, ip)).status).toBe(429);
    const res = await attempt(other, PASSWORD, ip);
    expect(res.status).toBe(303);
  });

  it("a successful sign-in clears the account's count", async () => {
    const email = await newUser("forgetful");
    const ip = newIp();
    for (let i = 0; i < PAIR_LIMIT - 1; i++) await attempt(email, "nope-nope-nope", ip);
    expect((await attempt(email, PASSWORD, ip)).status).toBe(303);
    for (let i = 0; i < PAIR_LIMIT - 1; i++) await attempt(email, "nope-nope-nope", ip);
    expect((await attempt(email, PASSWORD, ip)).status).toBe(303);
  });

  it("does not count a form that failed validation", async () => {
    const email = await newUser("typo");
    const ip = newIp();
    for (let i = 0; i < PAIR_LIMIT + 2; i++) expect((await attempt(email, "", ip)).status).toBe(400);
    expect((await attempt(email, PASSWORD, ip)).status).toBe(303);
  });

  it(`refuses an address after ${MAX_FAILURES_PER_IP} failures across accounts, but not colleagues who sign in there`, async () => {
    // A shared NHS address: a colleague signed in from it earlier today.
    const ip = newIp();
    const colleague = await newUser("colleague");
    expect((await attempt(colleague, PASSWORD, ip)).status).toBe(303);
    // Someone there sprays other accounts: the first failures are checked and counted...
    for (let i = 0; i < 3; i++) expect((await attempt(uniqueEmail(`spray${i}`), "Winter2026!!", ip)).status).toBe(401);
    const counted = await ctx.prisma.$queryRaw<{ count: number }[]>`select count from login_limit where key = ${`ip:${ip}`}`;
    expect(counted[0]!.count).toBe(3);
    // ...up to the address's cap (set directly: 300 real attempts would take minutes).
    await ctx.prisma.$executeRaw`update login_limit set count = ${MAX_FAILURES_PER_IP} where key = ${`ip:${ip}`}`;
    expect((await attempt(uniqueEmail("spray-more"), "Winter2026!!", ip)).status).toBe(429);
    const newcomer = await newUser("newcomer");
    const blocked = await attempt(newcomer, PASSWORD, ip);
    expect(blocked.status).toBe(429);
    expect(summaryErrors(blocked.text)).toEqual([TOO_MANY]);
    // The colleague who signs in from there is not locked out, and successful sign-ins do not count.
    for (let i = 0; i < 3; i++) expect((await attempt(colleague, PASSWORD, ip)).status).toBe(303);
    // The newcomer is let in from any other address.
    expect((await attempt(newcomer, PASSWORD, newIp())).status).toBe(303);
  }, 60_000);

  it("keeps the counts in Postgres, shared by every app process, keyed without the e-mail", async () => {
    const second = createApp({
      config: loadConfig({ NODE_ENV: "test", DATABASE_URL: ctx.databaseUrl, LOG_LEVEL: "silent", TRUST_PROXY: "1" }),
      db: ctx.db,
      logger: pino({ level: "silent" }),
      sessionSecret: crypto.randomBytes(32).toString("hex"),
    });
    const email = await newUser("shared");
    const ip = newIp();
    for (let i = 0; i < PAIR_LIMIT; i++) {
      expect((await attempt(email, "nope-nope-nope", ip, i % 2 ? second : ctx.app)).status).toBe(401);
    }
    expect((await attempt(email, PASSWORD, ip, ctx.app)).status).toBe(429);
    expect((await attempt(email, PASSWORD, ip, second)).status).toBe(429);
    const rows = await ctx.prisma.$queryRawUnsafe<{ key: string; count: number }[]>(`select key, count from login_limit`);
    expect(rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(rows)).not.toContain(email);
    expect(rows.some((r) => r.key === `ip:${ip}`)).toBe(true);
  });

  it("takes about as long for an unknown account as for a wrong password (a hash is always verified)", async () => {
    const email = await newUser("timing");
    const time = async (who: string) => {
      const started = process.hrtime.bigint();
      const res = await attempt(who, "not-the-password", newIp());
      expect(res.status).toBe(401);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 4; i++) {
      known.push(await time(email));
      unknown.push(await time(uniqueEmail("ghost")));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.4);
    expect(ratio).toBeLessThan(2.5);
  });

  it("counts wrong current passwords on the change-password form as failed sign-ins", async () => {
    const email = await newUser("hijacked");
    const s = await signInAs(ctx.app, email, PASSWORD);
    const hashBefore = (await ctx.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash;
    const change = (current: string) =>
      s.agent.post("/account/password").type("form").send({ _csrf: s.csrf, currentPassword: current, newPassword: "taken-over-phrase", confirmPassword: "taken-over-phrase" });
    for (let i = 0; i < PAIR_LIMIT; i++) {
      const res = await change(`guess-number-${i}`);
      expect(res.status).toBe(400);
      expect(summaryErrors(res.text)).toEqual(["Your current password is not correct"]);
    }
    const blocked = await change(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(summaryErrors(blocked.text)).toEqual([TOO_MANY]);
    expect((await ctx.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash).toBe(hashBefore);
    // Signing in again from the same address is refused too.
    expect((await attempt(email, PASSWORD, undefined)).status).toBe(429);
  });
});
