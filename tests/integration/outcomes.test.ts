import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { csrfTokenIn, signInAs, type Agent } from "../helpers/app.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { confirmValueIn, ideaFields, openOutcomeForm, type IdeaInput } from "../helpers/outcomes.js";
import { addUserToPractice } from "../../src/features/practices/service.js";
import { CONSENTS } from "../../src/lib/vocabulary.js";

const { ctx, a, b } = withPractice({ practices: ["Practice A", "Practice B"] });
let facilitator: Agent;
let manager: Agent;
let themeIds: string[];
let sessionId: string;
let sessionEndsAt: Date;

const HOUR = 3600 * 1000;

beforeAll(async () => {
  facilitator = (await signInAs(ctx.app, a.facilitator.email, a.facilitator.password)).agent;
  manager = (await signInAs(ctx.app, a.manager.email, a.manager.password)).agent;
  themeIds = (await ctx.prisma.theme.findMany({ where: { practiceId: a.practice.id }, orderBy: { position: "asc" } })).map((t) => t.id);
});

// Each test gets a session of its own that ended yesterday and is still SCHEDULED, with A's facilitator assigned.
beforeEach(async () => {
  const { session } = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED" });
  sessionId = session.id;
  sessionEndsAt = session.endsAt;
});

const url = () => `/sessions/${sessionId}/outcome`;
const good = (n: number): IdeaInput => ({ text: `Idea number ${n} from the group`, themeId: themeIds[n % themeIds.length], support: String(n + 2), consent: "PUBLIC" });
const baseFields = { attendanceCount: "9", themesDiscussed: "Waiting times and interpreters", processReflection: "The room was warm", privateReflections: "One person was upset at first" };

async function post(agent: Agent, body: Record<string, string>) {
  const { csrf, submissionId } = await openOutcomeForm(agent, sessionId);
  const res = await agent.post(url()).type("form").send({ _csrf: csrf, submissionId, mode: "new", ...body });
  return { res, csrf, submissionId };
}

async function snapshot() {
  const [ideas, outcome, session] = await Promise.all([
    ctx.prisma.idea.count({ where: { sessionId } }),
    ctx.prisma.sessionOutcome.findUnique({ where: { sessionId } }),
    ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: sessionId }, select: { status: true, version: true } }),
  ]);
  return { ideas, outcome, session };
}

