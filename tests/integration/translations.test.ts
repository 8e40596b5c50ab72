// Translations (issue 18): a group's reading languages, person-written translations of public
// responses (checked, escaped, append-only, audited), shown in the visitor's language on the
// public board, idea pages, the group board and the poster, and the staff list of what is missing.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, csrfTokenIn, signInAs, type Agent, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { confirmValueIn } from "../helpers/outcomes.js";
import { createIdea } from "../helpers/public.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";

let ctx: TestContext;
let a: PracticeFixture;
let b: PracticeFixture;
let manager: Agent;
let viewer: Agent;
let groupId: string;
let groupToken: string;
const ids = {} as Record<"pub" | "grp" | "po" | "r1" | "r2" | "r3" | "r4" | "bIdea" | "bResponse", string>;
const ARABIC = "سنحجز مترجمين لمواعيد يوم الاثنين <script>alert(1)</script>";

beforeAll(async () => {
  ctx = await createTestContext();
  a = await createPracticeWithStaff(ctx.prisma, "Translate A");
  b = await createPracticeWithStaff(ctx.prisma, "Translate B");
  const p = a.practice.id;
  const themeId = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p } })).id;
  const group = await makeGroup(ctx.prisma, p, { name: "Arabic-speaking women", languages: ["Arabic"] });
  groupId = group.id;
  groupToken = group.linkToken;
  const s = await makeSession(ctx.prisma, p, group.id, { startsAt: new Date(Date.now() - 20 * 864e5), status: "HELD" });
  const base = { practiceId: p, groupId, themeId, sessionId: s.id };
  const pub = await createIdea(ctx.prisma, { ...base, text: "Interpreters on Mondays", consent: "PUBLIC", published: true,
    responses: [{ status: "PLANNED", text: "We will book interpreters for Mondays", daysAgo: 3 }, { status: "PLANNED", text: "Private staff note", isPublic: false, daysAgo: 2 }] });
  const grp = await createIdea(ctx.prisma, { ...base, text: "A quiet room", consent: "GROUP_ONLY", responses: [{ status: "DONE", text: "Room 3 is a quiet room now", daysAgo: 2 }] });
  const po = await createIdea(ctx.prisma, { ...base, text: "Practice only", consent: "PRACTICE_ONLY", responses: [{ status: "DONE", text: "Practice only answer", daysAgo: 2 }] });
  const rs = await ctx.prisma.response.findMany({ where: { practiceId: p }, orderBy: { createdAt: "asc" } });
  Object.assign(ids, {
    pub: pub.id, grp: grp.id, po: po.id,
    r1: rs.find((r) => r.text.startsWith("We will book"))!.id, r4: rs.find((r) => r.text === "Private staff note")!.id,
    r2: rs.find((r) => r.text.startsWith("Room 3"))!.id, r3: rs.find((r) => r.text === "Practice only answer")!.id,
  });
  const bTheme = (await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } })).id;
  const bGroup = await makeGroup(ctx.prisma, b.practice.id);
  const bS = await makeSession(ctx.prisma, b.practice.id, bGroup.id, { startsAt: new Date(Date.now() - 20 * 864e5), status: "HELD" });
  const bIdea = await createIdea(ctx.prisma, { practiceId: b.practice.id, groupId: bGroup.id, themeId: bTheme, sessionId: bS.id, text: "B", consent: "PUBLIC", published: true, responses: [{ status: "DONE", text: "B answer" }] });
  ids.bIdea = bIdea.id;
  ids.bResponse = (await ctx.prisma.response.findFirstOrThrow({ where: { ideaId: bIdea.id } })).id;
  manager = (await signInAs(ctx.app, a.manager.email, a.manager.password)).agent;
  viewer = (await signInAs(ctx.app, a.viewer.email, a.viewer.password)).agent;
});
afterAll(() => ctx?.close());

const formUrl = (ideaId: string, responseId: string) => `/ideas/${ideaId}/responses/${responseId}/translations`;
async function openForm(ideaId: string, responseId: string) {
  const res = await manager.get(formUrl(ideaId, responseId));
  expect(res.status).toBe(200);
  return { csrf: csrfTokenIn(res.text), formId: res.text.match(/name="formId" value="([^"]+)"/)![1]! };
}

