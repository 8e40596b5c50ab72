// The outcome form's draft: the autosave endpoint (POST /sessions/:id/outcome/draft,
// used by public/js/outcome-autosave.js) and the version rule every save follows,
// so that a draft from an older page never overwrites a newer one (issue 17).
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestContext, csrfTokenIn, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { ideaFields, openOutcomeForm } from "../helpers/outcomes.js";
import { addUserToPractice } from "../../src/features/practices/service.js";

let ctx: TestContext;
let a: PracticeFixture;
let b: PracticeFixture;
let facilitator: Agent;
let manager: Agent;
let themeId: string;
let sessionId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPracticeWithStaff(ctx.prisma, "Autosave A");
  b = await createPracticeWithStaff(ctx.prisma, "Autosave B");
  facilitator = (await signInAs(ctx.app, a.facilitator.email, a.facilitator.password)).agent;
  manager = (await signInAs(ctx.app, a.manager.email, a.manager.password)).agent;
  themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } })).id;
});
afterAll(() => ctx?.close());

beforeEach(async () => {
  sessionId = (await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED" })).session.id;
});

const page = () => `/sessions/${sessionId}/outcome`;
const endpoint = () => `/sessions/${sessionId}/outcome/draft`;
const typed = (text: string) => ({
  attendanceCount: "7", themesDiscussed: "Getting an appointment", processReflection: "", privateReflections: "Quiet start",
  ...ideaFields([{ text, themeId, support: "4", consent: "PUBLIC" }]),
});

/** The form as the script posts it: every field, the CSRF token and the draft version the page is at. */
async function autosave(agent: Agent, body: Record<string, string>) {
  return agent.post(endpoint()).set("Accept", "application/json").type("form").send(body);
}

async function state() {
  const [ideas, outcome, session, published] = await Promise.all([
    ctx.prisma.idea.count({ where: { sessionId } }),
    ctx.prisma.sessionOutcome.findUnique({ where: { sessionId } }),
    ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: sessionId }, select: { status: true, version: true } }),
    ctx.prisma.idea.count({ where: { practiceId: a.practice.id, publishedAt: { not: null } } }),
  ]);
  return { ideas, outcome, session, published };
}

