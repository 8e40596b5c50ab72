// The staff page cache (lib/practice-cache.ts) and the practice data version
// behind it (migration practice_data_version): a cached /ideas or /reports is
// served without a query, and never once something it shows has changed: a
// save through the app, a write straight to the database, or the clock passing
// an idea's deadline. Per-request parts (who is signed in, the CSRF token, the
// manager-only link) are never shared between users.
import { beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea, hiddenField, type IdeaOrigin } from "../helpers/ideas.js";

const { ctx, a, b, manager } = withPractice({ env: { STAFF_CACHE_SECONDS: "600" }, context: { onQuery: () => (queries += 1) }, practices: ["Cache A", "Cache B"], signIn: ["manager"] });
let queries = 0;
let origin: IdeaOrigin;

const version = async (practiceId: string) =>
  (await ctx.prisma.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { dataVersion: true } })).dataVersion;

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(ctx.prisma, a);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
  origin = { practiceId: a.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
});

/** Prisma statements a request runs (the session and user are read through pg, not counted). */
async function queriesFor(agent: Agent, path: string) {
  const before = queries;
  const res = await agent.get(path);
  expect(res.status).toBe(200);
  return { res, count: queries - before };
}

describe("the practice data version", () => {
  it("changes once per committed transaction that touches the practice's data, and only that practice's", async () => {
    const [a0, b0] = [await version(a.practice.id), await version(b.practice.id)];
    await createIdea(ctx.prisma, origin, { text: "Version one" });
    const a1 = await version(a.practice.id);
    expect(a1).toBe(a0 + 1n);
    // Many rows in one transaction: one bump.
    await ctx.prisma.$transaction([
      ctx.prisma.theme.create({ data: { practiceId: a.practice.id, name: "Versioned theme", position: 90 } }),
      ctx.prisma.idea.updateMany({ where: { practiceId: a.practice.id }, data: { support: 2 } }),
    ]);
    expect(await version(a.practice.id)).toBe(a1 + 1n);
    // Each kind of row counts: a group, a session, a partner, the practice row itself, a deletion.
    const before = await version(a.practice.id);
    await ctx.prisma.communityGroup.updateMany({ where: { practiceId: a.practice.id }, data: { name: "Renamed group" } });
    await ctx.prisma.communitySession.updateMany({ where: { practiceId: a.practice.id }, data: { title: "Renamed session" } });
    await ctx.prisma.partnerOrganisation.updateMany({ where: { practiceId: a.practice.id }, data: { name: "Renamed partner" } });
    await ctx.prisma.practice.update({ where: { id: a.practice.id }, data: { responseDeadlineDays: 21 } });
    await ctx.prisma.theme.deleteMany({ where: { practiceId: a.practice.id, name: "Versioned theme" } });
    expect(await version(a.practice.id)).toBe(before + 5n);
    // A rolled-back change leaves it alone.
    const settled = await version(a.practice.id);
    await expect(
      ctx.prisma.$transaction(async (tx) => {
        await tx.idea.updateMany({ where: { practiceId: a.practice.id }, data: { support: 3 } });
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await version(a.practice.id)).toBe(settled);
    expect(await version(b.practice.id)).toBe(b0);
  });
});

describe("/ideas from the cache", () => {
  it("is served without a query, and shows a response saved through the app at once", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Cached idea about parking", dueAt: new Date(Date.now() + 20 * 864e5) });
    const first = await queriesFor(manager.agent, "/ideas");
    expect(first.count).toBeGreaterThan(0);
    expect(first.res.text).toContain("Cached idea about parking");
    const hit = await queriesFor(manager.agent, "/ideas");
    expect(hit.count).toBe(0);
    expect(hit.res.text).toBe(first.res.text);

    // Respond through the app; the list must show the new status straight away.
    const formId = hiddenField((await manager.agent.get(`/ideas/${idea.id}`)).text, "formId");
    const saved = await manager.agent.post(`/ideas/${idea.id}/responses`).type("form")
      .send({ _csrf: manager.csrf, action: "save", formId, status: "IN_PROGRESS", text: "We have asked the landlord about more spaces.", isPublic: "yes" });
    expect(saved.status).toBe(303);
    const after = await queriesFor(manager.agent, "/ideas?status=IN_PROGRESS");
    expect(after.res.text).toContain("Cached idea about parking");
  });

  it("shows a change written straight to the database (not through the app) on the next request", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Written behind the app's back" });
    await manager.agent.get("/ideas");
    await ctx.prisma.idea.update({ where: { id: idea.id }, data: { text: "Corrected behind the app's back" } });
    const res = await manager.agent.get("/ideas");
    expect(res.text).toContain("Corrected behind the app");
    expect(res.text).not.toContain("Written behind the app");
  });

  it("marks an idea overdue as soon as its deadline passes, with nothing saved in between", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Deadline in a moment", dueAt: new Date(Date.now() + 1_500) });
    const path = `/ideas?session=${origin.sessionId}&sort=newest`;
    const row = (html: string) => html.slice(html.indexOf("Deadline in a moment"), html.indexOf("Deadline in a moment") + 1_500);
    const before = (await manager.agent.get(path)).text;
    expect(row(before)).not.toContain(">Overdue<");
    expect((await queriesFor(manager.agent, path)).count).toBe(0); // cached
    await new Promise((r) => setTimeout(r, 1_700));
    const after = (await manager.agent.get(path)).text;
    expect(row(after)).toContain(">Overdue<");
    expect(idea.firstResponseAt).toBeNull();
  });

  it("never shares the signed-in user's name, CSRF token or role-only links", async () => {
    // The manager's copy is cached first; the viewer then gets the same list with their own header.
    const managerPage = (await manager.agent.get("/ideas")).text;
    expect(managerPage).toContain("Change the response deadline");
    const viewer = await signInAs(ctx.app, a.viewer.email, a.viewer.password);
    const nameOf = async (id: string) => (await ctx.prisma.user.findUniqueOrThrow({ where: { id } })).name;
    const viewerPage = (await viewer.agent.get("/ideas")).text;
    expect(viewerPage).not.toContain("Change the response deadline");
    expect(viewerPage).toContain(`${await nameOf(a.viewer.id)} (Read only)`);
    expect(viewerPage).not.toContain(`${await nameOf(a.manager.id)} (`);
    expect(csrfTokenIn(viewerPage)).toBe(viewer.csrf);
    expect(csrfTokenIn(managerPage)).toBe(manager.csrf);
    expect(viewer.csrf).not.toBe(manager.csrf);
    // Another practice's manager sees their own practice, never A's cached list.
    const other = await signInAs(ctx.app, b.manager.email, b.manager.password);
    const otherPage = (await other.agent.get("/ideas")).text;
    expect(otherPage).toContain("Cache B");
    expect(otherPage).not.toContain("Cached idea about parking");
  });
});

