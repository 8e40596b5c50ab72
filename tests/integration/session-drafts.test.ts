// A session planned step by step (issue 17): start a draft, complete its
// sections (task list statuses), check and schedule; drafts are staff only and
// never counted as scheduled (lib/visibility.ts).
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, csrfTokenIn, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { futureDate, makeGroup, makeSession, sessionForm, versionIn } from "../helpers/sessions.js";

let ctx: TestContext;
let a: PracticeFixture;
let manager: { agent: Agent; csrf: string };
let groupId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPracticeWithStaff(ctx.prisma, "Drafts A");
  const group = await makeGroup(ctx.prisma, a.practice.id, { name: "Recovery cafe", usualVenue: "The Hope cafe", languages: ["Polish"] });
  groupId = group.id;
  manager = await signInAs(ctx.app, a.manager.email, a.manager.password);
});
afterAll(() => ctx?.close());

const post = (url: string, body: Record<string, unknown>) => manager.agent.post(url).type("form").send({ _csrf: manager.csrf, ...body });
const sessions = () => ctx.prisma.communitySession.count({ where: { practiceId: a.practice.id } });

/** The status shown for each task on the task list, in order. */
async function taskStatuses(id: string): Promise<string[]> {
  const page = await manager.agent.get(`/sessions/drafts/${id}`);
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/<div class="nhsuk-task-list__status[^"]*" id="[^"]+">\s*([\s\S]*?)\s*<\/div>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, "").trim());
}

async function startDraft(extra: Record<string, string> = {}) {
  const res = await post("/sessions/drafts", { formId: crypto.randomUUID(), start: "steps", ...extra });
  expect(res.status).toBe(303);
  return res.headers.location!.split("/").pop()!;
}

async function saveSection(id: string, key: string, body: Record<string, unknown>, action = "continue") {
  const page = await manager.agent.get(`/sessions/drafts/${id}/${key}`);
  expect(page.status, `${key}: ${page.text.slice(0, 200)}`).toBe(200);
  return post(`/sessions/drafts/${id}/${key}`, { version: versionIn(page.text), action, ...body });
}

const [day, month, year] = futureDate(20);
const WHEN = { "startDate[day]": String(day), "startDate[month]": String(month), "startDate[year]": String(year), startTime: "10:00", endTime: "12:00", online: "no", venueName: "The Hope cafe", venueAddress: "", venueAccessibility: "" };