describe("opening the outcome form", () => {
  it("shows the assigned facilitator an empty form with one idea, the practice's active themes and the privacy notes", async () => {
    const retired = await ctx.prisma.theme.update({ where: { id: themeIds[7]! }, data: { retiredAt: new Date() } });
    try {
      const { res, submissionId } = await openOutcomeForm(facilitator, sessionId);
      expect(submissionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.text).toContain('id="ideas-0-text"');
      expect(res.text).not.toContain('id="ideas-1-text"');
      expect(res.text).toContain("Your private reflections (never shown publicly)");
      expect(res.text).toContain('name="action" value="add"');
      expect(res.text).toContain(`value="${themeIds[0]}"`);
      expect(res.text).not.toContain(`value="${retired.id}"`);
      for (const c of CONSENTS) expect(res.text).toContain(`value="${c}"`);
      // Consent has no default.
      expect(res.text).not.toMatch(/name="ideas\[0\]\[consent\]" type="radio" value="[A-Z_]+" checked/);
      // A new submissionId each time the form is opened.
      expect((await openOutcomeForm(facilitator, sessionId)).submissionId).not.toBe(submissionId);
    } finally {
      await ctx.prisma.theme.update({ where: { id: retired.id }, data: { retiredAt: null } });
    }
  });

  it("refuses a facilitator who is not assigned to the session (403), changing nothing", async () => {
    const other = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email: `other-fac-${Date.now()}@example.test`, name: "Other", password: a.facilitator.password, role: "FACILITATOR" });
    const { agent, csrf } = await signInAs(ctx.app, other.email, a.facilitator.password);
    expect((await agent.get(url())).status).toBe(403);
    const before = await snapshot();
    const res = await agent.post(url()).type("form").send({ _csrf: csrf, ...baseFields, ...ideaFields([good(1)]) });
    expect(res.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("gives another practice's manager a 404, changing nothing", async () => {
    const { agent, csrf } = await signInAs(ctx.app, b.manager.email, b.manager.password);
    expect((await agent.get(url())).status).toBe(404);
    const before = await snapshot();
    const res = await agent.post(url()).type("form").send({ _csrf: csrf, ...baseFields, ...ideaFields([good(1)]) });
    expect(res.status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect((await agent.get("/sessions/not-a-uuid/outcome")).status).toBe(404);
  });

  it("refuses a viewer", async () => {
    const { agent } = await signInAs(ctx.app, a.viewer.email, a.viewer.password);
    expect((await agent.get(url())).status).toBe(403);
  });

  it("explains that a session that has not started cannot have an outcome yet, and saves nothing", async () => {
    const future = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED", endsAt: new Date(Date.now() + 5 * HOUR) });
    const res = await manager.get(`/sessions/${future.session.id}/outcome`);
    expect(res.status).toBe(403);
    expect(res.text).toContain("This session has not started yet");
    const page = await manager.get("/dashboard");
    const posted = await manager.post(`/sessions/${future.session.id}/outcome`).type("form").send({ _csrf: csrfTokenIn(page.text), ...baseFields, ...ideaFields([good(1)]) });
    expect(posted.status).toBe(403);
    expect(await ctx.prisma.sessionOutcome.count({ where: { sessionId: future.session.id } })).toBe(0);
  });

  it("refuses a cancelled session", async () => {
    await ctx.prisma.communitySession.update({ where: { id: sessionId }, data: { status: "CANCELLED" } });
    const res = await facilitator.get(url());
    expect(res.status).toBe(403);
    expect(res.text).toContain("This session was cancelled");
  });
});

describe("adding and removing ideas without JavaScript", () => {
  it("adds an empty idea, keeping everything typed (as the draft: no idea, no status change)", async () => {
    const { res } = await post(facilitator, { action: "add", ...baseFields, ...ideaFields([{ text: "Longer opening <hours>", support: "4", consent: "GROUP_ONLY", themeId: themeIds[2] }]) });
    expect(res.status).toBe(200);
    expect(res.text).toContain('id="ideas-1-text"');
    expect(res.text).toContain("Longer opening &lt;hours&gt;");
    expect(res.text).toMatch(/id="ideas-0-consent-2" name="ideas\[0\]\[consent\]" type="radio" value="GROUP_ONLY" checked/);
    expect(res.text).toContain('value="Waiting times and interpreters"'.slice(7, 36));
    expect(res.text).toContain('value="9"');
    // The new idea's text box takes the focus.
    expect(res.text).toMatch(/id="ideas-1-text"[^>]*autofocus/);
    // Every submit keeps a draft (issue 17): nothing else changes.
    const snap = await snapshot();
    expect(snap).toMatchObject({ ideas: 0, outcome: { isDraft: true, version: 1 }, session: { status: "SCHEDULED" } });
    expect(JSON.stringify(snap.outcome!.draftData)).toContain("Longer opening <hours>");
    expect(res.text).toContain('name="draftVersion" value="1"');
  });

  it("removes the chosen idea and renumbers the rest", async () => {
    const { res } = await post(facilitator, { action: "remove-0", ...baseFields, ...ideaFields([{ text: "First idea" }, { text: "Second idea" }]) });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain("First idea");
    expect(res.text).toMatch(/id="ideas-0-text"[^>]*>Second idea</);
    expect(res.text).not.toContain('id="ideas-1-text"');
    const snap = await snapshot();
    expect(snap).toMatchObject({ ideas: 0, outcome: { isDraft: true } });
    expect(JSON.stringify(snap.outcome!.draftData)).not.toContain("First idea");
  });
});

describe("many ideas", () => {
  it("keeps more ideas than the body parser's array limit, in order, and saves them all", async () => {
    const many = Array.from({ length: 23 }, (_, n) => good(n));
    const added = await post(facilitator, { action: "add", ...baseFields, ...ideaFields(many) });
    expect(added.res.status).toBe(200);
    expect(added.res.text).toContain('id="ideas-23-text"');
    expect(added.res.text).toMatch(/id="ideas-22-text"[^>]*>Idea number 22 from the group</);
    const { res } = await post(facilitator, { action: "save", ...baseFields, ...ideaFields(many) });
    expect(res.status).toBe(303);
    const ideas = await ctx.prisma.idea.findMany({ where: { sessionId }, orderBy: { position: "asc" } });
    expect(ideas.map((i) => i.text)).toEqual(many.map((i) => i.text));
  });
});

describe("bad input", () => {
  const cases: [string, () => Record<string, string>, string, string][] = [
    ["negative attendance", () => ({ ...baseFields, attendanceCount: "-3", ...ideaFields([good(1)]) }), "attendanceCount", "must be a whole number, 0 or more"],
    ["attendance that is not whole", () => ({ ...baseFields, attendanceCount: "2.5", ...ideaFields([good(1)]) }), "attendanceCount", "must be a whole number, 0 or more"],
    ["missing attendance", () => ({ ...baseFields, attendanceCount: "", ...ideaFields([good(1)]) }), "attendanceCount", "Enter how many people took part"],
    ["empty idea text", () => ({ ...baseFields, ...ideaFields([good(1), { ...good(2), text: "   " }]) }), "ideas-1-text", "Idea 2: enter the idea in the participants&#39; own words"],
    ["idea text over 2,000 characters", () => ({ ...baseFields, ...ideaFields([{ ...good(1), text: "a".repeat(2001) }]) }), "ideas-0-text", "Idea 1: the idea must be 2,000 characters or fewer"],
    ["no theme", () => ({ ...baseFields, ...ideaFields([{ ...good(1), themeId: "" }]) }), "ideas-0-themeId", "Idea 1: select a theme<"],
    ["an unknown theme", () => ({ ...baseFields, ...ideaFields([{ ...good(1), themeId: "00000000-0000-4000-8000-000000000000" }]) }), "ideas-0-themeId", "Idea 1: select a theme from the list"],
    ["a theme id that is not an id", () => ({ ...baseFields, ...ideaFields([{ ...good(1), themeId: "'; drop table" }]) }), "ideas-0-themeId", "Idea 1: select a theme from the list"],
    ["negative support", () => ({ ...baseFields, ...ideaFields([{ ...good(1), support: "-1" }]) }), "ideas-0-support", "Idea 1: support in the room must be a whole number"],
    ["missing consent", () => ({ ...baseFields, ...ideaFields([{ ...good(1), consent: undefined }]) }), "ideas-0-consent", "Idea 1: select what the group agreed to share"],
    ["an invalid consent", () => ({ ...baseFields, ...ideaFields([{ ...good(1), consent: "EVERYONE" }]) }), "ideas-0-consent", "Idea 1: select what the group agreed to share"],
  ];
  for (const [name, body, field, message] of cases) {
    it(`refuses ${name}: a message on the field, the input kept, kept as the draft only`, async () => {
      const before = await snapshot();
      const { res } = await post(facilitator, { action: "save", ...body() });
      expect(res.status).toBe(400);
      expect(res.text).toContain(`href="#${field}"`);
      expect(res.text).toContain(message);
      expect(res.text).toContain(`id="${field}-error"`);
      expect(res.text).toContain("Idea number 1 from the group".slice(0, field === "ideas-0-text" ? 0 : 28));
      // No idea, no status change: what was typed is kept as the draft only (issue 17: the text is never lost).
      const after = await snapshot();
      expect({ ideas: after.ideas, session: after.session }).toEqual({ ideas: before.ideas, session: before.session });
      expect(after.outcome).toMatchObject({ isDraft: true, draftData: { submissionId: expect.any(String) } });
      expect(res.text).toContain(`name="draftVersion" value="${after.outcome!.version}"`);
    });
  }

  it("names the idea in each of its messages, in the summary (linked to that idea's field) and beside the field", async () => {
    const { res } = await post(facilitator, {
      action: "save", ...baseFields,
      ...ideaFields([good(1), { ...good(2), themeId: "" }, { ...good(3), text: " ", support: "many", consent: undefined }]),
    });
    expect(res.status).toBe(400);
    const summary = res.text.slice(res.text.indexOf("nhsuk-error-summary"), res.text.indexOf("</ul>", res.text.indexOf("nhsuk-error-summary")));
    const links = [...summary.matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ["ideas-1-themeId", "Idea 2: select a theme"],
      ["ideas-2-text", "Idea 3: enter the idea in the participants&#39; own words"],
      ["ideas-2-support", "Idea 3: support in the room must be a whole number, 0 or more, like 5"],
      ["ideas-2-consent", "Idea 3: select what the group agreed to share"],
    ]);
    // Beside the field: the same words, and the field the summary links to is there.
    expect(res.text).toMatch(/id="ideas-1-themeId-error"[^>]*>\s*<span class="nhsuk-u-visually-hidden">Error:<\/span> Idea 2: select a theme\s*</);
    for (const [id] of links) expect(res.text).toContain(`id="${id}"`);
  });

  it("refuses another practice's theme", async () => {
    const otherTheme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } });
    const { res } = await post(facilitator, { ...baseFields, ...ideaFields([{ ...good(1), themeId: otherTheme.id }]) });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Idea 1: select a theme from the list");
    expect(await ctx.prisma.idea.count({ where: { themeId: otherTheme.id } })).toBe(0);
  });

  it("refuses a retired theme for a new idea", async () => {
    await ctx.prisma.theme.update({ where: { id: themeIds[6]! }, data: { retiredAt: new Date() } });
    try {
      const { res } = await post(facilitator, { ...baseFields, ...ideaFields([{ ...good(1), themeId: themeIds[6] }]) });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Idea 1: select a theme from the list");
    } finally {
      await ctx.prisma.theme.update({ where: { id: themeIds[6]! }, data: { retiredAt: null } });
    }
  });
});

