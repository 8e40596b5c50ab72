// Verdicts (issue 18): what the group said about the practice's answers, in the session outcome.
import request from "supertest";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { csrfTokenIn, signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { confirmValueIn, openOutcomeForm } from "../helpers/outcomes.js";
import { createIdea } from "../helpers/public.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";

const DAY = 24 * 3600 * 1000;
const HOUR = 3600 * 1000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY);

const setup = withPractice({ practices: ["Practice A", "Practice B"], signIn: ["manager", "facilitator", "viewer"] });
const { ctx, a, b } = setup;
let manager: Agent;
let facilitator: Agent;
let viewer: Agent;
let themeId: string;
let groupId: string;
let groupToken: string;
const ids = {} as Record<"pub" | "grp" | "po" | "other" | "b", string>;
let sessionId: string;

beforeAll(async () => {
  ({ manager, facilitator, viewer } = { manager: setup.manager.agent, facilitator: setup.facilitator.agent, viewer: setup.viewer.agent });
  const p = a.practice.id;
  themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p } })).id;
  const group = await makeGroup(ctx.prisma, p, { name: "Women's group" });
  groupId = group.id;
  groupToken = group.linkToken;
  const other = await makeGroup(ctx.prisma, p, { name: "Another group" });
  const s1 = await makeSession(ctx.prisma, p, group.id, { startsAt: daysAgo(40), status: "HELD", facilitatorIds: [a.facilitator.id] });
  const o1 = await makeSession(ctx.prisma, p, other.id, { startsAt: daysAgo(40), status: "HELD" });
  const base = { practiceId: p, groupId: group.id, themeId, sessionId: s1.id, ageDays: 39 };
  ids.pub = (await createIdea(ctx.prisma, { ...base, text: "Interpreters for Monday appointments", consent: "PUBLIC", published: true,
    responses: [{ status: "PLANNED", text: "We will book interpreters from next month", daysAgo: 10 }] })).id;
  ids.grp = (await createIdea(ctx.prisma, { ...base, text: "A quiet room to wait in", consent: "GROUP_ONLY",
    responses: [{ status: "DONE", text: "Room 3 is now a quiet room", daysAgo: 5 }] })).id;
  ids.po = (await createIdea(ctx.prisma, { ...base, text: "Practice only matter", consent: "PRACTICE_ONLY",
    responses: [{ status: "PLANNED", text: "Noted", daysAgo: 5 }] })).id;
  ids.other = (await createIdea(ctx.prisma, { ...base, groupId: other.id, sessionId: o1.id, text: "Other group idea", consent: "PUBLIC", published: true,
    responses: [{ status: "DONE", text: "Done", daysAgo: 5 }] })).id;
  const bTheme = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } })).id;
  const bGroup = await makeGroup(ctx.prisma, b.practice.id);
  const bS = await makeSession(ctx.prisma, b.practice.id, bGroup.id, { startsAt: daysAgo(30), status: "HELD" });
  ids.b = (await createIdea(ctx.prisma, { practiceId: b.practice.id, groupId: bGroup.id, themeId: bTheme, sessionId: bS.id, text: "B idea", consent: "PUBLIC", published: true,
    responses: [{ status: "DONE", text: "B done", daysAgo: 2 }] })).id;
});

// Each test: the group's next session, started two hours ago, outcome not yet logged.
beforeEach(async () => {
  await ctx.prisma.verdict.deleteMany({ where: { practiceId: a.practice.id } });
  // An earlier test's session would be the group's previous held session: take it out of the way.
  await ctx.prisma.communitySession.updateMany({ where: { groupId, startsAt: { gt: daysAgo(1) } }, data: { status: "CANCELLED" } });
  const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - 2 * HOUR), status: "SCHEDULED", facilitatorIds: [a.facilitator.id] });
  sessionId = s.id;
});

const outcome = { attendanceCount: "7", themesDiscussed: "Answers from the practice", processReflection: "", privateReflections: "" };
const v = (ideaId: string, kind: string, words = "") => ({ [`verdicts[${ideaId}][kind]`]: kind, [`verdicts[${ideaId}][words]`]: words });

