// Responses: the rules of POST /ideas/:id/responses.
import { beforeAll, describe, expect, it } from "vitest";
import { signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea, hiddenField, type IdeaOrigin } from "../helpers/ideas.js";
import { confirmValueIn } from "../helpers/outcomes.js";
import { addUserToPractice } from "../../src/features/practices/service.js";
import { createResponse, MUST_BE_PUBLIC, SAY_WHAT_CHANGES } from "../../src/features/responses/service.js";
import { formatDate } from "../../src/lib/view-helpers.js";
import { utcToLondonParts } from "../../src/lib/dates.js";
import { awayFromLondonMidnight } from "../helpers/clock.js";
import { REOPENED_RESPONSE_LABELS } from "../../src/lib/vocabulary.js";
import type { VerdictKind } from "../../src/generated/prisma/enums.js";

const { ctx, a, b, manager } = withPractice({ practices: ["Responses A", "Responses B"], signIn: ["manager"] });
let origin: IdeaOrigin;
let otherManager: { agent: Agent; csrf: string };

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(ctx.prisma, a);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
  origin = { practiceId: a.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
  otherManager = await signInAs(ctx.app, b.manager.email, b.manager.password);
});

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

  it("refuses a target date before today (London), keeping the input; today is allowed", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Target date in the past" });
    const before = await stateOf(idea.id);
    const text = "We will move the ramp to the front door.";
    const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes", targetDate: { day: "1", month: "1", year: "2020" } });
    expect(res.status).toBe(400);
    expect(res.text).toContain("There is a problem");
    expect(res.text).toContain("The target date must be today or in the future");
    expect(res.text).toContain(`${text}</textarea>`);
    expect(res.text).toMatch(/id="targetDate-year"[^>]*value="2020"/);
    expect(await stateOf(idea.id)).toEqual(before);
    // Yesterday in London is refused too; today is accepted.
    const london = (d: Date) => { const p = utcToLondonParts(d); return { day: p.day, month: p.month, year: p.year }; };
    await awayFromLondonMidnight();
    const yesterday = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes", targetDate: london(new Date(Date.now() - 864e5)) });
    expect(yesterday.status).toBe(400);
    expect(yesterday.text).toContain("The target date must be today or in the future");
    const today = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes", targetDate: london(new Date()) });
    expect(today.status).toBe(303);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(1);
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
    expect((await manager.agent.get(`/ideas/${idea.id}`)).text).toContain("This response was already added");
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
  it("declares no route to edit or delete a response (a translation is added beside it, never in place)", () => {
    const routes = ctx.app.routeSpecs.filter((r) => r.path.startsWith("/ideas") && r.path.includes("responses"));
    expect(routes).toEqual([
      { method: "POST", path: "/ideas/:id/responses", access: ["MANAGER"] },
      { method: "GET", path: "/ideas/:id/responses/:responseId/translations", access: ["MANAGER"] },
      { method: "POST", path: "/ideas/:id/responses/:responseId/translations", access: ["MANAGER"] },
    ]);
  });

  it("answers 404 to attempts to edit or delete, and the response is unchanged", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Append only" });
    await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "The first words we wrote.", isPublic: "yes" });
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
    const res = await respond(idea.id, { formId: crypto.randomUUID(), text: "Subsequently, comprehensive multidisciplinary deliberations necessitated considerable reorganisation of appointment administration.", isPublic: "yes" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Select the status of this idea");
    expect(res.text).toContain("This may be hard to read");
  });
});

const JARGON = "The practice will undertake a comprehensive evaluation of appointment accessibility considerations, incorporating multidisciplinary stakeholder consultation.";
// At least MIN_WORDS_TO_SCORE (10) words: shorter texts are not scored (lib/readability.ts).
const JARGON_2 = "Subsequently, the practice's comprehensive multidisciplinary deliberations necessitated considerable organisational reconfiguration of appointment administration.";

