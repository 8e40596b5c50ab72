// QA round on the staff pages (after issue #17): to-dos only for who can act,
// counts in good English, back links, sign-out, the staff 404, translations
// that replace one another.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createIdea } from "../helpers/public.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";

// The public page cache on, as in production (tests default to 0): the publish message's "at once" is then proved.
const { ctx, a, b, manager, facilitator, viewer } = withPractice({ env: { PUBLIC_CACHE_SECONDS: "60" }, practices: ["Hillview", "Riverside"], signIn: ["manager", "facilitator", "viewer"] });
const ids = {} as Record<"group" | "session" | "reopened" | "response", string>;
const DAY = 864e5;
/** The href of a page's Back link (views/components/back-link.ejs), as written in the HTML. */
const backHref = (html: string) => html.match(/<a class="nhsuk-back-link" href="([^"]*)"/)?.[1];
const backText = (html: string) => html.match(/<a class="nhsuk-back-link" href="[^"]*">([^<]*)</)?.[1];

beforeAll(async () => {
  const p = a.practice.id;
  const themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p } })).id;
  const group = await makeGroup(ctx.prisma, p, { name: "Ukrainian mothers' group", languages: ["Ukrainian"] });
  await ctx.prisma.communityGroup.update({ where: { id: group.id }, data: { readingLanguages: ["uk"] } });
  const earlier = await makeSession(ctx.prisma, p, group.id, { startsAt: new Date(Date.now() - 40 * DAY), status: "HELD", facilitatorIds: [a.facilitator.id] });
  const later = await makeSession(ctx.prisma, p, group.id, { startsAt: new Date(Date.now() - 2 * DAY), status: "HELD", facilitatorIds: [a.facilitator.id] });
  // A published idea with a public response (no Ukrainian translation yet), which the
  // group later said does not yet answer what they said: reopened.
  const idea = await createIdea(ctx.prisma, { practiceId: p, groupId: group.id, themeId, sessionId: earlier.id, text: "Interpreters at the front desk", consent: "PUBLIC", published: true, ageDays: 30,
    responses: [{ status: "PLANNED", text: "We will book interpreters for the front desk", daysAgo: 20 }] });
  const response = await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id } });
  await ctx.prisma.verdict.create({ data: { practiceId: p, ideaId: idea.id, sessionId: later.id, groupId: group.id, kind: "NOT_YET", responseId: response.id, saidAt: later.startsAt } });
  Object.assign(ids, { group: group.id, session: earlier.id, reopened: idea.id, response: response.id });
});

describe("the dashboard shows to-dos only to those who can do them", () => {
  it("a manager sees the reopened ideas (each needs a new response) and the missing translations", async () => {
    const page = (await manager.agent.get("/dashboard")).text;
    expect(page).toContain('id="reopened"');
    expect(page).toContain("Each needs a new response");
    expect(page).toContain('id="translations"');
    expect(page).toMatch(/1 translation is\s+missing/);
  });

  for (const role of ["facilitator", "viewer"] as const) {
    it(`a ${role} (who cannot add responses or translations) does not`, async () => {
      const who = role === "facilitator" ? facilitator : viewer;
      const page = (await who.agent.get("/dashboard")).text;
      expect(page).toContain("Upcoming sessions");
      expect(page).not.toContain('id="reopened"');
      expect(page).not.toContain("Each needs a new response");
      expect(page).not.toContain('id="translations"');
      expect(page).not.toContain("missing</a>");
    });
  }
});

describe("counts agree with their number", () => {
  it("the ideas list: 1 idea matches these filters", async () => {
    const page = (await manager.agent.get("/ideas?reopened=yes")).text;
    expect(page).toContain("1 idea matches these filters");
    expect(page).not.toContain("1 idea match ");
  });

  it("the audit log: 1 entry matches these filters; 2 entries match", async () => {
    const base = { practiceId: a.practice.id, actorId: a.viewer.id, action: "user.role-change", entityType: "User", entityId: a.viewer.id };
    await ctx.prisma.auditEvent.create({ data: base });
    const url = `/audit?action=user.role-change&who=${a.viewer.id}`;
    expect((await manager.agent.get(url)).text).toContain("1 entry matches these filters");
    await ctx.prisma.auditEvent.create({ data: base });
    expect((await manager.agent.get(url)).text).toContain("2 entries match these filters");
  });
});