describe("the final save", () => {
  it("creates the ideas (RECEIVED, due after the practice's deadline), marks the session held, in one go", async () => {
    const { res, submissionId } = await post(facilitator, { action: "save", ...baseFields, ...ideaFields([good(1), good(2), { text: "", themeId: "", support: "", consent: "" }, good(3)]) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(url());
    const ideas = await ctx.prisma.idea.findMany({ where: { sessionId }, orderBy: { position: "asc" } });
    // The completely empty row is dropped.
    expect(ideas.map((i) => i.text)).toEqual(["Idea number 1 from the group", "Idea number 2 from the group", "Idea number 3 from the group"]);
    const session = await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: sessionId } });
    for (const idea of ideas) {
      expect(idea).toMatchObject({ status: "RECEIVED", practiceId: a.practice.id, groupId: session.groupId, consent: "PUBLIC", publishedAt: null });
      expect(idea.dueAt.getTime()).toBe(sessionEndsAt.getTime() + 28 * 24 * HOUR);
    }
    expect(ideas[1]).toMatchObject({ support: 4, themeId: themeIds[2] });
    expect(session.status).toBe("HELD");
    const outcome = await ctx.prisma.sessionOutcome.findUniqueOrThrow({ where: { sessionId } });
    expect(outcome).toMatchObject({ isDraft: false, attendanceCount: 9, themesDiscussed: "Waiting times and interpreters", privateReflections: "One person was upset at first", createdById: a.facilitator.id });
    expect(outcome.draftData).toMatchObject({ submissionId });
    const actions = (await ctx.prisma.auditEvent.findMany({ where: { practiceId: a.practice.id, OR: [{ entityId: outcome.id }, { entityId: sessionId }, { entityId: { in: ideas.map((i) => i.id) } }] } })).map((e) => e.action);
    expect(actions.sort()).toEqual(["idea.create", "idea.create", "idea.create", "outcome.save", "session.held"]);
    // The confirmation page: the saved outcome, its ideas read-only, a flash.
    const page = await facilitator.get(url());
    expect(page.text).toContain("Outcome saved with 3 ideas");
    expect(page.text).toContain("Ideas from this session");
    expect(page.text).toContain(`href="/ideas/${ideas[0]!.id}"`);
    expect(page.text).not.toContain('name="ideas[0][text]"');
  });

  it("never creates duplicate ideas when the same form is submitted twice, one after the other or at once", async () => {
    const { csrf, submissionId } = await openOutcomeForm(facilitator, sessionId);
    const body = { _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields, ...ideaFields([good(1), good(2)]) };
    const [first, second] = await Promise.all([facilitator.post(url()).type("form").send(body), facilitator.post(url()).type("form").send(body)]);
    expect([first.status, second.status]).toEqual([303, 303]);
    const third = await facilitator.post(url()).type("form").send(body);
    expect(third.status).toBe(303);
    expect((await facilitator.get(url())).text).toContain("already saved. Nothing was saved twice");
    expect(await ctx.prisma.idea.count({ where: { sessionId } })).toBe(2);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "outcome.save", details: { path: ["submissionId"], equals: submissionId } } })).toBe(1);
  });

  it("refuses another new form once the outcome was logged (409), creating nothing", async () => {
    const stale = await openOutcomeForm(manager, sessionId);
    const { res } = await post(facilitator, { action: "save", ...baseFields, ...ideaFields([good(1)]) });
    expect(res.status).toBe(303);
    const again = await manager.post(url()).type("form").send({ _csrf: stale.csrf, submissionId: stale.submissionId, mode: "new", action: "save", ...baseFields, ...ideaFields([good(2)]) });
    expect(again.status).toBe(409);
    expect(await ctx.prisma.idea.count({ where: { sessionId } })).toBe(1);
  });

  it("lets a manager correct the outcome afterwards, auditing the previous values", async () => {
    await post(facilitator, { action: "save", ...baseFields, ...ideaFields([good(1)]) });
    const { csrf } = await openOutcomeForm(manager, sessionId);
    const bad = await manager.post(url()).type("form").send({ _csrf: csrf, mode: "edit", ...baseFields, attendanceCount: "many" });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('value="many"');
    const res = await manager.post(url()).type("form").send({ _csrf: csrf, mode: "edit", ...baseFields, attendanceCount: "11" });
    expect(res.status).toBe(303);
    const outcome = await ctx.prisma.sessionOutcome.findUniqueOrThrow({ where: { sessionId } });
    expect(outcome).toMatchObject({ attendanceCount: 11, updatedById: a.manager.id });
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "outcome.update", entityId: outcome.id } });
    expect(audit.details).toMatchObject({ fields: ["attendanceCount"], previous: { attendanceCount: 9 } });
    expect(await ctx.prisma.idea.count({ where: { sessionId } })).toBe(1);
  });
});

