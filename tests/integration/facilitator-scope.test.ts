// Who sees what inside the practice (lib/visibility.ts): a facilitator sees
// the ideas, responses and overdue items of the sessions they are assigned
// to, plus what the public sees, and nothing more; the staff page cache never
// serves them a manager's (or another facilitator's) body; assigning or
// unassigning them shows on the next request.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { signInAs, type Agent } from "../helpers/app.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { withPractice } from "../helpers/with-practice.js";
import { createIdea } from "../helpers/public.js";

// The staff cache on, as in production.
const { ctx, a: f } = withPractice({ env: { STAFF_CACHE_SECONDS: "600" }, practices: ["Scope"] });
let mine: { sessionId: string; groupId: string };
let theirs: { sessionId: string; groupId: string };
let themeId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const prisma = ctx.prisma;
  const a = await createGroupAndSession(prisma, f);
  const b = await createGroupAndSession(prisma, f);
  await prisma.sessionFacilitator.deleteMany({ where: { sessionId: b.session.id } });
  await prisma.communitySession.update({ where: { id: b.session.id }, data: { title: "Their secret session" } });
  mine = { sessionId: a.session.id, groupId: a.group.id };
  theirs = { sessionId: b.session.id, groupId: b.group.id };
  themeId = (await prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } })).id;
  const base = (o: { sessionId: string; groupId: string }) => ({ practiceId: f.practice.id, ...o, themeId });
  ids.minePrivate = (await createIdea(prisma, { ...base(mine), text: "Mine practice only", consent: "PRACTICE_ONLY", ageDays: 40, responses: [] })).id;
  ids.theirsPrivate = (await createIdea(prisma, { ...base(theirs), text: "Theirs practice only", consent: "PRACTICE_ONLY", ageDays: 40 })).id;
  ids.theirsGroup = (await createIdea(prisma, { ...base(theirs), text: "Theirs group only", consent: "GROUP_ONLY" })).id;
  ids.theirsUnpublished = (await createIdea(prisma, { ...base(theirs), text: "Theirs unpublished", consent: "PUBLIC" })).id;
  ids.theirsPublic = (await createIdea(prisma, {
    ...base(theirs), text: "Theirs on the board", consent: "PUBLIC", published: true,
    responses: [
      { status: "PLANNED", text: "Theirs public answer", daysAgo: 3, authorId: f.manager.id },
      { status: "NOT_POSSIBLE", text: "Theirs private answer", isPublic: false, daysAgo: 1, authorId: f.manager.id },
    ],
  })).id;
  await prisma.user.update({ where: { id: f.manager.id }, data: { name: "Manager Realname" } });
});

const never = ["Theirs practice only", "Theirs group only", "Theirs unpublished", "Theirs private answer", "Their secret session", "Manager Realname"];

describe("a facilitator's view of the practice", () => {
  let manager: Agent;
  let facilitator: Agent;
  beforeAll(async () => {
    manager = (await signInAs(ctx.app, f.manager.email, f.manager.password)).agent;
    facilitator = (await signInAs(ctx.app, f.facilitator.email, f.facilitator.password)).agent;
  });

  it("lists their sessions' ideas and the public board, never a manager's cached list", async () => {
    const asManager = await manager.get("/ideas");
    expect(asManager.text).toContain("Theirs practice only");
    const list = await facilitator.get("/ideas");
    expect(list.text).toContain("Mine practice only");
    expect(list.text).toContain("Theirs on the board");
    for (const m of never) expect(list.text).not.toContain(m);
  });

  it("filters by status with the public status only, for ideas of other sessions", async () => {
    // Idea.status of "Theirs on the board" is NOT_POSSIBLE (a private response); its public status is PLANNED.
    expect((await facilitator.get("/ideas?status=NOT_POSSIBLE")).text).not.toContain("Theirs on the board");
    expect((await facilitator.get("/ideas?status=PLANNED")).text).toContain("Theirs on the board");
    expect((await manager.get("/ideas?status=NOT_POSSIBLE")).text).toContain("Theirs on the board");
  });

  it("opens an idea of another session as the public sees it, and nothing else", async () => {
    const page = await facilitator.get(`/ideas/${ids.theirsPublic}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Theirs public answer");
    expect(page.text).toContain("The practice manager");
    for (const m of never) expect(page.text).not.toContain(m);
    for (const id of [ids.theirsPrivate, ids.theirsGroup, ids.theirsUnpublished]) expect((await facilitator.get(`/ideas/${id}`)).status).toBe(404);
    expect((await facilitator.get(`/ideas/${ids.minePrivate}`)).status).toBe(200);
  });

  it("shows only their own overdue ideas on the dashboard and the overdue list", async () => {
    const dash = await facilitator.get("/dashboard");
    expect(dash.text).toContain("Mine practice only");
    expect(dash.text).not.toContain("Theirs practice only");
    expect(dash.text).toMatch(/1 idea has had no response/);
    const overdue = await facilitator.get("/ideas?overdue=yes");
    expect(overdue.text).toContain("Mine practice only");
    expect(overdue.text).not.toContain("Theirs practice only");
    expect((await manager.get("/dashboard")).text).toContain("Theirs practice only");
  });

  it("sees a change of assignment at the next request (the data version moves)", async () => {
    await ctx.prisma.sessionFacilitator.deleteMany({ where: { sessionId: mine.sessionId } });
    expect((await facilitator.get("/ideas")).text).not.toContain("Mine practice only");
    expect((await facilitator.get(`/ideas/${ids.minePrivate}`)).status).toBe(404);
    await ctx.prisma.sessionFacilitator.create({ data: { practiceId: f.practice.id, sessionId: theirs.sessionId, userId: f.facilitator.id } });
    expect((await facilitator.get("/ideas")).text).toContain("Theirs practice only");
    expect((await facilitator.get(`/ideas/${ids.theirsPublic}`)).text).toContain("Theirs private answer");
  });

  it("is never reached without signing in", async () => {
    expect((await request(ctx.app).get(`/ideas/${ids.theirsPublic}`)).status).toBe(303);
  });
});