describe("a group's reading languages", () => {
  it("refuses a language not on the list, changing nothing, and saves the choice with an audit row", async () => {
    const page = await manager.get(`/groups/${groupId}/languages`);
    expect(page.status).toBe(200);
    const csrf = csrfTokenIn(page.text);
    const bad = await manager.post(`/groups/${groupId}/languages`).type("form").send({ _csrf: csrf, readingLanguages: ["ar", "xx"] });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Select languages from the list");
    expect((await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: groupId } })).readingLanguages).toEqual([]);
    const ok = await manager.post(`/groups/${groupId}/languages`).type("form").send({ _csrf: csrf, readingLanguages: "ar" });
    expect(ok.status).toBe(303);
    expect((await ctx.prisma.communityGroup.findUniqueOrThrow({ where: { id: groupId } })).readingLanguages).toEqual(["ar"]);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "group.reading-languages", entityId: groupId } })).toBe(1);
  });

  it("lists the public and group-visible responses lacking an Arabic translation, with a count on the dashboard", async () => {
    const list = await viewer.get("/translations");
    expect(list.status).toBe(200);
    expect(list.text).toContain("We will book interpreters for Mondays");
    expect(list.text).toContain("Room 3 is a quiet room now");
    expect(list.text).toContain("Arabic (العربية)"); // staff pages name the language in English too
    expect(list.text).toContain('<table class="nhsuk-table-responsive app-translations-table">'); // five columns: stacked at 320 px, long words wrap in their cells
    expect(list.text).not.toContain("Private staff note");
    expect(list.text).not.toContain("Practice only answer");
    expect((await manager.get("/dashboard")).text).toMatch(/2 translations are missing/);
  });
});

describe("adding a translation", () => {
  it("is refused for a staff-only response, a practice-only idea, another practice's response, and to a viewer", async () => {
    expect((await manager.get(formUrl(ids.pub, ids.r4))).status).toBe(404);
    expect((await manager.get(formUrl(ids.po, ids.r3))).status).toBe(404);
    expect((await manager.get(formUrl(ids.bIdea, ids.bResponse))).status).toBe(404);
    expect((await manager.get(formUrl(ids.grp, ids.r1))).status).toBe(404); // response of another idea
    expect((await viewer.get(formUrl(ids.pub, ids.r1))).status).toBe(403);
    const csrf = csrfTokenIn((await manager.get("/dashboard")).text);
    expect((await manager.post(formUrl(ids.po, ids.r3)).type("form").send({ _csrf: csrf, language: "ar", text: "x", role: "PRACTICE" })).status).toBe(404);
    expect(await ctx.prisma.responseTranslation.count()).toBe(0);
  });

  it("shows errors with the input kept and saves nothing for bad input", async () => {
    const { csrf, formId } = await openForm(ids.pub, ids.r1);
    const res = await manager.post(formUrl(ids.pub, ids.r1)).type("form").send({ _csrf: csrf, formId, language: "fr", text: "  ", role: "ROBOT" });
    expect(res.status).toBe(400);
    for (const m of ["Select the language of the translation", "Enter the translation", "Select who wrote the translation"]) expect(res.text).toContain(m);
    expect(res.text).toContain("nhsuk-error-summary");
    expect(await ctx.prisma.responseTranslation.count()).toBe(0);
  });

  it("checks the translation for identifying details, and saves a confirmed one once", async () => {
    const { csrf, formId } = await openForm(ids.grp, ids.r2);
    const risky = "اتصلوا بالسيدة على 07700 900123";
    const body = { _csrf: csrf, formId, language: "ar", text: risky, role: "PARTNER" };
    const refused = await manager.post(formUrl(ids.grp, ids.r2)).type("form").send(body);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("may identify someone");
    expect(await ctx.prisma.responseTranslation.count()).toBe(0);
    const token = confirmValueIn(refused.text, "textConfirmSafe");
    const ok = await manager.post(formUrl(ids.grp, ids.r2)).type("form").send({ ...body, textConfirmSafe: token });
    expect(ok.status).toBe(303);
    const again = await manager.post(formUrl(ids.grp, ids.r2)).type("form").send({ ...body, textConfirmSafe: token });
    expect(again.status).toBe(303);
    expect(await ctx.prisma.responseTranslation.count({ where: { responseId: ids.r2 } })).toBe(1);
    expect(await ctx.prisma.auditEvent.count({ where: { action: "translation.create" } })).toBe(1);
    const audit = await ctx.prisma.auditEvent.findFirstOrThrow({ where: { action: "translation.identifying-details-confirmed" } });
    expect(JSON.stringify(audit.details)).not.toContain("07700");
  });

  it("shows the translation in the visitor's chosen language on every public surface, escaped, marked, original one click away", async () => {
    const { csrf, formId } = await openForm(ids.pub, ids.r1);
    const ok = await manager.post(formUrl(ids.pub, ids.r1)).type("form").send({ _csrf: csrf, formId, language: "ar", text: ARABIC, role: "INTERPRETER" });
    expect(ok.status).toBe(303);
    const slug = a.practice.slug;
    const escaped = "سنحجز مترجمين لمواعيد يوم الاثنين &lt;script&gt;alert(1)&lt;/script&gt;";
    for (const url of [`/p/${slug}?lang=ar`, `/p/${slug}/ideas/${ids.pub}?lang=ar`, `/g/${groupToken}?lang=ar`]) {
      const page = await request(ctx.app).get(url);
      expect(page.status, url).toBe(200);
      // lang and dir on the paragraph itself: the translation is one unit in its own direction.
      expect(page.text, url).toContain(`app-translation" lang="ar" dir="rtl">${escaped}</p>`);
      expect(page.text, url).toContain("ترجمة مترجم");
      expect(page.text, url).toContain("اقرأ النص الأصلي");
      expect(page.text, url).toContain("We will book interpreters for Mondays");
      expect(page.text, url).not.toContain("<script>alert(1)");
    }
    const poster = await request(ctx.app).get(`/p/${slug}/poster?lang=ar`);
    expect(poster.text).toContain('<span lang="ar" dir="rtl">سنحجز');
    // In English and Ukrainian: the original, no translation.
    for (const lang of ["en", "uk"]) {
      const page = await request(ctx.app).get(`/p/${slug}?lang=${lang}`);
      expect(page.text).toContain("We will book interpreters for Mondays");
      expect(page.text).not.toContain("سنحجز");
    }
    // The GROUP_ONLY response's translation: on the group's board only.
    const group = await request(ctx.app).get(`/g/${groupToken}?lang=ar`);
    expect(group.text).toContain("اتصلوا بالسيدة");
    expect((await request(ctx.app).get(`/p/${slug}?lang=ar`)).text).not.toContain("اتصلوا بالسيدة");
    // Staff: the idea page lists the translation; nothing is missing any more.
    const idea = await manager.get(`/ideas/${ids.pub}`);
    expect(idea.text).toContain(`<span lang="ar" dir="rtl">${escaped}</span>`);
    expect((await manager.get("/translations")).text).toContain("Every response has a translation");
    // The dashboard says so, and where a group's languages are chosen (a group with none lists nothing).
    expect((await manager.get("/dashboard")).text).toContain('No response is waiting for a translation. A response is listed here when its group reads a language other than English: choose it under "Languages the group reads" on <a href="/groups">');
  });
});

