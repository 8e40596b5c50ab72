// A session's title and venue reach the facilitators' e-mails and the calendar
// files and feeds, so they go through the identifying-details check on every
// path that sets them (features/sessions/text-checks.ts): the one-page
// new-session form, a draft's section and "Schedule session", and a section of
// a session being changed. Refused with the highlighted details and the input
// kept, nothing saved and no e-mail queued, until the manager confirms; then
// saved once, the confirmation audited (kinds only). A plain title saves at once.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { confirmValueIn } from "../helpers/outcomes.js";
import { futureDate, makeGroup, makeSession, sectionBody, sessionForm, versionIn } from "../helpers/sessions.js";

const RISKY = "Home visit to Mrs Fatima Ahmed, 07700 900123";

let ctx: TestContext;
let a: PracticeFixture;
let manager: { agent: Agent; csrf: string };
let groupId: string;

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPracticeWithStaff(ctx.prisma, "Session texts");
  groupId = (await makeGroup(ctx.prisma, a.practice.id, { name: "Tuesday circle", usualVenue: "The Hope cafe" })).id;
  manager = await signInAs(ctx.app, a.manager.email, a.manager.password);
});
afterAll(() => ctx?.close());

const post = (url: string, body: Record<string, unknown>) => manager.agent.post(url).type("form").send({ _csrf: manager.csrf, ...body });
const sessions = () => ctx.prisma.communitySession.count({ where: { practiceId: a.practice.id } });
const mails = () => ctx.prisma.mailMessage.count({ where: { practiceId: a.practice.id } });
const confirmations = () => ctx.prisma.auditEvent.count({ where: { practiceId: a.practice.id, action: "session.identifying-details-confirmed" } });

function expectAsked(res: { status: number; text: string }, marked: string[]) {
  expect(res.status, res.text.slice(0, 300)).toBe(400);
  expect(res.text).toContain("nhsuk-error-summary");
  expect(res.text).toContain("This may identify someone");
  for (const m of marked) expect(res.text).toContain(`<mark class="app-highlight">${m}`);
}

describe("the one-page new-session form", () => {
  it("asks about an identifying title: nothing saved or e-mailed, input kept; saved once after confirming, the confirmation audited", async () => {
    const [sBefore, mBefore, cBefore] = [await sessions(), await mails(), await confirmations()];
    const body = sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title: RISKY, status: "SCHEDULED" });
    const refused = await post("/sessions", body);
    expectAsked(refused, ["Mrs Fatima", "07700 900123"]);
    expect(refused.text).toContain(`value="${RISKY}"`);
    expect(refused.text).toContain("Talk about getting appointments</textarea>"); // the rest of the form kept too
    expect([await sessions(), await mails()]).toEqual([sBefore, mBefore]);
    const token = confirmValueIn(refused.text, "titleConfirmSafe");
    for (let i = 0; i < 2; i++) expect((await post("/sessions", { ...body, titleConfirmSafe: token })).status).toBe(303);
    expect(await sessions()).toBe(sBefore + 1);
    expect(await ctx.prisma.communitySession.count({ where: { practiceId: a.practice.id, title: RISKY } })).toBe(1);
    expect(await confirmations()).toBe(cBefore + 1);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "session.identifying-details-confirmed" }, orderBy: { createdAt: "desc" } });
    expect(audit.details).toEqual({ kinds: ["phone", "name-phrase"] });
  });

  it("asks about a venue name naming someone, not about the venue's street address and postcode", async () => {
    const before = await sessions();
    const body = sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title: "Listening session", venueName: "Mrs Smith's front room", venueAddress: "14 Park Road, B12 9QQ" });
    const refused = await post("/sessions", body);
    expectAsked(refused, ["Mrs Smith"]);
    expect(refused.text).not.toContain('name="venueAddressConfirmSafe"');
    expect(await sessions()).toBe(before);
    expect((await post("/sessions", { ...body, venueNameConfirmSafe: confirmValueIn(refused.text, "venueNameConfirmSafe") })).status).toBe(303);
    expect(await sessions()).toBe(before + 1);
  });

  it("saves a plain title, venue and address straight away", async () => {
    const before = await sessions();
    const res = await post("/sessions", sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }, { title: "Listening session on the phone line", venueAddress: "14 Park Road, B12 9QQ" }));
    expect(res.status).toBe(303);
    expect(await sessions()).toBe(before + 1);
  });
});