describe("the identifying-details check", () => {
  it("brings the form back with the matches highlighted, then saves once the facilitator confirms, recording the kinds only", async () => {
    const risky = "Ring the practice manager on 07700 900123 about repeat prescriptions";
    const { res, csrf, submissionId } = await post(facilitator, { action: "save", ...baseFields, ...ideaFields([good(1), { ...good(2), text: risky }]) });
    expect(res.status).toBe(400);
    expect(res.text).toContain('href="#ideas-1-text"');
    expect(res.text).toContain("Idea 2 may identify someone: it contains a phone number");
    expect(res.text).toContain('<mark class="app-highlight">07700 900123<span class="nhsuk-u-visually-hidden"> (a phone number)</span></mark>');
    expect(res.text).toContain("I have checked: this is not about an identifiable person");
    expect(await ctx.prisma.idea.count({ where: { sessionId } })).toBe(0);
    const confirm = confirmValueIn(res.text, "ideas[1][confirmSafe]");
    // A confirmation counts only for the text that was checked.
    const changed = await facilitator.post(url()).type("form").send({
      _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields, ...ideaFields([good(1), { ...good(2), text: risky + " or M1 1AE", confirmSafe: confirm }]),
    });
    expect(changed.status).toBe(400);
    expect(await ctx.prisma.idea.count({ where: { sessionId } })).toBe(0);
    const saved = await facilitator.post(url()).type("form").send({
      _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields, ...ideaFields([good(1), { ...good(2), text: risky, confirmSafe: confirm }]),
    });
    expect(saved.status).toBe(303);
    const ideas = await ctx.prisma.idea.findMany({ where: { sessionId }, orderBy: { position: "asc" } });
    expect(ideas.map((i) => i.text)).toEqual(["Idea number 1 from the group", risky]);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "outcome.identifying-details-confirmed", details: { path: ["sessionId"], equals: sessionId } } });
    expect(audit.details).toEqual({ sessionId, fields: [{ field: "ideas-1-text", kinds: ["phone"], ideaId: ideas[1]!.id }] });
    expect(JSON.stringify(audit.details)).not.toContain("07700");
  });

  it("checks themes discussed too, and saves when the text is edited instead", async () => {
    const { res, csrf, submissionId } = await post(facilitator, { action: "save", ...baseFields, themesDiscussed: "Jo (jo@example.com) spoke about waiting", ...ideaFields([good(1)]) });
    expect(res.status).toBe(400);
    expect(res.text).toContain("Themes discussed may identify someone: it contains an email address");
    expect(res.text).toContain('<mark class="app-highlight">jo@example.com');
    const fixed = await facilitator.post(url()).type("form").send({ _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields, themesDiscussed: "Someone spoke about waiting", ...ideaFields([good(1)]) });
    expect(fixed.status).toBe(303);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "outcome.identifying-details-confirmed", details: { path: ["sessionId"], equals: sessionId } } })).toBe(0);
  });
});