describe("the translations CSV", () => {
  it("has every translation with its response, language and role, formulas neutralised", async () => {
    const now = new Date();
    const q = `from%5Bday%5D=1&from%5Bmonth%5D=1&from%5Byear%5D=${now.getUTCFullYear() - 1}&to%5Bday%5D=31&to%5Bmonth%5D=12&to%5Byear%5D=${now.getUTCFullYear()}`;
    const res = await manager.get(`/reports/translations.csv?${q}`).buffer(true).parse((r, cb) => {
      let s = "";
      r.on("data", (c: Buffer) => (s += c.toString("utf8")));
      r.on("end", () => cb(null, s));
    });
    expect(res.status).toBe(200);
    const text = res.body as string;
    expect(text).toContain('"Translation ID","Response ID","Idea ID"');
    expect(text).toContain("سنحجز مترجمين");
    expect(text).toContain("An interpreter");
    expect(text).toContain("The partner organisation");
    expect(text).toContain("We will book interpreters for Mondays");
    expect(text.trim().split(/\r?\n/)).toHaveLength(3);
  });
});

describe("the report-back sheet in the group's language", () => {
  it("shows each answer's translation with lang and dir, and says where there is none", async () => {
    const next = await makeSession(ctx.prisma, a.practice.id, groupId, { startsAt: new Date(Date.now() + 7 * 864e5), status: "SCHEDULED" });
    const sheet = await manager.get(`/sessions/${next.id}/report-back?lang=ar`);
    expect(sheet.status).toBe(200);
    expect(sheet.text).toContain('lang="ar" dir="rtl">سنحجز مترجمين');
    // The sheet itself is in Arabic, right to left (what the tester found in English): its heading, labels and who translated.
    expect(sheet.text).toContain('<div class="app-report-back-sheet" lang="ar" dir="rtl">');
    expect(sheet.text).toContain("ماذا حدث لأفكاركم");
    expect(sheet.text).toContain("قالت العيادة:");
    expect(sheet.text).toContain("ترجمة مترجم.");
    expect(sheet.text).not.toContain("What happened to your ideas");
    expect(sheet.text).not.toContain("The practice said:");
    // The notes for staff, which do not print, stay English and say so.
    expect(sheet.text).toContain('<p class="app-no-print" lang="en" dir="ltr">Print this page');
    const uk = await manager.get(`/sessions/${next.id}/report-back?lang=uk`);
    expect(uk.text).toContain("Що сталося з вашими ідеями");
    expect(uk.text).toContain("Ще не перекладено. Слова практики, як їх написано:");
    expect(uk.text).not.toContain("سنحجز");
    // Without a language: English, as before.
    const en = (await manager.get(`/sessions/${next.id}/report-back`)).text;
    expect(en).toContain("What happened to your ideas");
    expect(en).toContain("The practice said:");
    expect(en).not.toContain('<div class="app-report-back-sheet" lang=');
    // The briefing links to the sheet in each language the group reads (Arabic), not in the others.
    const briefing = (await manager.get(`/sessions/${next.id}`)).text;
    expect(briefing).toContain(`<a href="/sessions/${next.id}/report-back?lang=ar">The sheet with the answers in Arabic</a>`);
    expect(briefing).not.toContain(`/sessions/${next.id}/report-back?lang=uk`);
  });
});