describe("a session planned step by step", () => {
  const [day, month, year] = futureDate(20);
  const WHEN = { "startDate[day]": String(day), "startDate[month]": String(month), "startDate[year]": String(year), startTime: "10:00", endTime: "12:00", online: "no", venueName: "The Hope cafe", venueAddress: "", venueAccessibility: "" };
  async function startDraft(extra: Record<string, unknown> = {}) {
    const res = await post("/sessions/drafts", { formId: crypto.randomUUID(), start: "steps", groupId, ...extra });
    expect(res.status).toBe(303);
    return res.headers.location!.split("/").pop()!;
  }
  async function saveSection(id: string, key: string, body: Record<string, unknown>, action = "continue") {
    const page = await manager.agent.get(`/sessions/drafts/${id}/${key}`);
    return post(`/sessions/drafts/${id}/${key}`, { version: versionIn(page.text), action, ...body });
  }
  const title = async (id: string) => ((await ctx.prisma.sessionDraft.findUniqueOrThrow({ where: { id } })).data as { values: { title?: string } }).values.title;
  async function completeOthers(id: string) {
    for (const [key, body] of [
      ["when-and-where", WHEN], ["facilitators", { facilitatorIds: [a.facilitator.id] }],
      ["ground-rules", { practicePresence: "NONE", groundRules: "Listen", confidentiality: "Nobody is named" }], ["access", {}],
    ] as const) expect((await saveSection(id, key, body)).status).toBe(303);
  }
  const schedule = async (id: string) => post(`/sessions/drafts/${id}/schedule`, { version: versionIn((await manager.agent.get(`/sessions/drafts/${id}/check`)).text) });

  it("asks at the title's section: nothing saved, input kept; confirmed, it is kept with the draft and the session scheduled once", async () => {
    const id = await startDraft();
    const refused = await saveSection(id, "group", { groupId, title: RISKY, purpose: "" });
    expectAsked(refused, ["Mrs Fatima", "07700 900123"]);
    expect(refused.text).toContain(`value="${RISKY}"`);
    expect(await title(id)).toBeUndefined();
    const ok = await saveSection(id, "group", { groupId, title: RISKY, purpose: "", titleConfirmSafe: confirmValueIn(refused.text, "titleConfirmSafe") });
    expect(ok.status).toBe(303);
    expect(await title(id)).toBe(RISKY);
    await completeOthers(id);
    const [before, cBefore] = [await sessions(), await confirmations()];
    const res = await schedule(id);
    expect(res.status, res.text.slice(0, 300)).toBe(303);
    expect(await sessions()).toBe(before + 1);
    expect(await ctx.prisma.communitySession.count({ where: { practiceId: a.practice.id, title: RISKY } })).toBeGreaterThanOrEqual(1);
    expect(await confirmations()).toBe(cBefore + 1);
  });

  it("refuses to schedule a draft whose title was never confirmed (saved for later), pointing at its section; nothing created", async () => {
    const id = await startDraft();
    expect((await saveSection(id, "group", { groupId, title: RISKY, purpose: "" }, "later")).status).toBe(303);
    // Its section completed without the confirmation (as the one-page form's "Save and finish later" can leave it).
    const row = await ctx.prisma.sessionDraft.findUniqueOrThrow({ where: { id } });
    const data = row.data as { values: Record<string, unknown>; visited: string[] };
    await ctx.prisma.sessionDraft.update({ where: { id }, data: { data: { ...data, visited: ["group"] } as object } });
    await completeOthers(id);
    const [before, mBefore] = [await sessions(), await mails()];
    const res = await schedule(id);
    expect(res.status).toBe(400);
    expect(res.text).toContain("The title may identify someone");
    expect(res.text).toContain("#section-group");
    expect([await sessions(), await mails()]).toEqual([before, mBefore]);
    expect(await ctx.prisma.sessionDraft.count({ where: { id } })).toBe(1);
    // The section's page shows what to confirm.
    const page = await manager.agent.get(`/sessions/drafts/${id}/group`);
    expect(page.text).toContain('<mark class="app-highlight">Mrs Fatima');
    const token = confirmValueIn(page.text, "titleConfirmSafe");
    expect((await saveSection(id, "group", { groupId, title: RISKY, purpose: "", titleConfirmSafe: token })).status).toBe(303);
    expect((await schedule(id)).status).toBe(303);
    expect(await sessions()).toBe(before + 1);
  });

  it("saves a plain title straight away", async () => {
    const id = await startDraft();
    expect((await saveSection(id, "group", { groupId, title: "Listening session", purpose: "" })).status).toBe(303);
    expect(await title(id)).toBe("Listening session");
  });
});

