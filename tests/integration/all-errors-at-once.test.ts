// Every problem of a form in one error summary (tester's report): the schema's
// errors and the rules checked after it (a scheduled session in the past, the
// venue of a session at a venue, a reopened idea's rules, the identifying-details
// check of a field that is itself valid) are collected in one pass, so nobody
// fixes one round of errors only to be shown the next.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withPractice } from "../helpers/with-practice.js";
import { createIdea, ideaOriginAndGroup, type IdeaOrigin } from "../helpers/ideas.js";
import { futureDate, makeSession, sessionForm, versionIn } from "../helpers/sessions.js";
import { MUST_BE_PUBLIC } from "../../src/features/responses/service.js";

const { ctx, a, manager } = withPractice({ practices: ["All at once A"], signIn: ["manager"] });
let origin: IdeaOrigin;
let groupId: string;

beforeAll(async () => {
  ({ origin, groupId } = await ideaOriginAndGroup(ctx.prisma, a, "All at once group"));
});

const post = (url: string, body: Record<string, unknown>) => manager.agent.post(url).type("form").send({ _csrf: manager.csrf, ...body });
/** The texts of the error summary's links. */
const summary = (html: string) => {
  const box = html.slice(html.indexOf("nhsuk-error-summary"), html.indexOf("</ul>", html.indexOf("nhsuk-error-summary")));
  return [...box.matchAll(/<a href="[^"]*">([^<]*)<\/a>/g)].map((m) => m[1]!.replace(/&#39;/g, "'"));
};

describe("every error in one round", () => {
  it("/sessions/new: an empty title and venue, and a scheduled start in 2020, all at once", async () => {
    const before = await ctx.prisma.communitySession.count();
    const body = sessionForm({ groupId, facilitatorIds: [], date: [10, 3, 2020] }, { title: "", venueName: "", status: "SCHEDULED", facilitatorIds: [] });
    const res = await post("/sessions", body);
    expect(res.status).toBe(400);
    const list = summary(res.text);
    expect(list).toEqual(expect.arrayContaining([
      "Enter a title for the session",
      "Select at least one facilitator",
      "Enter the name of the venue",
      "A scheduled session must start in the future: change the date, or save it as a draft",
    ]));
    expect(await ctx.prisma.communitySession.count()).toBe(before);
  });

  it("/sessions/new submitted with nothing typed names the venue too", async () => {
    const res = await post("/sessions", { formId: crypto.randomUUID(), status: "DRAFT", online: "no", practicePresence: "NONE" });
    expect(res.status).toBe(400);
    expect(summary(res.text)).toEqual(expect.arrayContaining(["Select the community group", "Enter a title for the session", "Enter the date of the session", "Enter the name of the venue"]));
  });

  it("/sessions/:id/edit/when-and-where: a past year and an empty end time, both at once", async () => {
    const [day, month] = futureDate(20);
    const start = new Date(Date.now() + 20 * 864e5);
    const session = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: start, status: "SCHEDULED", facilitatorIds: [a.facilitator.id] });
    const url = `/sessions/${session.id}/edit/when-and-where`;
    const version = versionIn((await manager.agent.get(url)).text);
    const res = await post(url, {
      version, formId: crypto.randomUUID(), "startDate[day]": String(day), "startDate[month]": String(month), "startDate[year]": "2020",
      startTime: "10:00", endTime: "", online: "no", venueName: "Hall", venueAddress: "", venueAccessibility: "", onlineDetails: "",
    });
    expect(res.status).toBe(400);
    expect(summary(res.text)).toEqual(expect.arrayContaining([
      "Enter the end time",
      "A scheduled session must start in the future: change the date, or postpone or cancel the session",
    ]));
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: session.id } })).version).toBe(session.version);
  });

  it("/groups/new: a too-long description and the identifying-details check on the name, at once", async () => {
    const before = await ctx.prisma.communityGroup.count();
    const res = await post("/groups", { formId: crypto.randomUUID(), name: "Call 07700 900982 women's circle", description: "x".repeat(2001) });
    expect(res.status).toBe(400);
    const list = summary(res.text);
    expect(list).toContain("Description must be 2000 characters or fewer");
    expect(list.some((t) => t.startsWith("The group's name may identify someone"))).toBe(true);
    expect(res.text).toContain('name="nameConfirmSafe"');
    expect(await ctx.prisma.communityGroup.count()).toBe(before);
  });

  it("a response to a reopened idea: staff only and the 40-character rule, at once", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Reopened, all at once", status: "PLANNED", firstResponseAt: new Date(Date.now() - 10 * 864e5) });
    const response = await ctx.prisma.response.create({
      data: { practiceId: a.practice.id, ideaId: idea.id, status: "PLANNED", text: "We will book interpreters.", isPublic: true, authorId: a.manager.id, authorRole: "MANAGER", createdAt: new Date(Date.now() - 10 * 864e5) },
    });
    await ctx.prisma.verdict.create({
      data: { practiceId: a.practice.id, ideaId: idea.id, sessionId: origin.sessionId, groupId: origin.groupId, kind: "NOT_YET", words: "", responseId: response.id, saidAt: new Date(Date.now() - 2 * 864e5) },
    });
    const res = await post(`/ideas/${idea.id}/responses`, { action: "save", formId: crypto.randomUUID(), status: "NOT_POSSIBLE", text: "No room.", isPublic: "no" });
    expect(res.status).toBe(400);
    const list = summary(res.text);
    expect(list).toEqual(expect.arrayContaining([MUST_BE_PUBLIC, "Explain why this is not possible, in at least 40 characters, so the group understands the reason"]));
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(1);
  });

  it("a public response: a past target date and the identifying-details check on the text, at once", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Text check with a date" });
    const res = await post(`/ideas/${idea.id}/responses`, {
      action: "save", formId: crypto.randomUUID(), status: "PLANNED", text: "Ring 07700 900982 to book.", isPublic: "yes", targetDate: { day: "1", month: "1", year: "2020" },
    });
    expect(res.status).toBe(400);
    const list = summary(res.text);
    expect(list).toContain("The target date must be today or in the future");
    expect(list.some((t) => t.startsWith("The response may identify someone"))).toBe(true);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(0);
  });
});