async function post(agent: Agent, body: Record<string, string>, action = "save") {
  const { csrf, submissionId } = await openOutcomeForm(agent, sessionId);
  const res = await agent.post(`/sessions/${sessionId}/outcome`).type("form").send({ _csrf: csrf, submissionId, mode: "new", action, ...outcome, ...body });
  return { res, csrf, submissionId };
}

const verdictCount = () => ctx.prisma.verdict.count({ where: { sessionId } });
const isHeld = async () => (await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: sessionId } })).status === "HELD";

describe("the verdicts section of the outcome form", () => {
  it("lists the ideas of the report-back list, and only those", async () => {
    const { res } = await openOutcomeForm(facilitator, sessionId);
    expect(res.text).toContain("What the group said about the practice's answers");
    expect(res.text).toContain(`name="verdicts[${ids.pub}][kind]"`);
    expect(res.text).toContain(`name="verdicts[${ids.grp}][kind]"`);
    for (const id of [ids.po, ids.other, ids.b]) expect(res.text).not.toContain(`verdicts[${id}]`);
    expect(res.text).toContain("This answers what we said");
  });

  it("saves the verdicts with the outcome, once, and a resubmission saves nothing twice", async () => {
    const { res, csrf, submissionId } = await post(facilitator, { ...v(ids.pub, "NOT_YET", "Still no interpreter on Mondays"), ...v(ids.grp, "ANSWERS") });
    expect(res.status, res.text.slice(0, 2000)).toBe(303);
    expect(await isHeld()).toBe(true);
    const saved = await ctx.prisma.verdict.findMany({ where: { sessionId }, orderBy: { kind: "asc" } });
    expect(saved.map((x) => [x.ideaId, x.kind, x.words])).toEqual(
      expect.arrayContaining([[ids.pub, "NOT_YET", "Still no interpreter on Mondays"], [ids.grp, "ANSWERS", ""]]),
    );
    expect(saved).toHaveLength(2);
    expect(saved.every((x) => x.practiceId === a.practice.id && x.groupId === groupId && x.responseId !== null)).toBe(true);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "verdict.create", entityId: { in: saved.map((x) => x.id) } } })).toBe(2);
    // Back and submit again: nothing saved twice.
    const again = await facilitator.post(`/sessions/${sessionId}/outcome`).type("form")
      .send({ _csrf: csrf, submissionId, mode: "new", action: "save", ...outcome, ...v(ids.pub, "NOT_YET", "Still no interpreter on Mondays") });
    expect(again.status).toBe(303);
    expect(await verdictCount()).toBe(2);
    // The saved outcome shows them read-only.
    const page = await facilitator.get(`/sessions/${sessionId}/outcome`);
    expect(page.text).toContain("Not yet, still a problem");
    // Under each idea (whose text ends with its own full stop), not run on after it with a colon.
    expect(page.text).toContain('<br>The group said: <strong>Not yet, still a problem</strong>. In its words: “<span dir="auto">Still no interpreter on Mondays</span>”');
  });

  it("keeps verdicts in a draft", async () => {
    const { res } = await post(facilitator, v(ids.pub, "PARTLY", "Only on some days"), "draft");
    expect(res.status).toBe(303);
    expect(await verdictCount()).toBe(0);
    const { res: page } = await openOutcomeForm(facilitator, sessionId);
    expect(page.text).toMatch(new RegExp(`name="verdicts\\[${ids.pub}\\]\\[kind\\]" type="radio" value="PARTLY" checked`));
    expect(page.text).toContain("Only on some days");
  });

  it("refuses a verdict on an idea not on the list (another group's, another practice's, practice-only, made up) and saves nothing", async () => {
    for (const id of [ids.other, ids.b, ids.po, "00000000-0000-4000-8000-000000000000"]) {
      const { res } = await post(manager, { ...v(ids.grp, "ANSWERS"), ...v(id, "ANSWERS") });
      expect(res.status).toBe(400);
      expect(res.text).toContain("not on this group&#39;s report-back list, so nothing was saved");
      expect(res.text).toContain('href="#verdicts"');
      expect(res.text).toContain("Answers from the practice"); // input kept
      expect(await verdictCount()).toBe(0);
      expect(await isHeld()).toBe(false);
      expect(await ctx.prisma.verdict.count({ where: { ideaId: id } })).toBe(0);
    }
  });

  it("asks what the group said when only words were typed, and checks the words for identifying details", async () => {
    const noKind = await post(facilitator, v(ids.pub, "", "Some words"));
    expect(noKind.res.status).toBe(400);
    expect(noKind.res.text).toContain("Select what the group said about the answer to");
    expect(await verdictCount()).toBe(0);

    const words = "Call Mrs Ahmed on 07700 900123 about it";
    const flagged = await post(facilitator, v(ids.pub, "NOT_YET", words));
    expect(flagged.res.status).toBe(400);
    expect(flagged.res.text).toContain("may identify someone");
    expect(await verdictCount()).toBe(0);
    const token = confirmValueIn(flagged.res.text, `verdicts[${ids.pub}][confirmSafe]`);
    // A guessed token does not do.
    const guessed = await facilitator.post(`/sessions/${sessionId}/outcome`).type("form").send({
      _csrf: csrfTokenIn(flagged.res.text), submissionId: flagged.submissionId, mode: "new", action: "save", ...outcome, ...v(ids.pub, "NOT_YET", words),
      [`verdicts[${ids.pub}][confirmSafe]`]: "x".repeat(64),
    });
    expect(guessed.status).toBe(400);
    const confirmed = await facilitator.post(`/sessions/${sessionId}/outcome`).type("form").send({
      _csrf: csrfTokenIn(flagged.res.text), submissionId: flagged.submissionId, mode: "new", action: "save", ...outcome, ...v(ids.pub, "NOT_YET", words),
      [`verdicts[${ids.pub}][confirmSafe]`]: token,
    });
    expect(confirmed.status).toBe(303);
    expect(await verdictCount()).toBe(1);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "verdict.identifying-details-confirmed", entityId: sessionId } });
    expect(JSON.stringify(audit.details)).not.toContain("07700");
  });

  it("is refused to a viewer, a facilitator not assigned and another practice, changing nothing", async () => {
    const { csrf } = await openOutcomeForm(manager, sessionId);
    const viewerCsrf = csrfTokenIn((await viewer.get("/dashboard")).text);
    expect((await viewer.post(`/sessions/${sessionId}/outcome`).type("form").send({ _csrf: viewerCsrf, mode: "new", action: "save", ...outcome, ...v(ids.pub, "ANSWERS") })).status).toBe(403);
    await ctx.prisma.sessionFacilitator.deleteMany({ where: { sessionId } });
    const facCsrf = csrfTokenIn((await facilitator.get("/dashboard")).text);
    expect((await facilitator.post(`/sessions/${sessionId}/outcome`).type("form").send({ _csrf: facCsrf, mode: "new", action: "save", ...outcome, ...v(ids.pub, "ANSWERS") })).status).toBe(403);
    const other = (await signInAs(ctx.app, b.manager.email, b.manager.password));
    expect((await other.agent.post(`/sessions/${sessionId}/outcome`).type("form").send({ _csrf: other.csrf, mode: "new", action: "save", ...outcome, ...v(ids.pub, "ANSWERS") })).status).toBe(404);
    expect(csrf).toBeTruthy();
    expect(await verdictCount()).toBe(0);
    expect(await isHeld()).toBe(false);
  });
});

