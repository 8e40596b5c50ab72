// Issue #17, staff side: what facilitators and managers tripped on.
import crypto from "node:crypto";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession, createPracticeWithStaff } from "../helpers/fixtures.js";
import { ideaFields, openOutcomeForm } from "../helpers/outcomes.js";
import { makeGroup, makeSession, sessionForm } from "../helpers/sessions.js";
import { resolveLondonTime } from "../../src/lib/dates.js";
import { mayUse } from "../../src/lib/routing.js";

const { ctx, a, manager, facilitator, viewer } = withPractice({ practices: ["Staff UX"], signIn: ["manager", "facilitator", "viewer"] });
let groupId: string;
const HOUR = 3600e3;

beforeAll(async () => {
  groupId = (await makeGroup(ctx.prisma, a.practice.id, { name: "Women's circle" })).id;
});

const post = (who: { agent: Agent; csrf: string }, url: string, body: Record<string, unknown>) => who.agent.post(url).type("form").send({ _csrf: who.csrf, ...body });

/** The "Outcome" block of a session page, as text. */
function outcomeBlock(html: string): string {
  const m = html.match(/<div class="app-no-print app-outcome-step" id="outcome">([\s\S]*?)<\/div>/);
  if (!m) throw new Error("no outcome block on the page");
  return m[1]!.replace(/\s+/g, " ");
}

describe("the session page says what happens to the outcome, and when", () => {
  it("a future session: no link yet, and says from when the outcome can be logged", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date("2031-03-04T10:00:00Z"), facilitatorIds: [a.facilitator.id] });
    const block = outcomeBlock((await facilitator.agent.get(`/sessions/${s.id}`)).text);
    expect(block).toContain("You can log the outcome here once the session starts (4 March 2031, 10:00am)");
    expect(block).not.toContain("<a ");
    expect(outcomeBlock((await viewer.agent.get(`/sessions/${s.id}`)).text)).toContain("The facilitators log the outcome after the session starts");
  });

  it("a session that has started: Log the outcome; with a draft: Finish logging the outcome", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - 3 * HOUR), facilitatorIds: [a.facilitator.id] });
    let block = outcomeBlock((await facilitator.agent.get(`/sessions/${s.id}`)).text);
    expect(block).toContain(`<a href="/sessions/${s.id}/outcome">Log the outcome</a>`);
    expect(block).toContain("Saving the outcome marks the session as held");
    await ctx.prisma.sessionOutcome.create({ data: { practiceId: a.practice.id, sessionId: s.id, isDraft: true } });
    block = outcomeBlock((await facilitator.agent.get(`/sessions/${s.id}`)).text);
    expect(block).toContain(">Finish logging the outcome</a>");
    expect(block).toContain("A draft was saved");
    // A viewer cannot open the outcome form: no link to a 403.
    const v = outcomeBlock((await viewer.agent.get(`/sessions/${s.id}`)).text);
    expect(v).not.toContain("/outcome");
  });

  it("a held session with its outcome: See or change the outcome (viewers: the session's ideas), never Log the outcome", async () => {
    const { session } = await createGroupAndSession(ctx.prisma, a, { status: "HELD" });
    await ctx.prisma.sessionOutcome.create({ data: { practiceId: a.practice.id, sessionId: session.id, isDraft: false, attendanceCount: 7 } });
    const m = (await manager.agent.get(`/sessions/${session.id}`)).text;
    expect(outcomeBlock(m)).toContain(`<a href="/sessions/${session.id}/outcome">See or change the outcome</a>`);
    expect(m).not.toContain("Log the outcome");
    const v = outcomeBlock((await viewer.agent.get(`/sessions/${session.id}`)).text);
    expect(v).toContain(`<a href="/ideas?session=${session.id}">See the ideas from this session</a>`);
  });

  it("cancelled and postponed sessions say why there is nothing to log", async () => {
    const c = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - 3 * HOUR), status: "CANCELLED" });
    expect(outcomeBlock((await manager.agent.get(`/sessions/${c.id}`)).text)).toContain("This session was cancelled, so there is no outcome to log.");
    const p = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() - 3 * HOUR), status: "POSTPONED" });
    expect(outcomeBlock((await manager.agent.get(`/sessions/${p.id}`)).text)).toContain("once it has been held on its new date");
  });
});