describe("drafts", () => {
  it("keeps everything typed (even what would not validate yet), warns about identifying details, and resumes the same form", async () => {
    const { res, submissionId } = await post(facilitator, {
      action: "draft", ...baseFields, attendanceCount: "about ten",
      ...ideaFields([{ text: "Write to sam@example.org about it", consent: "PRACTICE_ONLY" }, { text: "Half-finished idea", themeId: themeIds[1] }]),
    });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(url());
    const snap = await snapshot();
    expect(snap).toMatchObject({ ideas: 0, session: { status: "SCHEDULED" }, outcome: { isDraft: true, attendanceCount: null, themesDiscussed: baseFields.themesDiscussed } });
    const page = await facilitator.get(url());
    expect(page.text).toContain("Draft saved. Some text may identify someone");
    expect(page.text).toContain("This is a draft, last saved");
    expect(page.text).toContain('value="about ten"');
    expect(page.text).toContain("Half-finished idea");
    expect(page.text).toMatch(/value="PRACTICE_ONLY" checked/);
    expect(page.text).toContain('<mark class="app-highlight">sam@example.org');
    expect(page.text).toContain(`name="submissionId" value="${submissionId}"`);
    // Finish it: the same form, now complete.
    const csrf = csrfTokenIn(page.text);
    const done = await facilitator.post(url()).type("form").send({
      _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields,
      ...ideaFields([{ ...good(1), text: "Write to the practice about it", consent: "PRACTICE_ONLY" }, { ...good(2), text: "Half-finished idea, now finished" }]),
    });
    expect(done.status).toBe(303);
    expect(await snapshot()).toMatchObject({ ideas: 2, session: { status: "HELD" }, outcome: { isDraft: false, attendanceCount: 9 } });
    // A draft save after the final save changes nothing.
    const late = await facilitator.post(url()).type("form").send({ _csrf: csrf, submissionId, mode: "new", action: "draft", ...baseFields, ...ideaFields([good(3)]) });
    expect(late.status).toBe(303);
    expect(await snapshot()).toMatchObject({ ideas: 2, outcome: { isDraft: false } });
  });
});

