// The report-back list (issue 18): which ideas, since when, only what the group may see.
import { beforeAll, describe, expect, it } from "vitest";
import { signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createIdea } from "../helpers/public.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";
import { reportBackFor } from "../../src/features/report-back/service.js";

const DAY = 24 * 3600 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

const setup = withPractice({ practices: ["Practice A", "Practice B"], signIn: ["manager", "facilitator", "viewer"] });
const { ctx, a, b } = setup;
let manager: Agent;
let facilitator: Agent;
let viewer: Agent;
const ids: Record<string, string> = {};
let next: { id: string; groupId: string; startsAt: Date };
let firstEver: { id: string; groupId: string; startsAt: Date };

beforeAll(async () => {
  ({ manager, facilitator, viewer } = { manager: setup.manager.agent, facilitator: setup.facilitator.agent, viewer: setup.viewer.agent });
  const p = a.practice.id;
  const themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p } })).id;
  const group = await makeGroup(ctx.prisma, p, { name: "Women's group" });
  const other = await makeGroup(ctx.prisma, p, { name: "Another group" });
  const s1 = await makeSession(ctx.prisma, p, group.id, { startsAt: daysAgo(60), status: "HELD", facilitatorIds: [a.facilitator.id] });
  const s2 = await makeSession(ctx.prisma, p, group.id, { startsAt: daysAgo(20), status: "HELD", facilitatorIds: [a.facilitator.id] });
  // A cancelled session between does not count as the previous one.
  await makeSession(ctx.prisma, p, group.id, { startsAt: daysAgo(5), status: "CANCELLED" });
  const s3 = await makeSession(ctx.prisma, p, group.id, { startsAt: new Date(Date.now() + 7 * DAY), status: "SCHEDULED", facilitatorIds: [a.facilitator.id] });
  next = s3;
  const o1 = await makeSession(ctx.prisma, p, other.id, { startsAt: daysAgo(40), status: "HELD" });
  const base = { practiceId: p, groupId: group.id, themeId };
  ids.answered = (await createIdea(ctx.prisma, { ...base, sessionId: s1.id, text: "Answered since the last session", consent: "PUBLIC", published: true, ageDays: 59,
    responses: [{ status: "UNDER_CONSIDERATION", text: "An old answer", daysAgo: 40 }, { status: "PLANNED", text: "A new answer to read out", daysAgo: 10, authorId: a.manager.id }] })).id;
  ids.old = (await createIdea(ctx.prisma, { ...base, sessionId: s1.id, text: "Answered before the last session", consent: "GROUP_ONLY", ageDays: 59,
    responses: [{ status: "DONE", text: "Done long ago", daysAgo: 30 }] })).id;
  ids.practiceOnly = (await createIdea(ctx.prisma, { ...base, sessionId: s1.id, text: "Kept for the practice", consent: "PRACTICE_ONLY", ageDays: 59,
    responses: [{ status: "PLANNED", text: "A practice-only answer", daysAgo: 3 }] })).id;
  ids.waiting = (await createIdea(ctx.prisma, { ...base, sessionId: s1.id, text: "Still waiting publicly", consent: "PUBLIC", ageDays: 59 })).id;
  ids.privateOnly = (await createIdea(ctx.prisma, { ...base, sessionId: s1.id, text: "Only a staff note so far", consent: "GROUP_ONLY", ageDays: 59,
    responses: [{ status: "UNDER_CONSIDERATION", text: "Staff-only note about the rota", isPublic: false, daysAgo: 4 }] })).id;
  ids.recent = (await createIdea(ctx.prisma, { ...base, sessionId: s2.id, text: "From the last session, answered", consent: "GROUP_ONLY", ageDays: 19,
    responses: [{ status: "IN_PROGRESS", text: "Work has started", daysAgo: 2 }] })).id;
  ids.otherGroup = (await createIdea(ctx.prisma, { ...base, groupId: other.id, sessionId: o1.id, text: "Another group's idea", consent: "PUBLIC", published: true, ageDays: 39,
    responses: [{ status: "DONE", text: "Done for the other group", daysAgo: 1 }] })).id;
  // Practice B: same shapes, never on A's list.
  const bTheme = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } })).id;
  const bGroup = await makeGroup(ctx.prisma, b.practice.id, { name: "B group" });
  const bS = await makeSession(ctx.prisma, b.practice.id, bGroup.id, { startsAt: daysAgo(30), status: "HELD" });
  await createIdea(ctx.prisma, { practiceId: b.practice.id, groupId: bGroup.id, themeId: bTheme, sessionId: bS.id, text: "Practice B idea", consent: "PUBLIC", ageDays: 29,
    responses: [{ status: "DONE", text: "Practice B answer", daysAgo: 1 }] });
  firstEver = s1;
});