describe("the autosave endpoint", () => {
  it("saves the draft and answers JSON with its version and 'Draft saved at', creating no idea, publishing nothing, changing no status", async () => {
    const { csrf, submissionId, res: form } = await openOutcomeForm(facilitator, sessionId);
    expect(form.text).toContain('name="draftVersion" value="0"');
    expect(form.text).toContain(`data-autosave="${endpoint()}"`);
    expect(form.text).toMatch(/role="status" aria-live="polite" data-autosave-status/);
    const first = await autosave(facilitator, { _csrf: csrf, submissionId, mode: "new", draftVersion: "0", ...typed("Open earlier on Tuesdays") });
    expect(first.status).toBe(200);
    expect(first.headers["content-type"]).toMatch(/application\/json/);
    expect(first.body).toMatchObject({ version: 1, message: expect.stringMatching(/^Draft saved at \d{1,2}:\d{2}(am|pm)$/) });
    const second = await autosave(facilitator, { _csrf: csrf, submissionId, mode: "new", draftVersion: "1", ...typed("Open earlier on Tuesdays and Thursdays") });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(2);
    const s = await state();
    expect(s).toMatchObject({ ideas: 0, published: 0, session: { status: "SCHEDULED", version: 1 }, outcome: { isDraft: true, version: 2, attendanceCount: 7 } });
    expect(JSON.stringify(s.outcome!.draftData)).toContain("Open earlier on Tuesdays and Thursdays");
    // A burst of autosaves is one audit entry, not one every few seconds.
    expect(await ctx.prisma.auditEvent.count({ where: { action: "outcome.draft-save", entityId: s.outcome!.id } })).toBe(1);
    // Reopened, the form is the draft, at its version.
    const reopened = await facilitator.get(page());
    expect(reopened.text).toContain("Open earlier on Tuesdays and Thursdays");
    expect(reopened.text).toContain('name="draftVersion" value="2"');
  });

  it("never overwrites a newer draft: an autosave from an older page is refused (409) and saves nothing", async () => {
    const older = await openOutcomeForm(facilitator, sessionId);
    const other = await openOutcomeForm(manager, sessionId);
    expect((await autosave(manager, { _csrf: other.csrf, submissionId: other.submissionId, mode: "new", draftVersion: "0", ...typed("The manager's newer words") })).status).toBe(200);
    const stale = await autosave(facilitator, { _csrf: older.csrf, submissionId: older.submissionId, mode: "new", draftVersion: "0", ...typed("The facilitator's older page") });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: "newer-draft", version: 1, message: expect.stringContaining("A newer draft of this outcome was saved at") });
    // The script shows a link to the newer draft (a new tab, so this page keeps what was typed) and says the text is kept.
    expect(stale.body.message).toContain("What you typed here is kept on this page");
    expect(stale.body.newerDraft).toEqual({ href: `/sessions/${sessionId}/outcome`, text: "Open the newer draft in a new tab" });
    const s = await state();
    expect(s.outcome).toMatchObject({ version: 1, updatedById: a.manager.id });
    expect(JSON.stringify(s.outcome!.draftData)).toContain("The manager's newer words");
    expect(JSON.stringify(s.outcome!.draftData)).not.toContain("older page");
  });

  it("refuses without a valid CSRF token, a version, or a session, saving nothing", async () => {
    const { csrf, submissionId } = await openOutcomeForm(facilitator, sessionId);
    const body = { submissionId, mode: "new", draftVersion: "0", ...typed("Not to be saved") };
    expect((await autosave(facilitator, body)).status).toBe(403);
    expect((await autosave(facilitator, { ...body, _csrf: "not-the-token" })).status).toBe(403);
    const noVersion = await autosave(facilitator, { ...body, _csrf: csrf, draftVersion: "" });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error).toBe("no-version");
    // The session has ended (the row is gone): a 401 the script can read; nothing kept for later.
    const { agent, csrf: ownCsrf } = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    const own = await openOutcomeForm(agent, sessionId);
    await ctx.prisma.$executeRawUnsafe(`delete from http_session where sess::jsonb->>'userId' = $1`, a.facilitator.id);
    const signedOut = await agent.post(endpoint()).set("Accept", "application/json").set("Sec-Fetch-Site", "same-origin").set("Sec-Fetch-Mode", "cors").type("form")
      .send({ ...body, _csrf: own.csrf || ownCsrf });
    expect(signedOut.status).toBe(401);
    expect(signedOut.body).toEqual({ error: "signed-out" });
    expect(await ctx.prisma.$queryRawUnsafe<unknown[]>(`select 1 from http_session where sess::text like '%pendingForm%'`)).toEqual([]);
    expect(await state()).toMatchObject({ ideas: 0, outcome: null });
    facilitator = (await signInAs(ctx.app, a.facilitator.email, a.facilitator.password)).agent;
  });

  it("is for the session's facilitators and managers of its practice only (403 or 404), saving nothing", async () => {
    const body = (csrf: string) => ({ _csrf: csrf, mode: "new", draftVersion: "0", ...typed("Someone else's words") });
    const viewer = await signInAs(ctx.app, a.viewer.email, a.viewer.password);
    expect((await autosave(viewer.agent, body(viewer.csrf))).status).toBe(403);
    const otherFac = await addUserToPractice(ctx.prisma, { practiceId: a.practice.id, email: `autosave-other-${Date.now()}@example.test`, name: "Other", password: a.facilitator.password, role: "FACILITATOR" });
    const unassigned = await signInAs(ctx.app, otherFac.email, a.facilitator.password);
    expect((await autosave(unassigned.agent, body(unassigned.csrf))).status).toBe(403);
    const otherPractice = await signInAs(ctx.app, b.manager.email, b.manager.password);
    expect((await autosave(otherPractice.agent, body(otherPractice.csrf))).status).toBe(404);
    expect(await state()).toMatchObject({ ideas: 0, outcome: null });
    // A session that has not started has no outcome yet.
    const future = await createGroupAndSession(ctx.prisma, a, { status: "SCHEDULED", endsAt: new Date(Date.now() + 5 * 3600e3) });
    const { csrf } = await openOutcomeForm(facilitator, sessionId);
    const early = await facilitator.post(`/sessions/${future.session.id}/outcome/draft`).set("Accept", "application/json").type("form").send(body(csrf));
    expect(early.status).toBe(403);
    expect(early.body.error).toBe("unavailable");
    expect(await ctx.prisma.sessionOutcome.count({ where: { sessionId: future.session.id } })).toBe(0);
  });

  it("keeps nothing once the outcome is saved for good (409 final)", async () => {
    const { csrf, submissionId } = await openOutcomeForm(facilitator, sessionId);
    // A draft is seen only on the (uncached) outcome form: it leaves the practice's data version, the staff cache's key, alone.
    const dataVersion = async () => (await ctx.prisma.practice.findUniqueOrThrow({ where: { id: a.practice.id }, select: { dataVersion: true } })).dataVersion;
    const v0 = await dataVersion();
    expect((await autosave(facilitator, { _csrf: csrf, submissionId, mode: "new", draftVersion: "0", ...typed("Draft words") })).status).toBe(200);
    expect((await autosave(facilitator, { _csrf: csrf, submissionId, mode: "new", draftVersion: "1", ...typed("More draft words") })).status).toBe(200);
    expect(await dataVersion()).toBe(v0);
    const saved = await facilitator.post(page()).type("form").send({ _csrf: csrf, submissionId, mode: "new", action: "save", draftVersion: "2", ...typed("The final words") });
    expect(saved.status).toBe(303);
    expect(await dataVersion()).toBeGreaterThan(v0);
    const late = await autosave(facilitator, { _csrf: csrf, submissionId, mode: "new", draftVersion: "0", ...typed("A late autosave") });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe("final");
    const s = await state();
    expect(s).toMatchObject({ ideas: 1, outcome: { isDraft: false }, session: { status: "HELD" } });
    expect(JSON.stringify(s.outcome!.draftData)).not.toContain("late autosave");
    // The final form has no autosave.
    expect((await facilitator.get(page())).text).not.toContain("data-autosave");
  });
});

