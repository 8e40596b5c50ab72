// Responses: the rules of POST /ideas/:id/responses.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createIdea, hiddenField, type IdeaOrigin } from "../helpers/ideas.js";

let ctx: TestContext;
let a: PracticeFixture;
let b: PracticeFixture;
let origin: IdeaOrigin;
let manager: { agent: Agent; csrf: string };
let otherManager: { agent: Agent; csrf: string };

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPracticeWithStaff(ctx.prisma, "Responses A");
  b = await createPracticeWithStaff(ctx.prisma, "Responses B");
  const { group, session } = await createGroupAndSession(ctx.prisma, a);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
  origin = { practiceId: a.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
  manager = await signInAs(ctx.app, a.manager.email, a.manager.password);
  otherManager = await signInAs(ctx.app, b.manager.email, b.manager.password);
});
afterAll(() => ctx?.close());

async function formIdFor(ideaId: string, agent = manager.agent) {
  return hiddenField((await agent.get(`/ideas/${ideaId}`)).text, "formId");
}

function respond(ideaId: string, body: Record<string, unknown>, who = manager) {
  return who.agent.post(`/ideas/${ideaId}/responses`).type("form").send({ _csrf: who.csrf, action: "save", ...body });
}

const stateOf = async (ideaId: string) => ({
  idea: await ctx.prisma.idea.findUniqueOrThrow({ where: { id: ideaId } }),
  responses: await ctx.prisma.response.count({ where: { ideaId } }),
  audits: await ctx.prisma.auditEvent.count({ where: { practiceId: a.practice.id } }),
});

describe("adding a response", () => {
  it("creates the response, sets the idea's status and first response time, and audits it", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "More evening appointments", dueAt: new Date(Date.now() - 864e5) });
    const formId = await formIdFor(idea.id);
    const res = await respond(idea.id, { formId, status: "UNDER_CONSIDERATION", text: "We are looking at the rota for evenings.", isPublic: "yes", targetDate: { day: "15", month: "3", year: "2027" } });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/ideas/${idea.id}#timeline`);
    const [response] = await ctx.prisma.response.findMany({ where: { ideaId: idea.id } });
    expect(response).toMatchObject({ status: "UNDER_CONSIDERATION", text: "We are looking at the rota for evenings.", isPublic: true, authorId: a.manager.id, authorRole: "MANAGER", practiceId: a.practice.id });
    expect(response!.targetDate!.toISOString()).toBe("2027-03-15T00:00:00.000Z");
    const after = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(after.status).toBe("UNDER_CONSIDERATION");
    expect(after.firstResponseAt!.getTime()).toBe(response!.createdAt.getTime());
    expect(after.doneAt).toBeNull();
    expect(after.publicUpdatedAt).toBeNull(); // not published
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "response.create", entityId: response!.id } });
    expect(audit).toMatchObject({ actorId: a.manager.id, practiceId: a.practice.id });
    expect(audit.details).toMatchObject({ formId, ideaId: idea.id, previous: { ideaStatus: "RECEIVED" } });
    // No longer overdue; the timeline shows it.
    const page = await manager.agent.get(`/ideas/${idea.id}`);
    expect(page.text).toContain("Response added");
    expect(page.text).toContain("We are looking at the rota for evenings.");
    expect(page.text).not.toContain(">Overdue<");
  });

  it("keeps the idea's status equal to its latest response; firstResponseAt is kept; doneAt set on DONE and cleared when reopened", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Status follows the latest response" });
    await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "We plan to do this in spring.", isPublic: "yes" });
    const first = (await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).firstResponseAt;
    await respond(idea.id, { formId: crypto.randomUUID(), status: "DONE", text: "Done: it started this week.", isPublic: "yes" });
    let now = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(now.status).toBe("DONE");
    expect(now.firstResponseAt).toEqual(first);
    expect(now.doneAt).toBeInstanceOf(Date);
    await respond(idea.id, { formId: crypto.randomUUID(), status: "IN_PROGRESS", text: "Correction: it is not finished yet.", isPublic: "no" });
    now = await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    expect(now.status).toBe("IN_PROGRESS");
    expect(now.doneAt).toBeNull();
    const latest = await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id }, orderBy: { createdAt: "desc" } });
    expect(latest.status).toBe(now.status);
    // All three are kept, newest first on the page.
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(3);
    const page = (await manager.agent.get(`/ideas/${idea.id}`)).text;
    expect(page.indexOf("Correction: it is not finished yet.")).toBeLessThan(page.indexOf("Done: it started this week."));
    expect(page.indexOf("Done: it started this week.")).toBeLessThan(page.indexOf("We plan to do this in spring."));
  });

  it("moves publicUpdatedAt only for a public response on a published idea", async () => {
    const published = new Date(Date.now() - 5 * 864e5);
    const idea = await createIdea(ctx.prisma, origin, { text: "Published idea", publishedAt: published });
    await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "A private note for staff.", isPublic: "no" });
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).publicUpdatedAt).toEqual(published);
    await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "We will do this in May.", isPublic: "yes" });
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).publicUpdatedAt!.getTime()).toBeGreaterThan(published.getTime());
  });
});