describe("the report-back list", () => {
  it("lists the group's ideas answered since its previous held session and those still waiting, nothing else", async () => {
    const list = await reportBackFor(ctx.prisma, { ...next, practiceId: a.practice.id });
    expect(list.previous?.startsAt.getTime()).toBeCloseTo(daysAgo(20).getTime(), -5);
    const listed = list.items.map((i) => i.ideaId).sort();
    expect(listed).toEqual([ids.answered, ids.waiting, ids.privateOnly, ids.recent].sort());
    const answered = list.items.find((i) => i.ideaId === ids.answered)!;
    expect(answered.reason).toBe("answered");
    expect(answered.response?.text).toBe("A new answer to read out");
    // Only public responses: the staff-only note is not the "latest response" the group hears.
    const privateOnly = list.items.find((i) => i.ideaId === ids.privateOnly)!;
    expect(privateOnly.reason).toBe("waiting");
    expect(privateOnly.response).toBeNull();
    expect(list.items.find((i) => i.ideaId === ids.waiting)!.waitingSince).toEqual(expect.any(Date));
    // Answered first, then waiting.
    expect(list.items.slice(-2).every((i) => i.reason === "waiting")).toBe(true);
    expect(list.total).toBe(4);
  });

  it("counts from the beginning when the group has had no held session before", async () => {
    const list = await reportBackFor(ctx.prisma, { ...firstEver, practiceId: a.practice.id });
    expect(list.previous).toBeNull();
    expect(list.items).toEqual([]); // no idea came from an earlier session
  });

  it("is a section of the briefing, and a printable sheet with no staff names and nothing the group may not see", async () => {
    const briefing = await manager.get(`/sessions/${next.id}`);
    expect(briefing.status).toBe(200);
    expect(briefing.text).toContain('id="report-back"');
    expect(briefing.text).toContain("A new answer to read out");
    expect(briefing.text).toContain(`href="/sessions/${next.id}/report-back"`);

    const sheet = await facilitator.get(`/sessions/${next.id}/report-back`);
    expect(sheet.status).toBe(200);
    for (const text of ["Answered since the last session", "A new answer to read out", "Still waiting publicly", "From the last session, answered", "Work has started"]) {
      expect(sheet.text).toContain(text);
    }
    expect(sheet.text).toMatch(/The practice has had this idea for \d+ (weeks|months)/);
    for (const text of ["Kept for the practice", "A practice-only answer", "Staff-only note about the rota", "Done long ago", "Another group&#39;s idea", "Practice B"]) {
      expect(sheet.text).not.toContain(text);
    }
    // No staff names: roles only ("The practice manager"), and the header's signed-in name is not printed.
    const main = sheet.text.slice(sheet.text.indexOf("<main"));
    expect(main).not.toContain("MANAGER ");
    expect(main).toContain("The practice manager");
    expect(sheet.text).toContain("app-report-back--large");
    expect((await viewer.get(`/sessions/${next.id}/report-back`)).status).toBe(200);
  });

  it("is refused to a facilitator not assigned to the session and to another practice", async () => {
    await ctx.prisma.sessionFacilitator.deleteMany({ where: { sessionId: next.id } });
    try {
      expect((await facilitator.get(`/sessions/${next.id}/report-back`)).status).toBe(403);
    } finally {
      await ctx.prisma.sessionFacilitator.create({ data: { practiceId: a.practice.id, sessionId: next.id, userId: a.facilitator.id } });
    }
    const other = (await signInAs(ctx.app, b.manager.email, b.manager.password)).agent;
    expect((await other.get(`/sessions/${next.id}/report-back`)).status).toBe(404);
  });
});