describe("the reading-age check on a public response (works without JavaScript)", () => {
  it("refuses a jargon-heavy public response with its reading age, keeps the input, and saves nothing", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Reading age refused" });
    const before = await stateOf(idea.id);
    const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: JARGON, isPublic: "yes" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("nhsuk-error-summary");
    expect(res.text).toContain('href="#readingAgeConfirm"');
    expect(res.text).toContain("The response has a reading age of over 18, above the target of 12. Use shorter sentences and everyday words");
    expect(res.text).toContain("Reading age: over 18 (");
    expect(res.text).toContain("use shorter sentences and everyday words");
    expect(res.text).toContain("Save it anyway");
    expect(res.text).toContain(JARGON); // kept
    expect(res.text).toMatch(/value="PLANNED" checked/);
    // One reading age on the page, worded once; no client-side estimate.
    expect(res.text.match(/Reading age: /g)).toHaveLength(1);
    expect(res.text).not.toContain("Estimated reading age");
    expect(res.text).not.toContain("/public/js/responses.js");
    expect(await stateOf(idea.id)).toEqual(before);
  });

  it("saves it once when confirmed with the server's token, and audits the reading age", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Reading age confirmed" });
    const formId = await formIdFor(idea.id);
    const body = { formId, status: "PLANNED", text: JARGON, isPublic: "yes" };
    const refused = await respond(idea.id, body);
    expect(refused.status).toBe(400);
    const token = confirmValueIn(refused.text, "readingAgeConfirm");
    for (const guess of ["yes", "on", token.slice(1) + "x"]) {
      expect((await respond(idea.id, { ...body, readingAgeConfirm: guess })).status).toBe(400);
    }
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(0);
    const results = await Promise.all([respond(idea.id, { ...body, readingAgeConfirm: token }), respond(idea.id, { ...body, readingAgeConfirm: token })]);
    expect(results.map((r) => r.status)).toEqual([303, 303]);
    const responses = await ctx.prisma.response.findMany({ where: { ideaId: idea.id } });
    expect(responses).toHaveLength(1);
    expect(responses[0]!.text).toBe(JARGON);
    const audits = await ctx.prisma.auditEvent.findMany({ where: { action: "response.create", entityId: responses[0]!.id } });
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ formId, isPublic: true, readingAge: { readingAge: 36, target: 12, confirmed: true } });
    expect(JSON.stringify(audits[0]!.details)).not.toContain("comprehensive"); // the score, never the text
  });

  it("does not accept a confirmation issued for different text, or for another person", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Reading age other text" });
    const first = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: JARGON, isPublic: "yes" });
    const token = confirmValueIn(first.text, "readingAgeConfirm");
    // The same token with other (also hard) text, or the same text with one character changed: asked again.
    for (const text of [JARGON_2, JARGON.replace("practice", "Practice"), `${JARGON} `.replace(".", "!")]) {
      const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes", readingAgeConfirm: token });
      expect(res.status, text).toBe(400);
      expect(res.text).toContain("Save it anyway");
      expect(confirmValueIn(res.text, "readingAgeConfirm")).not.toBe(token);
    }
    // Another manager of the same practice cannot use it either.
    const email = `second-manager-${crypto.randomUUID().slice(0, 8)}@example.test`;
    await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email, name: "Second manager", password: a.manager.password, role: "MANAGER" });
    const other = await signInAs(ctx.app, email, a.manager.password);
    const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: JARGON, isPublic: "yes", readingAgeConfirm: token }, other);
    expect(res.status).toBe(400);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(0);
  });

  it("saves a plain public response directly, and a private jargon one without asking", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Reading age plain" });
    const plain = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "We have booked an interpreter for Tuesday mornings. You can ask for one when you book.", isPublic: "yes" });
    expect(plain.status).toBe(303);
    const privateOne = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: JARGON, isPublic: "no" });
    expect(privateOne.status).toBe(303);
    const saved = await ctx.prisma.response.findMany({ where: { ideaId: idea.id }, orderBy: { createdAt: "asc" } });
    expect(saved.map((r) => r.isPublic)).toEqual([true, false]);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "response.create", entityId: saved[1]!.id } });
    expect(audit.details).not.toHaveProperty("readingAge");
  });

  it("saves a very short public response without asking (fewer than 10 words are not scored), and 'Check readability' says it is too short to score", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Reading age short" });
    // Before: "Appointments available." scored a reading age of 31 ("over 18") and the manager was asked to confirm.
    const check = await respond(idea.id, { formId: crypto.randomUUID(), action: "check", status: "PLANNED", text: "Appointments available.", isPublic: "yes" });
    expect(check.status).toBe(200);
    expect(check.text).toContain("Too short to give a reading age (fewer than 10 words).");
    expect(check.text).not.toContain("over 18");
    expect(check.text).not.toContain("This may be hard to read");
    for (const text of ["Appointments available.", "Interpreters are available on Tuesday mornings at reception."]) {
      const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes" });
      expect(res.status, text).toBe(303);
    }
    const saved = await ctx.prisma.response.findMany({ where: { ideaId: idea.id }, orderBy: { createdAt: "asc" } });
    expect(saved.map((r) => [r.text, r.isPublic])).toEqual([["Appointments available.", true], ["Interpreters are available on Tuesday mornings at reception.", true]]);
    const audits = await ctx.prisma.auditEvent.findMany({ where: { action: "response.create", entityId: { in: saved.map((r) => r.id) } } });
    expect(audits).toHaveLength(2);
    for (const audit of audits) expect(audit.details).not.toHaveProperty("readingAge");
  });

  it("asks about identifying details and the reading age together, and saves once both are confirmed", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Both checks" });
    const text = "Mrs Ahmed, telephone 07700 900123, requested comprehensive multidisciplinary accessibility considerations.";
    const body = { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes" };
    const refused = await respond(idea.id, body);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("This may identify someone");
    expect(refused.text).toContain("This may be hard to read");
    const identifying = confirmValueIn(refused.text, "textConfirmSafe");
    const reading = confirmValueIn(refused.text, "readingAgeConfirm");
    // One confirmation is not enough: the other is still asked, and the one given stays ticked.
    const half = await respond(idea.id, { ...body, readingAgeConfirm: reading });
    expect(half.status).toBe(400);
    expect(half.text).toContain("This may identify someone");
    expect(half.text).toMatch(new RegExp(`name="readingAgeConfirm" type="checkbox" value="${reading}" checked`));
    expect(half.text).not.toContain('href="#readingAgeConfirm"');
    expect((await respond(idea.id, { ...body, textConfirmSafe: identifying })).status).toBe(400);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(0);
    const ok = await respond(idea.id, { ...body, textConfirmSafe: identifying, readingAgeConfirm: reading });
    expect(ok.status).toBe(303);
    const [saved] = await ctx.prisma.response.findMany({ where: { ideaId: idea.id } });
    expect(await ctx.prisma.auditEvent.count({ where: { action: "response.identifying-details-confirmed", entityId: saved!.id } })).toBe(1);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "response.create", entityId: saved!.id } });
    expect(audit.details).toMatchObject({ readingAge: { confirmed: true } });
  });
});