describe("bad input", () => {
  it("NOT_POSSIBLE needs an explanation: a short one is refused, input kept, nothing saved", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Parking for everyone" });
    const before = await stateOf(idea.id);
    const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "NOT_POSSIBLE", text: "No space.", isPublic: "yes" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Explain why this is not possible");
    expect(res.text).toContain('href="#text"');
    expect(res.text).toContain("No space.</textarea>");
    expect(res.text).toMatch(/value="NOT_POSSIBLE" checked/);
    expect(await stateOf(idea.id)).toEqual(before);
    const ok = await respond(idea.id, { formId: crypto.randomUUID(), status: "NOT_POSSIBLE", text: "The car park belongs to the council, and they will not let us use more spaces.", isPublic: "yes" });
    expect(ok.status).toBe(303);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).status).toBe("NOT_POSSIBLE");
  });

  it("refuses missing status, empty or overlong text, a bad target date and a missing public choice", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Validation idea" });
    const before = await stateOf(idea.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ text: "Something", isPublic: "yes" }, "Select the status of this idea"],
      [{ status: "WHATEVER", text: "Something", isPublic: "yes" }, "Select the status of this idea"],
      [{ status: "PLANNED", text: "   ", isPublic: "yes" }, "Enter what the practice did or what happens next"],
      [{ status: "PLANNED", text: "x".repeat(2001), isPublic: "yes" }, "2,000 characters or fewer"],
      [{ status: "PLANNED", text: "Something", isPublic: "yes", targetDate: { day: "31", month: "2", year: "2027" } }, "Target date must be a real date"],
      [{ status: "PLANNED", text: "Something", isPublic: "yes", targetDate: { day: "3", month: "", year: "2027" } }, "Target date must include a month"],
      [{ status: "PLANNED", text: "Something" , isPublic: "maybe" }, "Select whether this response is public"],
    ];
    for (const [body, message] of cases) {
      const res = await respond(idea.id, { formId: crypto.randomUUID(), ...body });
      expect(res.status, message).toBe(400);
      expect(res.text, message).toContain(message);
      expect(res.text).toContain("There is a problem");
    }
    expect(await stateOf(idea.id)).toEqual(before);
  });
});