describe("signing out says so", () => {
  it("after Sign out the sign-in page shows a success banner: You have signed out.", async () => {
    const { signInAs } = await import("../helpers/app.js");
    const who = await signInAs(ctx.app, a.viewer.email, a.viewer.password);
    const out = await who.agent.post("/logout").type("form").send({ _csrf: who.csrf });
    expect(out.headers.location).toBe("/login?signedout=1");
    const page = (await who.agent.get(out.headers.location!)).text;
    expect(page).toContain("nhsuk-notification-banner--success");
    expect(page).toContain("You have signed out.");
    // Only after signing out.
    expect((await request(ctx.app).get("/login")).text).not.toContain("You have signed out.");
  });
});

describe("an idea's Back link returns to the list it was opened from", () => {

  it("the filtered list's links carry its address, and the idea's Back goes there", async () => {
    const list = (await manager.agent.get("/ideas?reopened=yes&sort=due")).text;
    const link = `/ideas/${ids.reopened}?back=${encodeURIComponent("/ideas?reopened=yes&sort=due")}`;
    expect(list).toContain(`href="${link.replace(/&/g, "&amp;")}"`);
    const idea = (await manager.agent.get(link)).text;
    expect(backHref(idea)).toBe("/ideas?reopened=yes&amp;sort=due");
    // The page number too; from the plain list, no parameter at all.
    expect(backHref((await manager.agent.get(`/ideas/${ids.reopened}?back=${encodeURIComponent("/ideas?reopened=yes&page=2")}`)).text)).toBe("/ideas?reopened=yes&amp;page=2");
    expect((await manager.agent.get("/ideas")).text).toContain(`href="/ideas/${ids.reopened}"`);
  });

  it("a hostile or unknown back value is ignored: Back goes to the plain list, or keeps only the known filters", async () => {
    for (const hostile of ["//evil.example", "https://evil.example/ideas", "/\\evil.example", "javascript:alert(1)", "/ideas/../login", "/ideasx", "/dashboard"]) {
      const res = await manager.agent.get(`/ideas/${ids.reopened}?back=${encodeURIComponent(hostile)}`);
      expect(res.status, hostile).toBe(200);
      expect(backHref(res.text), hostile).toBe("/ideas");
      expect(res.text).not.toContain("evil.example");
    }
    const odd = await manager.agent.get(`/ideas/${ids.reopened}?back=${encodeURIComponent('/ideas?reopened=yes&next=//evil.example&status="><script>')}`);
    expect(backHref(odd.text)).toBe("/ideas?reopened=yes");
    expect(odd.text).not.toContain("evil.example");
  });
});

describe("a second translation into the same language says it replaces the first", () => {
  const formUrl = () => `/ideas/${ids.reopened}/responses/${ids.response}/translations`;
  async function translate(text: string) {
    const form = await manager.agent.get(`${formUrl()}?language=uk`);
    const formId = form.text.match(/name="formId" value="([^"]+)"/)![1]!;
    const res = await manager.agent.post(formUrl()).type("form").send({ _csrf: csrfTokenIn(form.text), formId, language: "uk", text, role: "INTERPRETER" });
    expect(res.status, res.text).toBe(303);
  }

  it("the form shows the current translation it replaces; the idea page marks which one the public sees", async () => {
    const first = (await manager.agent.get(`${formUrl()}?language=uk`)).text;
    expect(first).not.toContain("This replaces the current");
    await translate("Ми забронюємо перекладачів для рецепції");
    const form = (await manager.agent.get(`${formUrl()}?language=uk`)).text;
    expect(form).toContain("This replaces the current Ukrainian translation");
    expect(form.slice(form.indexOf("This replaces the current"))).toContain("Ми забронюємо перекладачів для рецепції");
    expect(form).toContain("A new translation replaces the current Ukrainian one.");
    await new Promise((r) => setTimeout(r, 5));
    await translate("Ми вже забронювали перекладачів на понеділок");
    const idea = (await manager.agent.get(`/ideas/${ids.reopened}`)).text;
    const list = idea.slice(idea.indexOf('class="nhsuk-list nhsuk-body-s app-translations"'));
    const newer = list.indexOf("Ми вже забронювали");
    const older = list.indexOf("Ми забронюємо перекладачів");
    expect(newer).toBeGreaterThan(-1);
    expect(newer).toBeLessThan(older);
    expect(list.slice(0, newer)).toContain("Shown on public pages");
    const today = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" }).format(new Date());
    expect(list.slice(newer, older)).toContain(`Replaced on ${today}`);
    expect((list.match(/Shown on public pages/g) ?? []).length).toBe(1);
    // The public sees the newest.
    const pub = await request(ctx.app).get(`/p/${a.practice.slug}/ideas/${ids.reopened}?lang=uk`);
    expect(pub.text).toContain("Ми вже забронювали");
    expect(pub.text).not.toContain("Ми забронюємо перекладачів");
  });
});