describe("when the session cookie expires mid-form", () => {
  it("keeps what was typed after the idle timeout too (the session and its CSRF token are gone)", async () => {
    const { agent } = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    const { csrf, submissionId } = await openOutcomeForm(agent, sessionId);
    // Idle timeout: the store has forgotten the session entirely.
    await ctx.prisma.$executeRawUnsafe(`delete from http_session where sess::jsonb->>'userId' = $1`, a.facilitator.id);
    const typed = { _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields, ...ideaFields([{ ...good(1), text: "Typed before going idle" }]) };
    // A cross-site post is refused as before; only our own page's post is kept.
    const crossSite = await agent.post(url()).set("Sec-Fetch-Site", "cross-site").type("form").send(typed);
    expect(crossSite.status).toBe(403);
    const res = await agent.post(url()).set("Sec-Fetch-Site", "same-origin").type("form").send(typed);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url())}&restored=1`);
    expect(await snapshot()).toMatchObject({ ideas: 0, outcome: null });
    const login = await agent.get(res.headers.location!);
    await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(login.text), email: a.facilitator.email, password: a.facilitator.password, next: url() });
    const restored = await agent.get(url());
    expect(restored.text).toContain("Typed before going idle");
    // Back from signing in, what was posted is kept as the draft (never as the outcome).
    expect(await snapshot()).toMatchObject({ ideas: 0, outcome: { isDraft: true, updatedById: a.facilitator.id } });
  });


  it("sends the facilitator to sign in, then puts back what they typed, saved as the draft", async () => {
    const { agent } = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    const { csrf, submissionId } = await openOutcomeForm(agent, sessionId);
    // The session passes its absolute timeout while the form is open.
    await ctx.prisma.$executeRawUnsafe(`update http_session set sess = jsonb_set(sess::jsonb, '{signedInAt}', '1')::json where sess::jsonb->>'userId' = $1`, a.facilitator.id);
    const typed = { _csrf: csrf, submissionId, mode: "new", action: "save", ...baseFields, ...ideaFields([{ ...good(1), text: "Typed before the cookie expired" }]) };
    const res = await agent.post(url()).type("form").send(typed);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(`/login?next=${encodeURIComponent(url())}&restored=1`);
    expect(await snapshot()).toMatchObject({ ideas: 0, outcome: null });
    const login = await agent.get(res.headers.location!);
    expect(login.text).toContain("what you typed will be put back");
    const signedIn = await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(login.text), email: a.facilitator.email, password: a.facilitator.password, next: url() });
    expect(signedIn.headers.location).toBe(url());
    const restored = await agent.get(url());
    expect(restored.status).toBe(200);
    expect(restored.text).toContain("We have put back what you typed and saved it as a draft");
    expect(restored.text).toContain("Typed before the cookie expired");
    expect(restored.text).toContain('value="9"');
    expect(restored.text).toContain(`name="submissionId" value="${submissionId}"`);
    expect(await snapshot()).toMatchObject({ ideas: 0, outcome: { isDraft: true, attendanceCount: 9 }, session: { status: "SCHEDULED" } });
    // Put back once; from then on it is the draft.
    const again = await agent.get(url());
    expect(again.text).not.toContain("We have put back what you typed");
    expect(again.text).toContain("This is a draft, last saved");
    expect(again.text).toContain("Typed before the cookie expired");
    // Saving the restored form works.
    const save = await agent.post(url()).type("form").send({ ...typed, _csrf: csrfTokenIn(restored.text) });
    expect(save.status).toBe(303);
    expect(await ctx.prisma.idea.count({ where: { sessionId } })).toBe(1);
  });
});