describe("double submit", () => {
  it("the same form posted twice creates one response", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Double click" });
    const formId = await formIdFor(idea.id);
    const body = { formId, status: "RECEIVED", text: "Thank you, we have this.", isPublic: "yes" };
    expect((await respond(idea.id, body)).status).toBe(303);
    const again = await respond(idea.id, body);
    expect(again.status).toBe(303);
    expect((await manager.agent.get(`/ideas/${idea.id}`)).text).toContain("This response was already saved");
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(1);
  });

  it("two simultaneous posts of the same form create one response", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Simultaneous" });
    const formId = await formIdFor(idea.id);
    const body = { formId, status: "RECEIVED", text: "Thank you, we have this.", isPublic: "yes" };
    const results = await Promise.all([respond(idea.id, body), respond(idea.id, body), respond(idea.id, body)]);
    expect(results.map((r) => r.status)).toEqual([303, 303, 303]);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(1);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "response.create", details: { path: ["ideaId"], equals: idea.id } } })).toBe(1);
  });
});

describe("responses are append-only", () => {
  it("declares no route to edit or delete a response", () => {
    const routes = ctx.app.routeSpecs.filter((r) => r.path.startsWith("/ideas") && r.path.includes("responses"));
    expect(routes).toEqual([{ method: "POST", path: "/ideas/:id/responses", access: ["MANAGER"] }]);
  });

  it("answers 404 to attempts to edit or delete, and the response is unchanged", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Append only" });
    await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "The original words.", isPublic: "yes" });
    const response = await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id } });
    for (const path of [`/ideas/${idea.id}/responses/${response.id}`, `/ideas/${idea.id}/responses/${response.id}/edit`, `/ideas/${idea.id}/responses/${response.id}/delete`, `/responses/${response.id}`]) {
      const res = await manager.agent.post(path).type("form").send({ _csrf: manager.csrf, text: "Rewritten", _method: "DELETE" });
      expect(res.status, path).toBe(404);
    }
    expect(await ctx.prisma.response.findUniqueOrThrow({ where: { id: response.id } })).toEqual(response);
  });
});

describe("who may respond", () => {
  it("refuses viewers and facilitators (403) and another practice's manager (404), changing nothing", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Only managers answer" });
    const others = [await signInAs(ctx.app, a.viewer.email, a.viewer.password), await signInAs(ctx.app, a.facilitator.email, a.facilitator.password)];
    const before = await stateOf(idea.id); // after signing in, which is audited itself
    for (const who of others) {
      const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "DONE", text: "Done by the wrong person.", isPublic: "yes" }, who);
      expect(res.status).toBe(403);
    }
    const other = await respond(idea.id, { formId: crypto.randomUUID(), status: "DONE", text: "Done by another practice.", isPublic: "yes" }, otherManager);
    expect(other.status).toBe(404);
    expect(await stateOf(idea.id)).toEqual(before);
  });
});

describe("plain-language helper", () => {
  it("'Check readability' shows the reading age and saves nothing", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Readability idea" });
    const before = await stateOf(idea.id);
    const easy = await respond(idea.id, { formId: crypto.randomUUID(), action: "check", status: "PLANNED", text: "We have booked an interpreter for Tuesday mornings. You can ask for one when you book.", isPublic: "yes" });
    expect(easy.status).toBe(200);
    expect(easy.text).toContain("Reading age: 8.");
    expect(easy.text).not.toContain("This may be hard to read");
    expect(easy.text).toContain("We have booked an interpreter"); // kept
    const hard = await respond(idea.id, { formId: crypto.randomUUID(), action: "check", status: "PLANNED", text: "The practice will undertake a comprehensive evaluation of appointment accessibility considerations, incorporating multidisciplinary stakeholder consultation.", isPublic: "yes" });
    expect(hard.text).toContain("This may be hard to read");
    expect(hard.text).toContain("Aim for a reading age of 11 to 12");
    expect(await stateOf(idea.id)).toEqual(before);
  });

  it("shows the score with the errors after a failed validation", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Readability on error" });
    const res = await respond(idea.id, { formId: crypto.randomUUID(), text: "Subsequently, comprehensive multidisciplinary deliberations necessitated considerable reorganisation.", isPublic: "yes" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Select the status of this idea");
    expect(res.text).toContain("This may be hard to read");
  });
});
