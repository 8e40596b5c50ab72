// The error summary's links must land on something focusable (tester's report:
// "...must start in the future" linked to #startDate, the date input's wrapping
// div). For a date input that is its Day field, as the GOV.UK and NHS date inputs
// do. Every link's target must be the id of an input, select or textarea.
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { withPractice } from "../helpers/with-practice.js";
import { createIdea, ideaOriginAndGroup, type IdeaOrigin } from "../helpers/ideas.js";
import { makeSession, sessionForm, versionIn } from "../helpers/sessions.js";

const { ctx, a, manager } = withPractice({ practices: ["Summary links A"], signIn: ["manager"] });
let origin: IdeaOrigin;
let groupId: string;

beforeAll(async () => {
  ({ origin, groupId } = await ideaOriginAndGroup(ctx.prisma, a, "Summary links group"));
});

const post = (url: string, body: Record<string, unknown>) => manager.agent.post(url).type("form").send({ _csrf: manager.csrf, ...body });

// The error summary's links must land on something focusable: for a date input, its Day field (as the
// GOV.UK and NHS date inputs do), not the wrapping div. Every link's target must be an input's id.
describe("error summary links land on an input", () => {
  const summaryHrefs = (html: string) => {
    const box = html.slice(html.indexOf("nhsuk-error-summary"), html.indexOf("</ul>", html.indexOf("nhsuk-error-summary")));
    return [...box.matchAll(/<a href="([^"]*)">/g)].map((m) => m[1]!);
  };
  const inputIds = (html: string) => new Set([...html.matchAll(/<(?:input|select|textarea)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!));
  const expectLinksToInputs = (html: string, mustInclude: string) => {
    const hrefs = summaryHrefs(html);
    expect(hrefs).toContain(mustInclude);
    const ids = inputIds(html);
    for (const href of hrefs.filter((h) => h.startsWith("#"))) expect(ids, href).toContain(href.slice(1));
  };

  it("a new session starting in the past: the link goes to the date's Day input", async () => {
    const res = await post("/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [10, 3, 2020] }, { status: "SCHEDULED" }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("A scheduled session must start in the future");
    expectLinksToInputs(res.text, "#startDate-day");
  });

  it("a session's date moved to the past, on its 'When and where' page", async () => {
    const session = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 20 * 864e5), status: "SCHEDULED", facilitatorIds: [a.facilitator.id] });
    const url = `/sessions/${session.id}/edit/when-and-where`;
    const version = versionIn((await manager.agent.get(url)).text);
    const res = await post(url, {
      version, formId: crypto.randomUUID(), "startDate[day]": "10", "startDate[month]": "3", "startDate[year]": "2020",
      startTime: "10:00", endTime: "12:00", online: "no", venueName: "Hall", venueAddress: "", venueAccessibility: "", onlineDetails: "",
    });
    expect(res.status).toBe(400);
    expectLinksToInputs(res.text, "#startDate-day");
  });

  it("a response's target date", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Target date link" });
    const res = await post(`/ideas/${idea.id}/responses`, { action: "save", formId: crypto.randomUUID(), status: "PLANNED", text: "We will do it.", isPublic: "no", targetDate: { day: "1", month: "1", year: "2020" } });
    expect(res.status).toBe(400);
    expectLinksToInputs(res.text, "#targetDate-day");
  });
});