describe("times the clocks skip or repeat (Europe/London)", () => {
  it("resolveLondonTime: refuses 1:30am on the day the clocks go forward; takes the first 1:30am on the day they go back", () => {
    expect(resolveLondonTime({ year: 2027, month: 3, day: 28 }, { hour: 1, minute: 30 })).toEqual({ ok: false, reason: "nonexistent" });
    expect(resolveLondonTime({ year: 2027, month: 3, day: 28 }, { hour: 0, minute: 59 })).toMatchObject({ ok: true, ambiguous: false, value: new Date("2027-03-28T00:59:00Z") });
    expect(resolveLondonTime({ year: 2027, month: 3, day: 28 }, { hour: 2, minute: 0 })).toMatchObject({ ok: true, ambiguous: false, value: new Date("2027-03-28T01:00:00Z") });
    expect(resolveLondonTime({ year: 2027, month: 10, day: 31 }, { hour: 1, minute: 30 })).toMatchObject({ ok: true, ambiguous: true, value: new Date("2027-10-31T00:30:00Z") });
    expect(resolveLondonTime({ year: 2027, month: 10, day: 31 }, { hour: 2, minute: 0 })).toMatchObject({ ok: true, ambiguous: false, value: new Date("2027-10-31T02:00:00Z") });
    expect(resolveLondonTime({ year: 2027, month: 7, day: 1 }, { hour: 1, minute: 30 })).toMatchObject({ ok: true, ambiguous: false, value: new Date("2027-07-01T00:30:00Z") });
  });

  it("the session form refuses a start or end time that does not exist, with an error summary, and saves nothing", async () => {
    const before = await ctx.prisma.communitySession.count();
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [28, 3, 2027], start: "1:30am", end: "1:45am" }));
    expect(res.status).toBe(400);
    expect(res.text).toContain("nhsuk-error-summary");
    expect(res.text).toContain('href="#startTime"');
    expect(res.text).toContain("Start time does not exist on 28 March 2027: the clocks go forward from 1am to 2am. Enter a time before 1am, or 2am or later");
    expect(res.text).toContain("End time does not exist on 28 March 2027");
    expect(res.text).toContain('value="1:30am"');
    expect(await ctx.prisma.communitySession.count()).toBe(before);
  });

  it("a session across the change is stored at the times typed (00:30 to 03:00 is one hour and a half)", async () => {
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: [28, 3, 2027], start: "00:30", end: "03:00" }));
    expect(res.status).toBe(303);
    const s = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: res.headers.location!.split("/").pop()! } });
    expect(s.startsAt.toISOString()).toBe("2027-03-28T00:30:00.000Z");
    expect(s.endsAt.toISOString()).toBe("2027-03-28T02:00:00.000Z");
  });
});