describe("staff pages have a Back link to where they are reached from, worded the same", () => {
  it("Back (never \"Back to …\"), to the dashboard or to the page that links there", async () => {
    const cases: [string, string][] = [
      ["/translations", "/dashboard"], // the dashboard's Translations section
      ["/outbox", "/dashboard"], // a top-level navigation item
      ["/practice", "/dashboard"], // the practice name in the header's account menu
      ["/audit", "/users"], // "View the audit log" on Users
      ["/emails/failed", "/users"], // "E-mails that could not be sent" on Users
      ["/users/new", "/users"],
      ["/account/password", "/dashboard"],
      ["/account/email", "/dashboard"],
    ];
    for (const [path, href] of cases) {
      const res = await manager.agent.get(path);
      expect(res.status, path).toBe(200);
      expect(backHref(res.text), path).toBe(href);
      expect(backText(res.text), path).toBe("Back");
    }
  });
});

describe("the staff 404 speaks to staff, and says nothing about whether the record exists elsewhere", () => {
  const mainOf = (html: string) => html.slice(html.indexOf("<main"), html.indexOf("</main>"));

  it("a facilitator in two practices, working in Hillview, opening a Riverside idea or session: the same 404 as for an unknown id", async () => {
    const { addUserToPractice } = await import("../../src/features/practices/service.js");
    const { signInAs } = await import("../helpers/app.js");
    await addUserToPractice(ctx.prisma, { practiceId: b.practice.id, email: a.facilitator.email, name: "Two practices", role: "FACILITATOR" });
    const who = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    const switched = await who.agent.post("/practice").type("form").send({ _csrf: who.csrf, practiceId: a.practice.id });
    expect(switched.status).toBe(303);
    await who.agent.get("/dashboard"); // shows (and uses up) "You are now working in …"
    const bTheme = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } })).id;
    const bGroup = await makeGroup(ctx.prisma, b.practice.id);
    const bSession = await makeSession(ctx.prisma, b.practice.id, bGroup.id, { startsAt: new Date(Date.now() - 5 * DAY), status: "HELD", facilitatorIds: [a.facilitator.id] });
    const bIdea = await createIdea(ctx.prisma, { practiceId: b.practice.id, groupId: bGroup.id, themeId: bTheme, sessionId: bSession.id, text: "Riverside idea", consent: "PUBLIC" });
    const unknown = "00000000-0000-4000-8000-000000000000";

    for (const [exists, missing] of [[`/ideas/${bIdea.id}`, `/ideas/${unknown}`], [`/sessions/${bSession.id}`, `/sessions/${unknown}`]] as const) {
      const there = await who.agent.get(exists);
      const nowhere = await who.agent.get(missing);
      expect(there.status, exists).toBe(404);
      expect(nowhere.status, missing).toBe(404);
      const body = mainOf(there.text);
      expect(body).toContain("This page may belong to another practice you work with.");
      expect(body).toContain("Switch practice from your account menu");
      expect(body).toContain('href="/practice"');
      expect(body).not.toContain("ask the practice or your group");
      expect(body).not.toContain("Riverside");
      // Exactly the same page whether or not the id exists in the other practice.
      expect(body).toBe(mainOf(nowhere.text));
    }
  });

  it("staff in one practice get staff words without the switch hint; visitors keep the public wording", async () => {
    const staff = mainOf((await viewer.agent.get("/ideas/00000000-0000-4000-8000-000000000000")).text);
    expect(staff).toContain("Go to your dashboard");
    expect(staff).not.toContain("another practice you work with");
    expect(staff).not.toContain("ask the practice or your group");
    const visitor = await request(ctx.app).get("/no-such-page");
    expect(visitor.status).toBe(404);
    expect(visitor.text).toContain("ask the practice or your group");
  });
});