describe("/reports from the cache", () => {
  it("is served without a query and counts a new idea at once", async () => {
    const first = await queriesFor(manager.agent, "/reports");
    const hit = await queriesFor(manager.agent, "/reports");
    expect(hit.count).toBe(0);
    expect(hit.res.text).toBe(first.res.text.replace(csrfTokenIn(first.res.text), csrfTokenIn(hit.res.text)));
    const overdueLine = (html: string) => html.match(/<strong>(\d+)<\/strong> ideas? (is|are) overdue/)?.[1] ?? "0";
    const overdueBefore = Number(overdueLine(first.res.text));
    await createIdea(ctx.prisma, origin, { text: "Long overdue idea", dueAt: new Date(Date.now() - 864e5) });
    const after = await manager.agent.get("/reports");
    expect(Number(overdueLine(after.text))).toBe(overdueBefore + 1);
    expect(after.text).toContain("Long overdue idea");
  });

  it("does not keep a page with range errors", async () => {
    const bad = await manager.agent.get("/reports?from%5Bday%5D=31&from%5Bmonth%5D=2&from%5Byear%5D=2026");
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("nhsuk-error-summary");
    const again = await manager.agent.get("/reports?from%5Bday%5D=31&from%5Bmonth%5D=2&from%5Byear%5D=2026");
    expect(again.status).toBe(400);
  });
});