describe("the session form marks its optional fields", () => {
  it("labels every field that may be left empty '(optional)', and saves without them", async () => {
    const page = (await manager.agent.get("/sessions/new")).text;
    for (const label of ["Partner organisation", "Ground rules", "Confidentiality statement", "Safety", "Trust", "Choice", "Collaboration", "Empowerment", "Cultural consideration", "Support offered to participants"]) {
      expect(page, label).toMatch(new RegExp(`>\\s*${label} \\(optional\\)\\s*<`));
    }
    const empty = Object.fromEntries(["groundRules", "confidentiality", "checklistSafety", "checklistTrust", "checklistChoice", "checklistCollaboration", "checklistEmpowerment", "checklistCulture"].map((k) => [k, ""]));
    const res = await post(manager, "/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { ...empty, support: [] }));
    expect(res.status).toBe(303);
  });
});

describe("typed work survives a session cookie the browser has dropped", () => {
  it("a post from our own page with no cookie at all goes to sign in, then back to the form with the text kept (not saved)", async () => {
    const { session } = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED" });
    const url = `/sessions/${session.id}/outcome`;
    const { csrf, submissionId } = await openOutcomeForm(facilitator.agent, session.id);
    const typed = { _csrf: csrf, submissionId, mode: "new", action: "save", attendanceCount: "6", themesDiscussed: "Waiting", ...ideaFields([{ text: "Typed before the cookie was dropped", support: "3", consent: "PUBLIC" }]) };
    // A fresh agent: no cookie, as when the browser has dropped the expired one.
    const browser = request.agent(ctx.app);
    const crossSite = await browser.post(url).set("Sec-Fetch-Site", "cross-site").type("form").send(typed);
    expect(crossSite.status).toBe(403);
    const otherOrigin = await browser.post(url).set("Origin", "https://evil.example").type("form").send(typed);
    expect(otherOrigin.status).toBe(403);
    const res = await browser.post(url).set("Sec-Fetch-Site", "same-origin").type("form").send(typed);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url)}&restored=1`);
    expect(await ctx.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
    const login = await browser.get(res.headers.location!);
    expect(login.text).toContain("what you typed will be put back");
    const signedIn = await browser.post("/login").type("form").send({ _csrf: csrfTokenIn(login.text), email: a.facilitator.email, password: a.facilitator.password, next: url });
    expect(signedIn.headers.location).toBe(url);
    const restored = await browser.get(url);
    expect(restored.text).toContain("We have put back what you typed");
    expect(restored.text).toContain("Typed before the cookie was dropped");
    expect(restored.text).toContain(`name="submissionId" value="${submissionId}"`);
    expect(await ctx.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
  });

  it("an Origin header naming this site is enough when the browser sends no Sec-Fetch-Site; passwords are never kept", async () => {
    const browser = request.agent(ctx.app);
    const res = await browser.post("/account/password").set("Origin", "http://127.0.0.1").set("Host", "127.0.0.1").type("form").send({ currentPassword: "secret-one", newPassword: "secret-two", note: "kept" });
    expect(res.status).toBe(303);
    const rows = await ctx.prisma.$queryRawUnsafe<{ sess: unknown }[]>(`select sess from http_session where sess::text like '%pendingForm%' and sess::text like '%/account/password%'`);
    expect(rows.length).toBe(1);
    expect(JSON.stringify(rows[0]!.sess)).toContain('"note":"kept"');
    expect(JSON.stringify(rows[0]!.sess)).not.toContain("secret-");
  });

  it("signing out after the cookie has gone just shows the sign-in page", async () => {
    const res = await request(ctx.app).post("/logout").set("Sec-Fetch-Site", "same-origin").type("form").send({ _csrf: "stale" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/login?signedout=1");
  });
});

describe("staff pages link to what the public sees", () => {
  it("the dashboard links the public board and the poster", async () => {
    const page = (await manager.agent.get("/dashboard")).text;
    expect(page).toContain(`<a href="/p/${a.practice.slug}">The practice's public board</a>`);
    expect(page).toContain(`<a href="/p/${a.practice.slug}/poster">The poster to print</a>`);
  });

  it("publishing says where the idea now is, with a link; the idea page links it too", async () => {
    const { session, group } = await createGroupAndSession(ctx.prisma, a, { status: "HELD" });
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
    const idea = await ctx.prisma.idea.create({
      data: { practiceId: a.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, text: "Longer opening hours on Saturdays", support: 4, consent: "PUBLIC", dueAt: new Date(Date.now() + 20 * 864e5) },
    });
    const preview = await manager.agent.get(`/ideas/${idea.id}/publish`);
    const version = preview.text.match(/name="version" value="([^"]+)"/)![1]!;
    const res = await manager.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: csrfTokenIn(preview.text), version });
    expect(res.status).toBe(303);
    const page = (await manager.agent.get(`/ideas/${idea.id}`)).text;
    expect(page).toContain("The idea is now on the public board");
    expect(page).toContain(`<a class="nhsuk-notification-banner__link" href="/p/${a.practice.slug}/ideas/${idea.id}">See it on the public board</a>`);
    // The link works, and the idea page keeps it after the message has gone.
    expect((await request(ctx.app).get(`/p/${a.practice.slug}/ideas/${idea.id}`)).status).toBe(200);
    expect((await manager.agent.get(`/ideas/${idea.id}`)).text).toContain(`<a href="/p/${a.practice.slug}/ideas/${idea.id}">See it on the public board</a>`);
  });
});