describe("planning a session step by step", () => {
  it("starts from /sessions/new, once per form, with the group's defaults; sections that need the group cannot start yet", async () => {
    const form = await manager.agent.get(`/sessions/new?groupId=${groupId}`);
    expect(form.text).toContain("Plan it step by step");
    expect(form.text).toContain('formaction="/sessions/drafts"');
    const formId = form.text.match(/action="\/sessions\/drafts"[\s\S]*?name="formId" value="([^"]+)"/)![1]!;
    const body = { formId, start: "steps" };
    const [first, second] = await Promise.all([post("/sessions/drafts", body), post("/sessions/drafts", body)]);
    expect(first.headers.location).toBe(second.headers.location);
    const id = first.headers.location!.split("/").pop()!;
    expect(await ctx.prisma.sessionDraft.count({ where: { practiceId: a.practice.id, id } })).toBe(1);
    // Without a group chosen, "when and where" and "access" wait for it.
    expect(await taskStatuses(id)).toEqual(["Incomplete", "Cannot start yet", "Incomplete", "Incomplete", "Cannot start yet", "Cannot start yet"]);
    expect((await manager.agent.get(`/sessions/drafts/${id}/when-and-where`)).status).toBe(303);
    // The group's page: a missing title is an error, the input kept, nothing saved.
    const before = await ctx.prisma.sessionDraft.findUniqueOrThrow({ where: { id } });
    const bad = await saveSection(id, "group", { groupId, partnerId: "", title: "", purpose: "Waiting times" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('href="#title"');
    expect(bad.text).toContain("Enter a title for the session");
    expect(bad.text).toContain("Waiting times");
    expect((await ctx.prisma.sessionDraft.findUniqueOrThrow({ where: { id } })).version).toBe(before.version);
    const ok = await saveSection(id, "group", { groupId, partnerId: "", title: "Cafe conversation", purpose: "Waiting times" });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe(`/sessions/drafts/${id}`);
    expect(await taskStatuses(id)).toEqual(["Completed", "Incomplete", "Incomplete", "Incomplete", "Incomplete", "Cannot start yet"]);
    // The group's usual place and languages are proposed.
    const where = await manager.agent.get(`/sessions/drafts/${id}/when-and-where`);
    expect(where.text).toContain('value="The Hope cafe"');
    expect((await manager.agent.get(`/sessions/drafts/${id}/access`)).text).toContain('value="Polish"');
    expect(await sessions()).toBe(0);
  });

  it("keeps a section saved for later as typed, Incomplete, and refuses a save from an out-of-date page (409)", async () => {
    const id = await startDraft({ groupId });
    await saveSection(id, "group", { groupId, title: "Later session" });
    const later = await saveSection(id, "when-and-where", { "startDate[day]": "31", "startDate[month]": "2", startTime: "about ten" }, "later");
    expect(later.status).toBe(303);
    expect((await taskStatuses(id))[1]).toBe("Incomplete");
    const again = await manager.agent.get(`/sessions/drafts/${id}/when-and-where`);
    expect(again.text).toContain('value="about ten"');
    expect(again.text).toContain('value="31"');
    // Two windows: the second one's save is refused, what it typed kept on the page.
    const stale = versionIn(again.text);
    await post(`/sessions/drafts/${id}/when-and-where`, { version: stale, action: "later", ...WHEN, startTime: "09:00" });
    const refused = await post(`/sessions/drafts/${id}/when-and-where`, { version: stale, action: "later", ...WHEN, startTime: "11:00" });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("changed in another window or by someone else");
    expect(refused.text).toContain('value="11:00"');
    const saved = await manager.agent.get(`/sessions/drafts/${id}/when-and-where`);
    expect(saved.text).toContain('value="09:00"');
  });

  it("completes every section, checks the answers and schedules the session once, removing the draft", async () => {
    const id = await startDraft({ groupId });
    await saveSection(id, "group", { groupId, title: "Full session", purpose: "" });
    await saveSection(id, "when-and-where", WHEN);
    // The check page cannot start until every section is completed.
    expect((await manager.agent.get(`/sessions/drafts/${id}/check`)).status).toBe(303);
    await saveSection(id, "facilitators", { facilitatorIds: [a.facilitator.id] });
    await saveSection(id, "ground-rules", { practicePresence: "NONE", groundRules: "Listen", confidentiality: "Nobody is named", safeguardingLead: "" });
    await saveSection(id, "access", { interpreterLanguages: "Polish", support: ["refreshments"], capacity: "10", checklistSafety: "A quiet corner" });
    expect(await taskStatuses(id)).toEqual(["Completed", "Completed", "Completed", "Completed", "Completed", "Incomplete"]);
    const check = await manager.agent.get(`/sessions/drafts/${id}/check`);
    expect(check.status).toBe(200);
    for (const text of ["Full session", "Recovery cafe", "The Hope cafe", "10:00am to 12:00pm (UK time)", "Refreshments", "A quiet corner", "No note: the briefing shows the prompt"]) expect(check.text).toContain(text);
    expect(check.text).toContain(`href="/sessions/drafts/${id}/when-and-where?from=check#venueName"`);
    // "Change" leads back to check your answers.
    const change = await manager.agent.get(`/sessions/drafts/${id}/access?from=check`);
    expect(change.text).toContain(`href="/sessions/drafts/${id}/check"`);
    const changed = await post(`/sessions/drafts/${id}/access`, { version: versionIn(change.text), action: "continue", from: "check", interpreterLanguages: "Polish", support: ["refreshments"], capacity: "10", checklistSafety: "A quiet corner" });
    expect(changed.headers.location).toBe(`/sessions/drafts/${id}/check`);
    // Nothing is a session yet: nothing counted as scheduled.
    expect(await sessions()).toBe(0);
    const dashboard = await manager.agent.get("/dashboard");
    expect(dashboard.text).toContain("still being planned");
    const version = versionIn((await manager.agent.get(`/sessions/drafts/${id}/check`)).text);
    const [first, second] = await Promise.all([post(`/sessions/drafts/${id}/schedule`, { version }), post(`/sessions/drafts/${id}/schedule`, { version })]);
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(first.headers.location).toBe(second.headers.location);
    const sessionId = first.headers.location!.split("/").pop()!;
    const s = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: sessionId }, include: { facilitators: true } });
    expect(s).toMatchObject({ status: "SCHEDULED", title: "Full session", groupId, venueName: "The Hope cafe", interpreterLanguages: ["Polish"], supportRefreshments: true, capacity: 10, checklistSafety: "A quiet corner" });
    expect(s.facilitators.map((f) => f.userId)).toEqual([a.facilitator.id]);
    expect(await sessions()).toBe(1);
    expect(await ctx.prisma.sessionDraft.count({ where: { id } })).toBe(0);
    expect((await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "session.create", entityId: sessionId } })).details).toMatchObject({ status: "SCHEDULED", fromDraftId: id });
    // The draft's old links lead to the session.
    const old = await manager.agent.get(`/sessions/drafts/${id}`);
    expect(old.status).toBe(303);
    expect(old.headers.location).toBe(`/sessions/${sessionId}`);
    // Tidy up, so the next tests count sessions from zero.
    await ctx.prisma.sessionFacilitator.deleteMany({ where: { sessionId } });
    await ctx.prisma.communitySession.delete({ where: { id: sessionId } });
  });

  it("refuses to schedule a session whose date has passed since, pointing at the section; nothing created, the draft kept", async () => {
    const id = await startDraft({ groupId });
    await saveSection(id, "group", { groupId, title: "Too late" });
    await saveSection(id, "when-and-where", WHEN);
    await saveSection(id, "facilitators", { facilitatorIds: [a.manager.id] });
    await saveSection(id, "ground-rules", { practicePresence: "NONE" });
    await saveSection(id, "access", {});
    // The date passes while the draft waits.
    const row = await ctx.prisma.sessionDraft.findUniqueOrThrow({ where: { id } });
    const data = row.data as { values: Record<string, unknown>; visited: string[] };
    data.values.startDate = { day: "1", month: "1", year: "2020" };
    await ctx.prisma.sessionDraft.update({ where: { id }, data: { data: data as object } });
    const check = await manager.agent.get(`/sessions/drafts/${id}/check`);
    const res = await post(`/sessions/drafts/${id}/schedule`, { version: versionIn(check.text) });
    expect(res.status).toBe(400);
    expect(res.text).toContain("A scheduled session must start in the future");
    expect(res.text).toContain('href="#section-when-and-where"');
    expect(await sessions()).toBe(0);
    expect(await ctx.prisma.sessionDraft.count({ where: { id } })).toBe(1);
  });

  it("saves the one-page form for later whatever is missing: each section Completed or Incomplete by its own checks", async () => {
    const body = sessionForm({ groupId, facilitatorIds: [] }, { title: "From the long form", venueName: "" });
    const res = await post("/sessions/drafts", body);
    expect(res.status).toBe(303);
    const id = res.headers.location!.split("/").pop()!;
    // Facilitators missing, venue missing: those two are Incomplete.
    expect(await taskStatuses(id)).toEqual(["Completed", "Incomplete", "Incomplete", "Completed", "Completed", "Cannot start yet"]);
    expect((await manager.agent.get(`/sessions/drafts/${id}/ground-rules`)).text).toContain("The practice manager, for the last 30 minutes");
    expect((await manager.agent.get("/sessions")).text).toContain("From the long form");
    expect(await sessions()).toBe(0);
  });

  it("deletes a draft (audited), and is for managers only", async () => {
    const id = await startDraft();
    const facilitator = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    expect((await facilitator.agent.get(`/sessions/drafts/${id}`)).status).toBe(403);
    expect((await facilitator.agent.get("/sessions")).text).not.toContain("Sessions being planned");
    const page = await manager.agent.get(`/sessions/drafts/${id}`);
    const res = await post(`/sessions/drafts/${id}/delete`, { version: versionIn(page.text) });
    expect(res.status).toBe(303);
    expect(await ctx.prisma.sessionDraft.count({ where: { id } })).toBe(0);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "session-draft.delete", entityId: id } })).toBe(1);
    expect((await manager.agent.get(`/sessions/drafts/${id}`)).status).toBe(404);
  });
});

describe("a session saved as a draft is never counted as scheduled", () => {
  it("keeps DRAFT sessions out of the dashboard's upcoming sessions, counting them as being planned", async () => {
    const startsAt = new Date(Date.now() + 5 * 864e5);
    await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt, status: "DRAFT", title: "Still a draft session" });
    await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt, status: "SCHEDULED", title: "A scheduled one" });
    const page = await manager.agent.get("/dashboard");
    const upcoming = page.text.slice(page.text.indexOf("Upcoming sessions"), page.text.indexOf("Outcomes to log"));
    expect(upcoming).toContain("A scheduled one");
    expect(upcoming).not.toContain("Still a draft session");
    expect(upcoming).toMatch(/still being planned/);
    expect(csrfTokenIn(page.text)).toBeTruthy();
  });
});