describe("a session changed section by section", () => {
  async function scheduled() {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 20 * 864e5), facilitatorIds: [a.facilitator.id], title: "Listening session" });
    const page = await manager.agent.get(`/sessions/${s.id}/edit/group`);
    expect(page.status).toBe(200);
    const body = sectionBody(sessionForm({ groupId, facilitatorIds: [a.facilitator.id] }), "group", { version: versionIn(page.text) });
    return { id: s.id, url: `/sessions/${s.id}/edit/group`, body };
  }
  const titleOf = async (id: string) => (await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id } })).title;

  it("asks about an identifying title: not saved, nobody e-mailed, input kept; saved once after confirming", async () => {
    const s = await scheduled();
    const mBefore = await mails();
    const refused = await post(s.url, { ...s.body, title: RISKY });
    expectAsked(refused, ["Mrs Fatima", "07700 900123"]);
    expect(refused.text).toContain(`value="${RISKY}"`);
    expect(await titleOf(s.id)).toBe("Listening session");
    expect(await mails()).toBe(mBefore);
    const cBefore = await confirmations();
    const ok = await post(s.url, { ...s.body, title: RISKY, titleConfirmSafe: confirmValueIn(refused.text, "titleConfirmSafe") });
    expect(ok.status).toBe(303);
    expect(await titleOf(s.id)).toBe(RISKY);
    expect(await confirmations()).toBe(cBefore + 1);
    expect(await mails()).toBeGreaterThan(mBefore); // the facilitator is told, as for any change
  });

  it("shows the page's other errors with the question, all at once", async () => {
    const s = await scheduled();
    const res = await post(s.url, { ...s.body, title: RISKY, groupId: "" });
    expectAsked(res, ["Mrs Fatima"]);
    expect(res.text).toContain("The title may identify someone");
    expect(res.text).toMatch(/Select (a|the) (community )?group/i);
    expect(await titleOf(s.id)).toBe("Listening session");
  });

  it("asks about a venue name naming someone on the when-and-where page", async () => {
    const s = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 25 * 864e5), facilitatorIds: [a.facilitator.id] });
    const page = await manager.agent.get(`/sessions/${s.id}/edit/when-and-where`);
    const body = sectionBody(sessionForm({ groupId, facilitatorIds: [a.facilitator.id], date: futureDate(25) }), "when-and-where", { version: versionIn(page.text), venueName: "Mr Ivanov's flat" });
    const refused = await post(`/sessions/${s.id}/edit/when-and-where`, body);
    expectAsked(refused, ["Mr Ivanov"]);
    expect((await ctx.prisma.communitySession.findUniqueOrThrow({ where: { id: s.id } })).venueName).toBe("Hall");
  });

  it("saves a plain title straight away, and does not ask again about a title it keeps", async () => {
    const s = await scheduled();
    expect((await post(s.url, { ...s.body, title: "Listening session, part two" })).status).toBe(303);
    expect(await titleOf(s.id)).toBe("Listening session, part two");
    // A title saved before this check: changing the purpose alone is not held up by it.
    await ctx.prisma.communitySession.update({ where: { id: s.id }, data: { title: RISKY } });
    const page = await manager.agent.get(s.url);
    expect((await post(s.url, { ...s.body, version: versionIn(page.text), title: RISKY, purpose: "New purpose" })).status).toBe(303);
  });
});