describe("a group has a page of its own", () => {
  it("adding a group goes to its page: private link, Plan a session, its sessions and ideas", async () => {
    const res = await post(manager, "/groups", { formId: crypto.randomUUID(), name: "Recovery café", partnerId: "", languages: "English" });
    expect(res.status).toBe(303);
    const g = await ctx.prisma.communityGroup.findFirstOrThrow({ where: { practiceId: a.practice.id, name: "Recovery café" } });
    expect(res.headers.location).toBe(`/groups/${g.id}`);
    let page = await manager.agent.get(res.headers.location!);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Recovery café added");
    expect(page.text).toContain(`/g/${g.linkToken}`);
    expect(page.text).toContain(`href="/sessions/new?groupId=${g.id}"`);
    expect(page.text).toContain("No sessions with this group yet.");
    // The link is near the top: before the group's details.
    expect(page.text.indexOf(`/g/${g.linkToken}`)).toBeLessThan(page.text.indexOf("About the group"));

    const s = await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: new Date(Date.now() - 48 * HOUR), status: "HELD", title: "Café listening session" });
    const next = await makeSession(ctx.prisma, a.practice.id, g.id, { startsAt: new Date(Date.now() + 48 * HOUR), title: "Next café session" });
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
    const idea = await ctx.prisma.idea.create({ data: { practiceId: a.practice.id, sessionId: s.id, groupId: g.id, themeId: theme.id, text: "A quiet corner in the waiting room", support: 5, consent: "GROUP_ONLY", dueAt: new Date(Date.now() + 864e5) } });
    page = await manager.agent.get(`/groups/${g.id}`);
    expect(page.text).toContain(`<a href="/sessions/${next.id}">Next café session</a>`);
    expect(page.text).toContain(`<a href="/sessions/${s.id}">Café listening session</a>`);
    expect(page.text).toContain(`<a href="/ideas/${idea.id}">A quiet corner in the waiting room</a>`);
    expect(page.text).toContain(`href="/ideas?group=${g.id}"`);

    // "Plan a session" pre-selects the group.
    const form = await manager.agent.get(`/sessions/new?groupId=${g.id}`);
    expect(form.text).toMatch(new RegExp(`<option value="${g.id}" selected`));
    // The list links the group's page.
    expect((await manager.agent.get("/groups")).text).toContain(`<a href="/groups/${g.id}">Recovery café</a>`);
  });

  it("is for managers of the practice only", async () => {
    const g = await makeGroup(ctx.prisma, a.practice.id, { name: "Private" });
    expect((await facilitator.agent.get(`/groups/${g.id}`)).status).toBe(403);
    expect((await viewer.agent.get(`/groups/${g.id}`)).status).toBe(403);
    expect((await manager.agent.get(`/groups/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });
});

describe("the ideas list and the dashboard", () => {
  it("/ideas: the filter panel is closed after Apply, what is applied is said under it; the session has its own column", async () => {
    const { session } = await createGroupAndSession(ctx.prisma, a, { status: "HELD" });
    const page = (await manager.agent.get(`/ideas?session=${session.id}&status=DONE&sort=due`)).text;
    expect(page).toMatch(/<details class="nhsuk-details app-ideas-filters">/);
    expect(page).toContain("Showing ideas with status Done; session Test session. Sorted earliest due first.");
    expect(page).toContain('<a href="/ideas">Clear filters</a>');
    expect(page).toContain('<option value="due" selected>Earliest due first</option>');
  });

  it("'Earliest due first' sorts by due date, 'Oldest logged first' by the date logged", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Sorting");
    const { session, group } = await createGroupAndSession(ctx.prisma, f, { status: "HELD" });
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
    const make = (text: string, createdDaysAgo: number, dueDaysAgo: number) =>
      ctx.prisma.idea.create({ data: { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, text, support: 1, consent: "PUBLIC", createdAt: new Date(Date.now() - createdDaysAgo * 864e5), dueAt: new Date(Date.now() - dueDaysAgo * 864e5) } });
    await make("Logged first, due last", 90, 2);
    await make("Logged last, due first", 40, 30);
    await make("Logged in between, due in between", 60, 10);
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const order = (html: string) => [...html.matchAll(/<a href="\/ideas\/[0-9a-f-]+(?:\?back=[^"]*)?">([^<]+)<\/a>/g)].map((x) => x[1]);
    expect(order((await m.agent.get("/ideas?overdue=yes&sort=due")).text)).toEqual(["Logged last, due first", "Logged in between, due in between", "Logged first, due last"]);
    expect(order((await m.agent.get("/ideas?overdue=yes&sort=oldest")).text)).toEqual(["Logged first, due last", "Logged in between, due in between", "Logged last, due first"]);
    // The dashboard's "See all overdue" opens the list earliest due first, as its own list is.
    const dash = (await m.agent.get("/dashboard")).text;
    expect(dash).toContain('<a href="/ideas?overdue=yes&amp;sort=due">See all 3 overdue ideas</a>');
    expect(dash.indexOf("Logged last, due first")).toBeLessThan(dash.indexOf("Logged first, due last"));
  });

  it("the dashboard: 'See all' upcoming sessions; viewers are not offered 'Log the outcome'", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Dashboard");
    const { session } = await createGroupAndSession(ctx.prisma, f, { status: "SCHEDULED" });
    const g = await makeGroup(ctx.prisma, f.practice.id);
    for (let i = 0; i < 6; i++) await makeSession(ctx.prisma, f.practice.id, g.id, { startsAt: new Date(Date.now() + (i + 1) * 864e5), facilitatorIds: [f.facilitator.id] });
    const m = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const dash = (await m.agent.get("/dashboard")).text;
    expect(dash).toContain('<a href="/sessions">See all 6 upcoming sessions</a>');
    expect(dash).toContain(`href="/sessions/${session.id}/outcome">Log the outcome of Test session</a>`);
    const fac = await signInAs(ctx.app, f.facilitator.email, f.facilitator.password);
    expect((await fac.agent.get("/dashboard")).text).toContain(`href="/sessions/${session.id}/outcome"`);
    const v = await signInAs(ctx.app, f.viewer.email, f.viewer.password);
    const vd = (await v.agent.get("/dashboard")).text;
    expect(vd).not.toContain("/outcome");
    expect(vd).not.toContain("Log the outcome");
    expect(vd).toContain(`<a href="/sessions/${session.id}">Test session</a>`);
    // Every link on the viewer's dashboard answers them (no 403).
    for (const href of new Set([...vd.matchAll(/href="(\/(?:sessions|ideas|dashboard)[^"]*)"/g)].map((x) => x[1]!.replace(/&amp;/g, "&")))) {
      expect((await v.agent.get(href)).status, href).toBe(200);
    }
  });

  it("mayUse reads the routes' own access declarations", () => {
    const specs = ctx.app.routeSpecs;
    expect(mayUse(specs, "GET", "/sessions/:id/outcome", "VIEWER")).toBe(false);
    expect(mayUse(specs, "GET", "/sessions/:id/outcome", "FACILITATOR")).toBe(true);
    expect(mayUse(specs, "GET", "/groups/:id", "MANAGER")).toBe(true);
    expect(mayUse(specs, "GET", "/no/such/route", "MANAGER")).toBe(false);
    expect(mayUse(specs, "GET", "/login", undefined)).toBe(true);
  });
});

describe("the audit log in sentences", () => {
  it("says who did what in words, links the record, and keeps the details behind a disclosure", async () => {
    const f = await createPracticeWithStaff(ctx.prisma, "Audit words");
    await ctx.prisma.user.update({ where: { id: f.manager.id }, data: { name: "Sam Patel" } });
    const { session, group } = await createGroupAndSession(ctx.prisma, f, { status: "HELD" });
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
    const idea = await ctx.prisma.idea.create({ data: { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, text: "Somewhere quiet to wait", support: 2, consent: "PUBLIC", dueAt: new Date(Date.now() + 864e5) } });
    const m = await signInAs(ctx.app, f.manager.email, "correct-horse-battery");
    const preview = await m.agent.get(`/ideas/${idea.id}/publish`);
    await m.agent.post(`/ideas/${idea.id}/publish`).type("form").send({ _csrf: csrfTokenIn(preview.text), version: preview.text.match(/name="version" value="([^"]+)"/)![1] });
    await m.agent.post(`/users/${f.viewer.id}/role`).type("form").send({ _csrf: m.csrf, role: "FACILITATOR" });
    const page = await m.agent.get("/audit");
    expect(page.status).toBe(200);
    const main = page.text.slice(page.text.indexOf("<table"));
    expect(main).toContain("Sam Patel published an idea.");
    expect(main).toContain(`<a class="app-audit__record" href="/ideas/${idea.id}">See the idea</a>`);
    expect(main).toContain("Sam Patel changed a user&#39;s role.");
    expect(main).toContain("Sam Patel signed in.");
    expect(main).toContain('<summary class="nhsuk-details__summary"><span class="nhsuk-details__summary-text">Show details');
    expect(main).toContain('<dt class="nhsuk-summary-list__key">From</dt><dd class="nhsuk-summary-list__value">VIEWER</dd>');
    // No raw keys or JSON.
    expect(main).not.toMatch(/idea\.publish|user\.role-change|auth\.sign-in|[{}]"/);
    // Every record link opens.
    for (const href of new Set([...main.matchAll(/class="app-audit__record" href="([^"]+)"/g)].map((x) => x[1]!))) {
      expect((await m.agent.get(href)).status, href).toBe(200);
    }
  });

  it("describeAuditEvent: every action the app records has a sentence; unknown ones still read", async () => {
    const { AUDIT_VERBS, describeAuditEvent } = await import("../../src/features/audit/describe.js");
    const { execSync } = await import("node:child_process");
    const src = execSync("grep -rhoE '\"[a-z]+\\.[a-z-]+\"' src/features --include=*.ts", { encoding: "utf8" });
    const recorded = new Set([...src.matchAll(/"((?:auth|practice|user|partner|group|theme|session|outcome|idea|response)\.[a-z-]+)"/g)].map((x) => x[1]!));
    for (const action of recorded) expect(AUDIT_VERBS[action], action).toBeTruthy();
    expect(describeAuditEvent({ action: "test.event", actor: "System", entityType: "Thing", entityId: "t-1", details: { formId: "x", somethingNew: { a: 1 } } })).toEqual({
      sentence: 'The system did "test.event".',
      recordLink: undefined,
      detailRows: [{ key: "Record", value: "Thing t-1" }, { key: "Something new", value: "A: 1" }],
    });
    // A session changed section by section: the section by its title, as on the summary page.
    expect(describeAuditEvent({ action: "session.update", actor: "Sam", entityType: "CommunitySession", entityId: "s-1", details: { section: "when-and-where" } }).detailRows)
      .toEqual([{ key: "Section", value: "When and where" }]);
  });
});

describe("the same words for the same things", () => {
  it("the outcome form says 'Public board' like the rest of the staff pages", async () => {
    const { session } = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED" });
    const { res } = await openOutcomeForm(facilitator.agent, session.id);
    expect(res.text).toMatch(/<label class="nhsuk-label nhsuk-radios__label" for="ideas-0-consent">\s*Public board\s*<\/label>/);
  });

  it("reports: 'the last 12 months' is the last 12 months, and says which dates", async () => {
    const page = (await manager.agent.get("/reports")).text;
    const today = new Date();
    const fmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
    const from = new Date(today.getTime());
    from.setUTCFullYear(from.getUTCFullYear() - 1);
    from.setUTCDate(from.getUTCDate() + 1);
    expect(page).toContain(`Showing the last 12 months: ${fmt.format(from)} to ${fmt.format(today)}.`);
  });
});

describe("the evidence report is complete and correct for a period (known data)", () => {
  it("has the deadline share and medians, leaves out highlights with no public response, and includes earlier ideas answered in the period", async () => {
    const { seedPractice, RANGE_2025 } = await import("../helpers/reports.js");
    const { evidenceFor } = await import("../../src/features/reports/service.js");
    const { parseRange } = await import("../../src/features/reports/range.js");
    const p = await seedPractice(ctx.prisma, "Evidence");
    const practiceId = p.practice.id;
    const DAY = 864e5;
    const at = (days: number) => new Date(p.s1.endsAt.getTime() + days * DAY);
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId } });
    const s0 = await ctx.prisma.communitySession.findFirstOrThrow({ where: { practiceId, startsAt: new Date("2024-06-01T10:00:00Z") } });
    const base = { practiceId, groupId: p.groups.refugee, themeId: theme.id, support: 3, consent: "PUBLIC" as const };
    const respond = (ideaId: string, status: "IN_PROGRESS" | "DONE" | "UNDER_CONSIDERATION", text: string, createdAt: Date, isPublic = true) =>
      ctx.prisma.response.create({ data: { practiceId, ideaId, status, text, isPublic, authorId: p.manager.id, authorRole: "MANAGER", createdAt } });
    // i8: 2025, published, answered only in private: not a highlight.
    const i8 = await ctx.prisma.idea.create({ data: { ...base, sessionId: p.s1.id, text: "Private answer only", status: "UNDER_CONSIDERATION", dueAt: at(28), firstResponseAt: at(4), publishedAt: at(1), createdAt: at(2) } });
    await respond(i8.id, "UNDER_CONSIDERATION", "Staff-only note", at(4), false);
    // i9: raised in 2024, done in May 2025 with a public response: in 2025's report.
    const i9 = await ctx.prisma.idea.create({ data: { ...base, sessionId: s0.id, text: "Raised last year", status: "DONE", dueAt: new Date("2024-06-29T12:00:00Z"), firstResponseAt: new Date("2024-06-10T12:00:00Z"), doneAt: new Date("2025-05-01T12:00:00Z"), publishedAt: new Date("2024-06-03T12:00:00Z"), createdAt: new Date("2024-06-02T12:00:00Z") } });
    await respond(i9.id, "UNDER_CONSIDERATION", "Looking at it (2024)", new Date("2024-06-10T12:00:00Z"));
    await respond(i9.id, "DONE", "Done last spring", new Date("2025-05-01T12:00:00Z"));
    // i10: raised in 2025, in progress in 2025, done in 2026: 2025's report shows the 2025 answer and status.
    const i10 = await ctx.prisma.idea.create({ data: { ...base, sessionId: p.s1.id, text: "Finished the year after", status: "DONE", dueAt: at(28), firstResponseAt: at(7), doneAt: new Date("2026-02-01T12:00:00Z"), publishedAt: at(1), createdAt: at(1) } });
    await respond(i10.id, "IN_PROGRESS", "Started in 2025", at(7));
    await respond(i10.id, "DONE", "Finished in 2026", new Date("2026-02-01T12:00:00Z"));

    const range = parseRange(Object.fromEntries(new URLSearchParams(RANGE_2025))).range;
    const e = await evidenceFor(ctx.prisma, practiceId, range, new Date("2026-06-01T00:00:00Z"));
    expect(e.highlights.map((h) => [h.id, h.status, h.responseText, h.raisedBefore])).toEqual([
      [i9.id, "DONE", "Done last spring", true],
      [p.ideas.i1, "DONE", 'Done: new signs, in 5 languages — «Ελληνικά», "العربية"\nSee the board.', false],
      [i10.id, "IN_PROGRESS", "Started in 2025", false],
      [p.ideas.i2, "IN_PROGRESS", "=1+2 started", false],
    ]);
    // Raised in 2025: i1..i6, i8, i10. Answered or past due: all but i5. On time: i1 (3 days), i2 (5), i6 (28), i8 (4), i10 (7); late: i3 (30).
    expect(e.deadlines).toMatchObject({ total: 8, counted: 7, onTime: 5, late: 1, unansweredPastDue: 1, notYetDue: 1, answeredCount: 6, doneCount: 3 });
    expect(e.deadlines.share).toBeCloseTo(5 / 7);
    expect(e.deadlines.medianDaysToFirstResponse).toBeCloseTo(6); // 3, 4, 5, 7, 28, 30
    expect(e.deadlines.medianDaysToDone).toBeCloseTo(40); // 10, 40, 382
    // Done in 2025: i1, i3 and i9 (raised in 2024); not i10 (done in 2026).
    expect(e.done).toEqual({ done: 3, raisedBefore: 1 });

    const m = await signInAs(ctx.app, p.manager.email, p.manager.password);
    const page = (await m.agent.get(`/reports/evidence?${RANGE_2025}`)).text;
    expect(page).toContain("Answered within the deadline");
    expect(page).toMatch(/Answered within the deadline<\/dt>\s*<dd class="nhsuk-summary-list__value">\s*71% \(5 of the 7 ideas answered or past their deadline\)/);
    expect(page).toContain("Median time to a first response");
    expect(page).toContain("6 days after the session (6 answered)");
    expect(page).toContain("40 days after the session (3 done)");
    expect(page).toContain("3 ideas, 1 of them raised before it");
    expect(page).toContain("Done last spring");
    expect(page).toContain("raised before this period");
    expect(page).not.toContain("Private answer only");
    expect(page).not.toContain("Finished in 2026");
    expect(page).not.toContain("No public response yet");
  });
});
