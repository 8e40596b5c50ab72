// The group answers back (issue 18), lean: the report-back sheet, a "not yet" verdict in the
// outcome, the idea back on the manager's list, an Arabic translation, and a phone visitor
// reading the board in Arabic, right to left; the response form of the reopened idea. axe on every new page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectNoAxeViolations, signInWithBrowser, startBrowserHarness, type BrowserHarness } from "../helpers/browser.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";

let h: BrowserHarness;
let f: PracticeFixture;
const SLOW = 90_000;

beforeAll(async () => {
  h = await startBrowserHarness();
  f = await createPracticeWithStaff(h.prisma, "Answers");
});
afterAll(() => h?.stop());

async function go(page: Page, url: string) {
  await page.goto(url);
  await page.waitForLoadState("load");
}

describe("the group answers back", () => {
  it("report-back sheet, not yet with the group's words, back on the list, a new public answer, this answers it at the next session, an Arabic translation, read right to left on a phone", async () => {
    const p = f.practice.id;
    const themeId = (await h.prisma.theme.findFirstOrThrow({ where: { practiceId: p } })).id;
    const group = await makeGroup(h.prisma, p, { name: "Arabic-speaking women", languages: ["Arabic"] });
    const first = await makeSession(h.prisma, p, group.id, { startsAt: new Date(Date.now() - 30 * 864e5), status: "HELD", facilitatorIds: [f.facilitator.id] });
    const idea = await createIdea(h.prisma, { practiceId: p, groupId: group.id, themeId, sessionId: first.id, text: "Interpreters for Monday appointments", consent: "PUBLIC", published: true, ageDays: 29,
      responses: [{ status: "PLANNED", text: "We will book interpreters from next month", daysAgo: 5, authorId: f.manager.id }] });
    const next = await makeSession(h.prisma, p, group.id, { startsAt: new Date(Date.now() - 3 * 3600e3), status: "SCHEDULED", facilitatorIds: [f.facilitator.id], title: "Next session" });

    // The facilitator prints the report-back sheet and records "not yet" in the outcome.
    const staff = await h.newContext();
    staff.setDefaultTimeout(SLOW);
    const page = await staff.newPage();
    await signInWithBrowser(page, f.facilitator.email, f.facilitator.password);
    await go(page, `/sessions/${next.id}/report-back`);
    await expect.poll(() => page.locator(".app-report-back__item").count()).toBe(1);
    expect(await page.locator("main").innerText()).toContain("We will book interpreters from next month");
    await expectNoAxeViolations(page);
    await go(page, `/sessions/${next.id}/outcome`);
    await page.getByLabel("How many people took part").fill("6");
    await page.locator(`#verdict-${idea.id}-kind-3`).check(); // Not yet, still a problem
    await page.locator(`#verdict-${idea.id}-words`).fill("Still no interpreter on Mondays");
    await expectNoAxeViolations(page);
    await Promise.all([page.waitForEvent("framenavigated"), page.getByRole("button", { name: "Save outcome" }).click()]);
    await page.waitForLoadState("load");
    expect(await page.locator("main").innerText()).toContain("Not yet, still a problem");
    await staff.close();

    // The manager sees it back on the list, sets the group's language and adds an Arabic translation.
    const mgr = await h.newContext();
    mgr.setDefaultTimeout(SLOW);
    const m = await mgr.newPage();
    await signInWithBrowser(m, f.manager.email, f.manager.password);
    expect(await m.locator("#reopened + p + ul").innerText()).toContain("Still no interpreter on Mondays");
    // The response form shows what the group said and the last answer; a staff-only answer is refused (nothing saved).
    await go(m, `/ideas/${idea.id}`);
    const said = await m.locator("#reopened-answer").innerText();
    expect(said).toContain("Still no interpreter on Mondays");
    expect(said).toContain("We will book interpreters from next month");
    await expectNoAxeViolations(m);
    await m.getByLabel("In progress").check();
    await m.getByLabel("Response", { exact: true }).fill("We are talking to the interpreting agency.");
    await m.getByLabel("No, staff only").check();
    await Promise.all([m.waitForEvent("framenavigated"), m.getByRole("button", { name: "Add response" }).click()]);
    await m.waitForLoadState("load");
    expect(await m.locator(".nhsuk-error-summary").innerText()).toContain("Make this response public");
    await expectNoAxeViolations(m);
    // The same answer in public, saying what changes: saved, and the idea leaves the list.
    await m.getByLabel("Response", { exact: true }).fill("We have booked a woman interpreter for every Monday from next week.");
    await m.getByLabel("Yes, public").check();
    await Promise.all([m.waitForEvent("framenavigated"), m.getByRole("button", { name: "Add response" }).click()]);
    await m.waitForLoadState("load");
    expect(await m.locator("main").innerText()).toContain("Response added");
    expect(await m.locator("#reopened-answer").count()).toBe(0);
    const answer = await h.prisma.response.findFirstOrThrow({ where: { ideaId: idea.id, isPublic: true }, orderBy: { createdAt: "desc" } });
    expect(answer.text).toContain("every Monday");
    await go(m, `/groups/${group.id}/languages`);
    await expectNoAxeViolations(m);
    await m.getByLabel("العربية").check();
    await Promise.all([m.waitForEvent("framenavigated"), m.getByRole("button", { name: "Save languages" }).click()]);
    await go(m, "/translations");
    await expectNoAxeViolations(m);
    await go(m, `/ideas/${idea.id}/responses/${answer.id}/translations`);
    await expectNoAxeViolations(m);
    await m.getByLabel(/^Arabic/).check();
    await m.getByLabel("The translation").fill("حجزنا مترجمة امرأة لكل يوم اثنين ابتداءً من الأسبوع القادم");
    await m.getByLabel("An interpreter").check();
    await Promise.all([m.waitForEvent("framenavigated"), m.getByRole("button", { name: "Save translation" }).click()]);
    await m.waitForLoadState("load");
    expect(m.url()).toMatch(new RegExp(`/ideas/${idea.id}(#.*)?$`));
    await mgr.close();

    // At the session after that, the group says the new answer addresses what it said.
    const third = await makeSession(h.prisma, p, group.id, { startsAt: new Date(Date.now() - 3600e3), status: "SCHEDULED", facilitatorIds: [f.facilitator.id], title: "Third session" });
    const again = await h.newContext();
    again.setDefaultTimeout(SLOW);
    const fp = await again.newPage();
    await signInWithBrowser(fp, f.facilitator.email, f.facilitator.password);
    await go(fp, `/sessions/${third.id}/report-back`);
    expect(await fp.locator("main").innerText()).toContain("every Monday");
    await go(fp, `/sessions/${third.id}/outcome`);
    await fp.getByLabel("How many people took part").fill("5");
    await fp.locator(`#verdict-${idea.id}-kind`).check(); // This answers what we said
    await Promise.all([fp.waitForEvent("framenavigated"), fp.getByRole("button", { name: "Save outcome" }).click()]);
    await fp.waitForLoadState("load");
    expect(await fp.locator("main").innerText()).toMatch(/This answers what we said/i);
    await again.close();

    // An anonymous visitor on a phone, in Arabic.
    const phone = await h.newContext({ width: 375, height: 667, locale: "ar" });
    const v = await phone.newPage();
    await go(v, `/p/${f.practice.slug}?lang=ar`);
    expect(await v.locator("html").getAttribute("dir")).toBe("rtl");
    const translated = v.locator(".app-translation").first();
    expect(await translated.getAttribute("lang")).toBe("ar");
    expect(await translated.getAttribute("dir")).toBe("rtl");
    expect(await translated.innerText()).toContain("حجزنا مترجمة امرأة");
    expect(await v.locator(".app-verdict-said").first().innerText()).toContain("هذا يجيب عمّا قلناه");
    await expectNoAxeViolations(v);
    // The original, one click away.
    await v.locator(".app-translation__original summary").first().click();
    expect(await v.locator(".app-translation__original").first().innerText()).toContain("We have booked a woman interpreter for every Monday");
    await phone.close();
  }, 240_000);
});