describe("the version rule on the form's own buttons (no JavaScript)", () => {
  it("does not save a draft or the outcome over a newer draft: 409, the text kept on the page; saving again replaces it", async () => {
    const older = await openOutcomeForm(facilitator, sessionId);
    const other = await openOutcomeForm(manager, sessionId);
    await autosave(manager, { _csrf: other.csrf, submissionId: other.submissionId, mode: "new", draftVersion: "0", ...typed("Newer words from the manager") });
    const body = { _csrf: older.csrf, submissionId: older.submissionId, mode: "new", draftVersion: "0", ...typed("Older page's words") };
    for (const action of ["draft", "add", "save"]) {
      const res = await facilitator.post(page()).type("form").send({ ...body, action });
      expect(res.status, action).toBe(409);
      expect(res.text).toContain("A newer draft of this outcome was saved at");
      expect(res.text).toContain('href="#conflict"');
      expect(res.text).toContain("Older page&#39;s words");
      // The page now continues the newer draft, and does not autosave until a button is pressed.
      expect(res.text).toContain('name="draftVersion" value="1"');
      expect(res.text).toContain("data-autosave-paused");
    }
    expect(await state()).toMatchObject({ ideas: 0, outcome: { version: 1, updatedById: a.manager.id, isDraft: true } });
    // Pressed again from that page: the facilitator's words replace the newer draft.
    const again = await facilitator.post(page()).type("form").send({ ...body, draftVersion: "1", action: "draft", _csrf: csrfTokenIn((await facilitator.get(page())).text) });
    expect(again.status).toBe(303);
    const s = await state();
    expect(s.outcome).toMatchObject({ version: 2, updatedById: a.facilitator.id });
    expect(JSON.stringify(s.outcome!.draftData)).toContain("Older page's words");
  });
});