// Issue 18: the group said "partly" or "not yet" at a later session, so the idea is back on the
// practice's list, and the next response must say what changes (features/responses/service.ts).
describe("a response to an idea the group says is not answered yet", () => {
  const LAST = "We will book interpreters from next month.";
  const WORDS = "Still no interpreter on Mondays";
  const DAY = 864e5;
  const escaped = (s: string) => s.replace(/'/g, "&#39;");

  /** An idea with a public answer 10 days ago and the group's verdict on it 2 days ago. */
  async function reopenedIdea(text: string, kind: VerdictKind = "NOT_YET", words = WORDS, last = LAST) {
    const idea = await createIdea(ctx.prisma, origin, { text, status: "PLANNED", firstResponseAt: new Date(Date.now() - 10 * DAY) });
    const response = await ctx.prisma.response.create({
      data: { practiceId: a.practice.id, ideaId: idea.id, status: "PLANNED", text: last, isPublic: true, authorId: a.manager.id, authorRole: "MANAGER", createdAt: new Date(Date.now() - 10 * DAY) },
    });
    const saidAt = new Date(Date.now() - 2 * DAY);
    const verdict = await ctx.prisma.verdict.create({
      data: { practiceId: a.practice.id, ideaId: idea.id, sessionId: origin.sessionId, groupId: origin.groupId, kind, words, responseId: response.id, saidAt, createdAt: saidAt },
    });
    return { idea, verdict };
  }

  const onReopenedList = async (ideaId: string) => (await manager.agent.get("/ideas?reopened=yes")).text.includes(`href="/ideas/${ideaId}`); // the list adds ?back=…
  const formOf = (html: string) => html.slice(html.indexOf('id="respond"'));

  it("shows above the text box what the group said, when, in its words, and the practice's last public answer, with the hint", async () => {
    const { idea, verdict } = await reopenedIdea("Interpreters on Mondays", "PARTLY", "Only on some Mondays, ما زال صعبا");
    const form = formOf((await manager.agent.get(`/ideas/${idea.id}`)).text);
    const block = form.slice(form.indexOf('id="reopened-answer"'), form.indexOf('name="text"'));
    expect(block).toContain(escaped(REOPENED_RESPONSE_LABELS.heading));
    expect(block).toContain(">Partly</strong>");
    expect(block).toContain(formatDate(verdict.saidAt));
    expect(block).toContain('“<span class="app-preserve-lines" dir="auto">Only on some Mondays, ما زال صعبا</span>”');
    expect(block).toContain(escaped(REOPENED_RESPONSE_LABELS.previous));
    expect(block).toContain(LAST);
    expect(form).toContain(`${REOPENED_RESPONSE_LABELS.hint}.`);
    expect(form).toContain(REOPENED_RESPONSE_LABELS.publicHint);
    // An idea that is not reopened: the ordinary form.
    const plain = await createIdea(ctx.prisma, origin, { text: "Not reopened" });
    const ordinary = formOf((await manager.agent.get(`/ideas/${plain.id}`)).text);
    expect(ordinary).not.toContain('id="reopened-answer"');
    expect(ordinary).not.toContain(REOPENED_RESPONSE_LABELS.hint);
    expect(ordinary).toContain("For example:");
  });

  it("says so when the group gave no words and the practice has no public answer yet", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "No answer yet" });
    await ctx.prisma.verdict.create({ data: { practiceId: a.practice.id, ideaId: idea.id, sessionId: origin.sessionId, groupId: origin.groupId, kind: "NOT_YET", saidAt: new Date() } });
    const form = formOf((await manager.agent.get(`/ideas/${idea.id}`)).text);
    expect(form).toContain('id="reopened-answer"');
    expect(form).toContain(REOPENED_RESPONSE_LABELS.noWords);
    expect(form).toContain(REOPENED_RESPONSE_LABELS.noPrevious);
  });

  it("refuses a staff-only response, keeps the input and saves nothing", async () => {
    const { idea } = await reopenedIdea("Private refused");
    const before = await stateOf(idea.id);
    const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "IN_PROGRESS", text: "We are talking to the agency.", isPublic: "no" });
    expect(res.status).toBe(400);
    expect(res.text).toContain("nhsuk-error-summary");
    expect(res.text).toContain(`<a href="#isPublic">${MUST_BE_PUBLIC}</a>`);
    expect(res.text).toContain("We are talking to the agency.</textarea>");
    expect(res.text).toMatch(/value="IN_PROGRESS" checked/);
    expect(res.text).toMatch(/id="isPublic-2" name="isPublic" type="radio" value="no" checked/);
    expect(res.text).toContain('id="reopened-answer"');
    expect(await stateOf(idea.id)).toEqual(before);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(1);
    expect(await onReopenedList(idea.id)).toBe(true);
  });

  it("refuses the practice's last answer again, in another case, spacing and punctuation, and saves nothing", async () => {
    const { idea } = await reopenedIdea("Repeat refused");
    const before = await stateOf(idea.id);
    for (const text of [LAST, "we will BOOK   interpreters\nfrom next month", "We will book interpreters, from next month!!"]) {
      const res = await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text, isPublic: "yes" });
      expect(res.status, text).toBe(400);
      expect(res.text).toContain(`<a href="#text">${escaped(SAY_WHAT_CHANGES)}</a>`);
      expect(res.text).toContain(`${text.replace(/'/g, "&#39;")}</textarea>`);
    }
    // Both at once: each on its own field.
    const both = await respond(idea.id, { formId: crypto.randomUUID(), status: "DONE", text: LAST.toUpperCase(), isPublic: "no" });
    expect(both.status).toBe(400);
    expect(both.text).toContain('href="#isPublic"');
    expect(both.text).toContain('href="#text"');
    expect(await stateOf(idea.id)).toEqual(before);
  });

  it("shows the rules before asking to confirm the reading age, which then works as before", async () => {
    const { idea } = await reopenedIdea("Rules then confirmations", "NOT_YET", WORDS, JARGON);
    const formId = crypto.randomUUID();
    // The last answer again (hard to read too): the text has to change, so the reading age is not asked about yet.
    const repeated = await respond(idea.id, { formId, status: "PLANNED", text: JARGON.toLowerCase(), isPublic: "yes" });
    expect(repeated.status).toBe(400);
    expect(repeated.text).toContain(escaped(SAY_WHAT_CHANGES));
    expect(repeated.text).not.toContain("Save it anyway");
    const privateOne = await respond(idea.id, { formId, status: "PLANNED", text: JARGON_2, isPublic: "no" });
    expect(privateOne.status).toBe(400);
    expect(privateOne.text).toContain(MUST_BE_PUBLIC);
    // New words, public: the reading-age check as for any public response, then saved once confirmed.
    const publicOne = await respond(idea.id, { formId, status: "PLANNED", text: JARGON_2, isPublic: "yes" });
    expect(publicOne.status).toBe(400);
    expect(publicOne.text).toContain("Save it anyway");
    expect(publicOne.text).not.toContain(MUST_BE_PUBLIC);
    expect(publicOne.text).not.toContain(escaped(SAY_WHAT_CHANGES));
    const token = confirmValueIn(publicOne.text, "readingAgeConfirm");
    expect((await respond(idea.id, { formId, status: "PLANNED", text: JARGON_2, isPublic: "yes", readingAgeConfirm: token })).status).toBe(303);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(2);
  });

  it("saves a public response that says what changes, once, and the idea leaves the reopened list", async () => {
    const { idea, verdict } = await reopenedIdea("Saved and closed");
    expect(await onReopenedList(idea.id)).toBe(true);
    const formId = await formIdFor(idea.id);
    const body = { formId, status: "IN_PROGRESS", text: "Monday interpreters start on 1 June. Until then, ask reception and we will book one by phone.", isPublic: "yes" };
    expect((await respond(idea.id, body)).status).toBe(303);
    expect((await respond(idea.id, body)).status).toBe(303); // a double submit: saved once
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(2);
    const saved = await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id }, orderBy: { createdAt: "desc" } });
    expect(saved).toMatchObject({ text: body.text, isPublic: true, status: "IN_PROGRESS" });
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } })).status).toBe("IN_PROGRESS");
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "response.create", entityId: saved.id } });
    expect(audit.details).toMatchObject({ formId, answersVerdict: { id: verdict.id, kind: "NOT_YET" } });
    // No longer reopened: no banner, the ordinary form, off the list; and the rules no longer apply.
    const page = await manager.agent.get(`/ideas/${idea.id}`);
    expect(page.text).toContain("This response was already added");
    expect(page.text).not.toContain("The group says this is not answered yet");
    expect(page.text).not.toContain('id="reopened-answer"');
    expect(await onReopenedList(idea.id)).toBe(false);
    expect((await respond(idea.id, { formId: crypto.randomUUID(), status: "IN_PROGRESS", text: "Staff note: agency confirmed.", isPublic: "no" })).status).toBe(303);
  });

  it("checks the rules again in the service's transaction (a verdict saved after the form was opened), saving nothing", async () => {
    const { idea } = await reopenedIdea("Service refuses");
    const before = await stateOf(idea.id);
    const actor = { id: a.manager.id, role: "MANAGER" as const };
    const privateOne = await createResponse(ctx.prisma, a.practice.id, idea.id, actor, { status: "PLANNED", text: "Something new", targetDate: null, isPublic: false }, crypto.randomUUID());
    expect(privateOne).toEqual({ ok: false, reason: "invalid", errors: { isPublic: MUST_BE_PUBLIC } });
    const repeated = await createResponse(ctx.prisma, a.practice.id, idea.id, actor, { status: "DONE", text: ` ${LAST.toLowerCase()} `, targetDate: null, isPublic: true }, crypto.randomUUID());
    expect(repeated).toEqual({ ok: false, reason: "invalid", errors: { text: SAY_WHAT_CHANGES } });
    expect(await stateOf(idea.id)).toEqual(before);
  });

  it("leaves responses to ideas that are not reopened alone (no verdict, 'this answers what we said', or answered since)", async () => {
    const fresh = await createIdea(ctx.prisma, origin, { text: "No verdict" });
    const { idea: answered } = await reopenedIdea("Answers what we said", "ANSWERS");
    const { idea: closed } = await reopenedIdea("Answered since");
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: closed.id, status: "IN_PROGRESS", text: "Interpreters start on 1 June", isPublic: true, authorRole: "MANAGER", createdAt: new Date(Date.now() - DAY) } });
    for (const idea of [fresh, answered, closed]) {
      expect((await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: "A staff-only note.", isPublic: "no" })).status, idea.text).toBe(303);
      expect((await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: LAST, isPublic: "yes" })).status, idea.text).toBe(303);
      expect((await respond(idea.id, { formId: crypto.randomUUID(), status: "PLANNED", text: LAST, isPublic: "yes" })).status, idea.text).toBe(303);
    }
  });

  it("stops demanding a public answer once a manager narrows the idea to the practice only (a public answer would reach nobody); a PUBLIC idea keeps the rules", async () => {
    const { idea: narrowed } = await reopenedIdea("Narrowed after the verdict");
    const { idea: stillPublic } = await reopenedIdea("Still public after the verdict");
    const dashboardHas = async (ideaId: string) => {
      const html = (await manager.agent.get("/dashboard")).text;
      const start = html.indexOf('id="reopened"');
      return html.slice(start, html.indexOf("<h2", start + 1)).includes(`href="/ideas/${ideaId}"`);
    };
    expect(await onReopenedList(narrowed.id)).toBe(true);
    expect(await dashboardHas(narrowed.id)).toBe(true);
    // The manager narrows its consent through the correction form.
    const edit = (await manager.agent.get(`/ideas/${narrowed.id}/edit`)).text;
    const corrected = await manager.agent.post(`/ideas/${narrowed.id}/edit`).type("form")
      .send({ _csrf: manager.csrf, text: narrowed.text, themeId: narrowed.themeId, consent: "PRACTICE_ONLY", version: hiddenField(edit, "version") });
    expect(corrected.status).toBe(303);
    expect((await ctx.prisma.idea.findUniqueOrThrow({ where: { id: narrowed.id } })).consent).toBe("PRACTICE_ONLY");
    // No "say what changes" block or notice, off both lists; the verdict stays on the timeline.
    const page = (await manager.agent.get(`/ideas/${narrowed.id}`)).text;
    expect(formOf(page)).not.toContain('id="reopened-answer"');
    expect(formOf(page)).not.toContain(REOPENED_RESPONSE_LABELS.publicHint);
    expect(page).not.toContain("The group says this is not answered yet");
    expect(page).toContain("Not yet, still a problem");
    expect(await onReopenedList(narrowed.id)).toBe(false);
    expect(await dashboardHas(narrowed.id)).toBe(false);
    // A staff-only response is accepted (and so is the last answer's text again).
    const staffOnly = await respond(narrowed.id, { formId: crypto.randomUUID(), status: "IN_PROGRESS", text: "We are talking to the agency.", isPublic: "no" });
    expect(staffOnly.status).toBe(303);
    expect(await ctx.prisma.response.count({ where: { ideaId: narrowed.id } })).toBe(2);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "response.create", details: { path: ["ideaId"], equals: narrowed.id } }, orderBy: { createdAt: "desc" } });
    expect(audit.details).not.toHaveProperty("answersVerdict");
    // The same request on the idea that is still PUBLIC: refused as before, nothing saved.
    const refused = await respond(stillPublic.id, { formId: crypto.randomUUID(), status: "IN_PROGRESS", text: "We are talking to the agency.", isPublic: "no" });
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`<a href="#isPublic">${MUST_BE_PUBLIC}</a>`);
    expect(formOf(refused.text)).toContain('id="reopened-answer"');
    expect(await ctx.prisma.response.count({ where: { ideaId: stillPublic.id } })).toBe(1);
    expect(await onReopenedList(stillPublic.id)).toBe(true);
    expect(await dashboardHas(stillPublic.id)).toBe(true);
  });

  it("is still refused to viewers and facilitators (403) and another practice's manager (404), changing nothing", async () => {
    const { idea } = await reopenedIdea("Wrong people");
    const others = [await signInAs(ctx.app, a.viewer.email, a.viewer.password), await signInAs(ctx.app, a.facilitator.email, a.facilitator.password)];
    const before = await stateOf(idea.id);
    const body = { formId: crypto.randomUUID(), status: "IN_PROGRESS", text: "Interpreters start on 1 June.", isPublic: "yes" };
    for (const who of others) expect((await respond(idea.id, body, who)).status).toBe(403);
    expect((await respond(idea.id, body, otherManager)).status).toBe(404);
    expect((await otherManager.agent.get(`/ideas/${idea.id}`)).status).toBe(404);
    expect(await stateOf(idea.id)).toEqual(before);
    expect(await onReopenedList(idea.id)).toBe(true);
  });
});