describe("a verdict of partly or not yet reopens the idea", () => {
  it("puts it back on the practice's list with the group's words until a new public response; the timeline shows it between responses", async () => {
    const { res } = await post(facilitator, { ...v(ids.pub, "NOT_YET", "Still no interpreter on Mondays"), ...v(ids.grp, "ANSWERS") });
    expect(res.status).toBe(303);
    // The dashboard's section of ideas the groups say are not answered yet.
    const section = async () => {
      const html = (await manager.get("/dashboard")).text;
      const start = html.indexOf('id="reopened"');
      return html.slice(start, html.indexOf("<h2", start + 1));
    };
    const dash = { text: await section() };
    expect(dash.text).toContain("The group says these are not answered yet");
    expect(dash.text).toContain(`href="/ideas/${ids.pub}"`);
    expect(dash.text).toContain("Still no interpreter on Mondays");
    expect(dash.text).not.toContain(`href="/ideas/${ids.grp}"`);
    // The same list in /ideas, for managers and the session's facilitator.
    for (const agent of [manager, facilitator]) {
      const list = await agent.get("/ideas?reopened=yes");
      expect(list.text).toContain(`href="/ideas/${ids.pub}?back=${encodeURIComponent("/ideas?reopened=yes")}"`);
      expect(list.text).not.toContain(`href="/ideas/${ids.grp}`);
    }
    const idea = await manager.get(`/ideas/${ids.pub}`);
    expect(idea.text).toContain("The group says this is not answered yet");
    expect(idea.text).toMatch(/the group said <strong>not yet, still a problem<\/strong>\. In its words: “<span class="app-preserve-lines" dir="auto">Still no interpreter on Mondays<\/span>”/);
    const t = idea.text.slice(idea.text.indexOf('id="timeline"'));
    // Newest first: the verdict above the response it answered.
    expect(t.indexOf("Not yet, still a problem")).toBeGreaterThan(-1);
    expect(t.indexOf("Not yet, still a problem")).toBeLessThan(t.indexOf("We will book interpreters from next month"));

    // A staff-only response does not close the loop; a public one does.
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: ids.pub, status: "PLANNED", text: "Internal note", isPublic: false, authorRole: "MANAGER" } });
    expect(await section()).toContain(`href="/ideas/${ids.pub}"`);
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: ids.pub, status: "IN_PROGRESS", text: "Monday interpreters start on 1 June", isPublic: true, authorRole: "MANAGER" } });
    expect(await section()).not.toContain(`href="/ideas/${ids.pub}"`);
    expect((await manager.get("/ideas?reopened=yes")).text).not.toContain(`href="/ideas/${ids.pub}"`);
    const after = await manager.get(`/ideas/${ids.pub}`);
    expect(after.text).not.toContain("The group says this is not answered yet");
    const t2 = after.text.slice(after.text.indexOf('id="timeline"'));
    expect(t2.indexOf("Monday interpreters start on 1 June")).toBeLessThan(t2.indexOf("Not yet, still a problem"));
    await ctx.prisma.response.deleteMany({ where: { ideaId: ids.pub, text: { in: ["Internal note", "Monday interpreters start on 1 June"] } } });
  });
});

