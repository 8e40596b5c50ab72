// Browser Back, then the same form saved again (tester's report): staff pages are
// sent `Cache-Control: no-store`, so Back fetches the form again and the server
// renders a new formId, while Chrome's form restoration puts the typed text back
// (but not the hidden formId, which markup set). These tests do what the browser
// does: GET the form, POST it, GET the form again, POST the same values with the
// formId the second GET gave. Exactly one row must be saved, and the user lands
// on what the first submit saved.
import { beforeAll, describe, expect, it } from "vitest";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea, type IdeaOrigin } from "../helpers/ideas.js";
import { formIdIn, futureDate, makeGroup, sessionForm } from "../helpers/sessions.js";

const { ctx, a, manager } = withPractice({ practices: ["Back button A"], signIn: ["manager"] });
let origin: IdeaOrigin;

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(ctx.prisma, a);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
  origin = { practiceId: a.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
});

describe("Back, then save again", () => {
  it("staff pages are no-store, so Back fetches the form again with a new formId", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Why a new formId" });
    const first = await manager.agent.get(`/ideas/${idea.id}`);
    expect(first.headers["cache-control"]).toBe("no-store");
    const second = await manager.agent.get(`/ideas/${idea.id}`);
    expect(formIdIn(second.text, `/ideas/${idea.id}/responses#respond`)).not.toBe(formIdIn(first.text, `/ideas/${idea.id}/responses#respond`));
  });

  it("a response: the second submit saves nothing and lands on the first one with a message", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Back then add response" });
    const action = `/ideas/${idea.id}/responses#respond`;
    const values = { status: "PLANNED", text: "We will ask the reception team about this.", isPublic: "no" };
    const post = (formId: string) => manager.agent.post(`/ideas/${idea.id}/responses`).type("form").send({ _csrf: manager.csrf, action: "save", formId, ...values });

    const firstForm = await manager.agent.get(`/ideas/${idea.id}`);
    const first = await post(formIdIn(firstForm.text, action));
    expect(first.status).toBe(303);
    expect((await manager.agent.get(first.headers.location!)).text).toContain("Response added");

    const againForm = await manager.agent.get(`/ideas/${idea.id}`); // Back: fetched again, a new formId
    const again = await post(formIdIn(againForm.text, action));
    expect(again.status).toBe(303);
    const saved = await ctx.prisma.response.findMany({ where: { ideaId: idea.id } });
    expect(saved).toHaveLength(1);
    expect(again.headers.location).toBe(`/ideas/${idea.id}#timeline`);
    const landing = await manager.agent.get(again.headers.location!);
    expect(landing.text).toContain("This response was already added");
    expect(landing.text).toContain(values.text);
    // One audit of the creation, nothing more.
    expect(await ctx.prisma.auditEvent.count({ where: { action: "response.create", details: { path: ["ideaId"], equals: idea.id } } })).toBe(1);
  });

  it("a response that differs (another status or text) is still added", async () => {
    const idea = await createIdea(ctx.prisma, origin, { text: "Two real updates" });
    const action = `/ideas/${idea.id}/responses#respond`;
    const post = async (body: Record<string, string>) => {
      const form = await manager.agent.get(`/ideas/${idea.id}`);
      return manager.agent.post(`/ideas/${idea.id}/responses`).type("form").send({ _csrf: manager.csrf, action: "save", formId: formIdIn(form.text, action), isPublic: "no", ...body });
    };
    expect((await post({ status: "PLANNED", text: "We will look at this." })).status).toBe(303);
    expect((await post({ status: "IN_PROGRESS", text: "We will look at this." })).status).toBe(303);
    expect((await post({ status: "IN_PROGRESS", text: "We have started on this." })).status).toBe(303);
    expect(await ctx.prisma.response.count({ where: { ideaId: idea.id } })).toBe(3);
  });

  it("a new session: the second submit saves nothing and lands on the session saved first", async () => {
    const group = await makeGroup(ctx.prisma, a.practice.id, { name: "Back button group" });
    const body = sessionForm({ groupId: group.id, facilitatorIds: [a.facilitator.id], date: futureDate(40) }, { title: "Back button session", status: "SCHEDULED" });
    const count = () => ctx.prisma.communitySession.count({ where: { practiceId: a.practice.id, groupId: group.id } });

    const firstForm = await manager.agent.get("/sessions/new");
    const first = await manager.agent.post("/sessions").type("form").send({ _csrf: manager.csrf, ...body, formId: formIdIn(firstForm.text, "/sessions") });
    expect(first.status).toBe(303);
    const againForm = await manager.agent.get("/sessions/new");
    const again = await manager.agent.post("/sessions").type("form").send({ _csrf: manager.csrf, ...body, formId: formIdIn(againForm.text, "/sessions") });
    expect(again.status).toBe(303);
    expect(await count()).toBe(1);
    expect(again.headers.location).toBe(first.headers.location);
    expect((await manager.agent.get(again.headers.location!)).text).toContain("This session was already created");

    // Another title at the same time is another session.
    const thirdForm = await manager.agent.get("/sessions/new");
    const third = await manager.agent.post("/sessions").type("form").send({ _csrf: manager.csrf, ...body, title: "A second session", formId: formIdIn(thirdForm.text, "/sessions") });
    expect(third.status).toBe(303);
    expect(await count()).toBe(2);
  });
});
