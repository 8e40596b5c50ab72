// The staff session on signed-in pages, after the per-request work was cut:
// the cookie still rolls, the session row is not written on every request,
// the idle and absolute timeouts still end a session, and who is signed in
// (user, role, practice) is still read fresh on every request.
import { describe, expect, it } from "vitest";
import { signInAs } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createPracticeWithStaff } from "../helpers/fixtures.js";
import { IDLE_TIMEOUT_MS } from "../../src/middleware/auth.js";
import { SESSION_COOKIE } from "../../src/lib/session.js";

const { ctx, a: f } = withPractice({ practices: ["Test Practice"] });

async function sessionRow(userId: string) {
  const rows = await ctx.prisma.$queryRawUnsafe<{ sid: string; expire: Date; sess: string }[]>(
    `select sid, expire, sess::text as sess from http_session where sess::jsonb->>'userId' = $1`, userId);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

function cookieExpiry(res: { headers: Record<string, unknown> }): number {
  const set = String(res.headers["set-cookie"] ?? "");
  expect(set).toContain(`${SESSION_COOKIE}=`);
  return new Date(set.match(/Expires=([^;]+)/i)![1]!).getTime();
}

describe("the rolling staff session", () => {
  it("re-sends the cookie with a fresh 60-minute expiry on every page, without writing the session row each time", async () => {
    const { agent } = await signInAs(ctx.app, f.manager.email, f.manager.password);
    // A row expiry that a write would visibly move (a touch sets it to now + 60 minutes).
    const row = await sessionRow(f.manager.id);
    await ctx.prisma.$executeRawUnsafe(`update http_session set expire = now() + interval '30 minutes' where sid = $1`, row.sid);
    const before = await sessionRow(f.manager.id);
    for (const path of ["/ideas", "/reports", "/dashboard"]) {
      const started = Date.now();
      const res = await agent.get(path);
      expect(res.status).toBe(200);
      // Cookie expiries are whole seconds.
      expect(cookieExpiry(res)).toBeGreaterThanOrEqual(Math.floor((started + IDLE_TIMEOUT_MS) / 1000) * 1000);
      expect(cookieExpiry(res)).toBeLessThanOrEqual(Date.now() + IDLE_TIMEOUT_MS);
    }
    const after = await sessionRow(f.manager.id);
    expect(after.expire.getTime()).toBe(before.expire.getTime());
    expect(after.sess).toBe(before.sess);
  });

  it("ends a session whose row has expired (idle timeout), even with the cookie still held", async () => {
    const { agent } = await signInAs(ctx.app, f.viewer.email, f.viewer.password);
    const row = await sessionRow(f.viewer.id);
    await ctx.prisma.$executeRawUnsafe(`update http_session set expire = now() - interval '1 second' where sid = $1`, row.sid);
    const res = await agent.get("/ideas");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });

  it("ends a session signed in more than 12 hours ago (absolute timeout)", async () => {
    const { agent } = await signInAs(ctx.app, f.facilitator.email, f.facilitator.password);
    const row = await sessionRow(f.facilitator.id);
    await ctx.prisma.$executeRawUnsafe(
      `update http_session set sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json where sid = $1`, row.sid, Date.now() - 12 * 3600e3 - 1000);
    const res = await agent.get("/ideas");
    expect(res.status).toBe(303);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});

describe("who is signed in, read on every request", () => {
  it("shows the user's name, practice and role, and follows a change of role at once", async () => {
    const g = await createPracticeWithStaff(ctx.prisma, "Role Change");
    const { agent } = await signInAs(ctx.app, g.manager.email, g.manager.password);
    const page = await agent.get("/reports");
    expect(page.status).toBe(200);
    expect(page.text).toContain(g.practice.name);
    await ctx.prisma.membership.updateMany({ where: { userId: g.manager.id }, data: { role: "VIEWER" } });
    expect((await agent.get("/reports")).status).toBe(403);
    expect((await agent.get("/ideas")).status).toBe(200);
  });

  it("signs out a user whose account or last membership is deactivated, on the next request", async () => {
    const g = await createPracticeWithStaff(ctx.prisma, "Deactivated");
    const m = await signInAs(ctx.app, g.manager.email, g.manager.password);
    await ctx.prisma.user.update({ where: { id: g.manager.id }, data: { active: false } });
    const r1 = await m.agent.get("/ideas");
    expect(r1.status).toBe(303);
    expect(r1.headers.location).toMatch(/^\/login/);

    const v = await signInAs(ctx.app, g.viewer.email, g.viewer.password);
    await ctx.prisma.membership.updateMany({ where: { userId: g.viewer.id }, data: { active: false } });
    const r2 = await v.agent.get("/ideas");
    expect(r2.status).toBe(303);
    expect(r2.headers.location).toMatch(/^\/login/);
  });

  it("works in the practice chosen among several memberships, and falls back to the first active one", async () => {
    const g = await createPracticeWithStaff(ctx.prisma, "First");
    const h = await createPracticeWithStaff(ctx.prisma, "Second");
    await ctx.prisma.membership.create({ data: { practiceId: h.practice.id, userId: g.facilitator.id, role: "MANAGER", acceptedAt: new Date() } });
    const { agent } = await signInAs(ctx.app, g.facilitator.email, g.facilitator.password);
    // The oldest membership (a facilitator at the first practice) is where they start: no reports.
    expect((await agent.get("/reports")).status).toBe(403);
    await ctx.prisma.membership.updateMany({ where: { userId: g.facilitator.id, practiceId: g.practice.id }, data: { active: false } });
    const res = await agent.get("/reports");
    expect(res.status).toBe(200);
    expect(res.text).toContain(h.practice.name);
  });
});