describe("verdicts follow the idea's consent", () => {
  it("shows a PUBLIC idea's verdict on the board and idea page, a GROUP_ONLY idea's on the group board only, never in the feed", async () => {
    const { res } = await post(facilitator, { ...v(ids.pub, "ANSWERS", "Monday is better now"), ...v(ids.grp, "PARTLY", "The quiet room is often locked") });
    expect(res.status).toBe(303);
    const slug = a.practice.slug;
    const board = await request(ctx.app).get(`/p/${slug}`);
    expect(board.text).toContain("The group said at its session on");
    expect(board.text).toContain("this answers what we said");
    expect(board.text).toContain("Monday is better now");
    expect(board.text).not.toContain("The quiet room is often locked");
    const page = await request(ctx.app).get(`/p/${slug}/ideas/${ids.pub}`);
    expect(page.text).toContain("Monday is better now");
    expect((await request(ctx.app).get(`/p/${slug}/ideas/${ids.grp}`)).status).toBe(404);
    const feed = await request(ctx.app).get(`/p/${slug}/feed.atom`);
    expect(feed.text).not.toContain("The quiet room is often locked");
    expect(feed.text).not.toContain("Monday is better now");
    const poster = await request(ctx.app).get(`/p/${slug}/poster`);
    expect(poster.text).not.toContain("The quiet room is often locked");
    const group = await request(ctx.app).get(`/g/${groupToken}`);
    expect(group.text).toContain("The quiet room is often locked");
    expect(group.text).toContain("Monday is better now");
    const groupIdea = await request(ctx.app).get(`/g/${groupToken}/ideas/${ids.grp}`);
    expect(groupIdea.text).toContain("The quiet room is often locked");
    // In Arabic, the verdict is in Arabic; the group's words as written.
    const ar = await request(ctx.app).get(`/p/${slug}/ideas/${ids.pub}?lang=ar`);
    expect(ar.text).toContain("هذا يجيب عمّا قلناه");
    // A quotation block of its own, in the words' own direction, without quotation marks (they landed mid-line when the words wrapped in Arabic).
    expect(ar.text).toContain('<blockquote class="app-verdict-words"><p dir="auto">Monday is better now</p></blockquote>');
    expect(page.text).toContain('<blockquote class="app-verdict-words"><p dir="auto">Monday is better now</p></blockquote>');
  });
});