describe("publishing says what is true: the idea is on the public board at once", () => {
  it("no \"up to 30 seconds\": the cached public board shows the idea at the next request", async () => {
    const group = await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: ids.group } });
    const themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } })).id;
    const idea = await createIdea(ctx.prisma, { practiceId: a.practice.id, groupId: group.id, themeId, sessionId: ids.session, text: "Water fountain in the waiting room", consent: "PUBLIC" });
    const board = `/p/${a.practice.slug}`;
    expect((await request(ctx.app).get(board)).text).not.toContain("Water fountain in the waiting room"); // now cached
    const preview = await manager.agent.get(`/ideas/${idea.id}/publish`);
    const version = preview.text.match(/name="version" value="([^"]+)"/)![1]!;
    const res = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: csrfTokenIn(preview.text), version });
    expect(res.status).toBe(303);
    const page = (await manager.agent.get(`/ideas/${idea.id}`)).text;
    expect(page).toContain("The idea is now on the public board.");
    expect(page).not.toContain("seconds");
    expect((await request(ctx.app).get(board)).text).toContain("Water fountain in the waiting room");
    expect((await request(ctx.app).get(`${board}/ideas/${idea.id}`)).status).toBe(200);
  });
});

describe("timelines: newest first for staff, oldest first (a story) for the public, each labelled", () => {
  it("the staff idea page says Newest first; a facilitator's public-only view and the public page tell it oldest first", async () => {
    const themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } })).id;
    // A session the facilitator does not run: they see the idea as the public does.
    const other = await makeSession(ctx.prisma, a.practice.id, ids.group, { startsAt: new Date(Date.now() - 30 * DAY), status: "HELD" });
    const idea = await createIdea(ctx.prisma, { practiceId: a.practice.id, groupId: ids.group, themeId, sessionId: other.id, text: "Longer phone hours", consent: "PUBLIC", published: true,
      responses: [{ status: "UNDER_CONSIDERATION", text: "First we looked at the phone rota", daysAgo: 9 }, { status: "DONE", text: "Then the lines opened at 8am", daysAgo: 2 }] });
    const order = (html: string) => html.indexOf("First we looked") < html.indexOf("Then the lines opened") ? "oldest first" : "newest first";
    const staff = (await manager.agent.get(`/ideas/${idea.id}`)).text;
    expect(staff).toContain("Newest first");
    expect(order(staff)).toBe("newest first");
    const publicOnly = (await facilitator.agent.get(`/ideas/${idea.id}`)).text;
    expect(publicOnly).toContain("This idea comes from a session you do not run");
    const timeline = publicOnly.slice(publicOnly.indexOf('id="timeline"'));
    expect(timeline).toContain("Oldest first, as on the public board.");
    expect(order(timeline)).toBe("oldest first");
    const pub = (await request(ctx.app).get(`/p/${a.practice.slug}/ideas/${idea.id}`)).text;
    expect(order(pub)).toBe("oldest first");
    // The publish preview ("Check what the public will see") tells it as the public page will.
    const unpublished = await createIdea(ctx.prisma, { practiceId: a.practice.id, groupId: ids.group, themeId, sessionId: other.id, text: "Not published yet", consent: "PUBLIC",
      responses: [{ status: "UNDER_CONSIDERATION", text: "First we looked at the phone rota", daysAgo: 9 }, { status: "DONE", text: "Then the lines opened at 8am", daysAgo: 2 }] });
    const preview = (await manager.agent.get(`/ideas/${unpublished.id}/publish`)).text;
    const previewTimeline = preview.slice(preview.indexOf('id="timeline"'));
    expect(previewTimeline).toContain("Oldest first, as on the public board.");
    expect(order(previewTimeline)).toBe("oldest first");
  });
});
