import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { expectNoAxeViolations, signInWithBrowser, startBrowserHarness, type BrowserHarness } from "../helpers/browser.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";

let h: BrowserHarness;
let f: PracticeFixture;

beforeAll(async () => {
  h = await startBrowserHarness();
  f = await createPracticeWithStaff(h.prisma);
});
afterAll(() => h?.stop());

/** Generous waits: the test machine is shared, and under load a sign-in alone can take many seconds. */
const SLOW = 90_000;

/** Clicks a submit button and waits for the page it leads to (the same URL, after post/redirect/get). */
async function submitWith(page: Page, button: Locator) {
  await Promise.all([page.waitForEvent("framenavigated"), button.click()]);
  await page.waitForLoadState("load");
}

describe("logging a session's outcome", () => {
  it("a facilitator logs three ideas, the check catches a phone number, they fix it and save; a manager then sees the ideas", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const themes = await h.prisma.theme.findMany({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
    const context = await h.newContext();
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await signInWithBrowser(page, f.facilitator.email, f.facilitator.password);
    // The dashboard lists the session as waiting for its outcome.
    await page.getByRole("link", { name: /Log the outcome of Test session/ }).click();
    await page.waitForURL(`**/sessions/${session.id}/outcome`);
    await expectNoAxeViolations(page);

    await page.getByLabel("How many people took part").fill("7");
    await page.getByLabel("Themes discussed").fill("Getting appointments, interpreters");
    await page.getByLabel(/How did the session feel/).fill("Good: the community centre felt safe");
    await page.getByLabel(/Your private reflections/).fill("Two people left early");

    const fill = async (i: number, text: string, consentItem: string) => {
      await page.locator(`#ideas-${i}-text`).fill(text);
      await page.locator(`#ideas-${i}-themeId`).selectOption(themes[i]!.id);
      await page.locator(`#ideas-${i}-support`).fill(String(3 + i));
      await page.locator(`#${consentItem}`).check();
    };
    await fill(0, "Let us book an interpreter when we book the appointment", "ideas-0-consent");
    // With JavaScript, "Add another idea" adds the fields in the page (no round trip).
    const requests: string[] = [];
    page.on("request", (r) => r.method() === "POST" && requests.push(r.url()));
    await page.getByRole("button", { name: "Add another idea" }).click();
    await expect.poll(() => page.locator("#ideas-1-text").count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("ideas-1-text");
    await fill(1, "Text us on 07700 900123 when the doctor is running late", "ideas-1-consent-2");
    await page.getByRole("button", { name: "Add another idea" }).click();
    await page.getByRole("button", { name: "Add another idea" }).click();
    await fill(2, "This one will be removed", "ideas-2-consent");
    await fill(3, "A quiet place to wait for people who find the waiting room hard", "ideas-3-consent-3");
    await page.getByRole("button", { name: "Remove idea 3" }).click();
    expect(await page.locator("[data-idea]").count()).toBe(3);
    // The last idea was renumbered: it now posts as ideas[2].
    expect(await page.locator("#ideas-2-text").inputValue()).toBe("A quiet place to wait for people who find the waiting room hard");
    expect(requests).toEqual([]);
    await expectNoAxeViolations(page);

    await submitWith(page, page.getByRole("button", { name: "Save outcome" }));
    // The check catches the phone number: the form comes back with it highlighted.
    await expect(page.title()).resolves.toMatch(/^Error: /);
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("Idea 2 may identify someone: it contains a phone number");
    expect(await page.locator("#ideas-1-confirm-check mark.app-highlight").textContent()).toContain("07700 900123");
    expect(await page.locator("#ideas-2-consent-3").isChecked()).toBe(true);
    expect(await h.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
    await expectNoAxeViolations(page);

    // The facilitator edits the text instead of confirming.
    await page.locator("#ideas-1-text").fill("Text us when the doctor is running late");
    await submitWith(page, page.getByRole("button", { name: "Save outcome" }));
    // The saved outcome, read-only. (Its flash banner is checked in the integration tests: a browser's
    // favicon request can take the flash first, see the test below.)
    expect(await page.getByRole("heading", { name: "Ideas from this session" }).count()).toBe(1);
    expect(await page.locator("#ideas-0-text").count()).toBe(0);
    await expectNoAxeViolations(page);
    await context.close();

    const ideas = await h.prisma.idea.findMany({ where: { sessionId: session.id }, orderBy: { position: "asc" }, include: { theme: true } });
    expect(ideas.map((i) => [i.text, i.consent, i.support, i.status])).toEqual([
      ["Let us book an interpreter when we book the appointment", "PUBLIC", 3, "RECEIVED"],
      ["Text us when the doctor is running late", "GROUP_ONLY", 4, "RECEIVED"],
      ["A quiet place to wait for people who find the waiting room hard", "PRACTICE_ONLY", 6, "RECEIVED"],
    ]);
    expect((await h.prisma.communitySession.findUniqueOrThrow({ where: { id: session.id } })).status).toBe("HELD");

    // A manager sees the ideas in /ideas, and on the session's outcome page.
    const managerContext = await h.newContext();
    managerContext.setDefaultTimeout(SLOW);
    const mp = await managerContext.newPage();
    await signInWithBrowser(mp, f.manager.email, f.manager.password);
    await mp.goto(`/ideas?session=${session.id}`);
    const inList = await mp.locator("main").textContent();
    for (const i of ideas) expect(inList).toContain(i.text);
    await expectNoAxeViolations(mp);
    await mp.goto(`/sessions/${session.id}/outcome`);
    const listed = await mp.locator("ol li a").allTextContents();
    expect(listed).toEqual(ideas.map((i) => i.text));
    expect(await mp.getByLabel(/Your private reflections/).inputValue()).toBe("Two people left early");
    await expectNoAxeViolations(mp);
    await managerContext.close();
  }, 300_000);

  // With JavaScript disabled, playwright cannot run scripts in the page (so neither axe nor a layout probe):
  // the same page is checked with axe above, and at 320 px below.
  it("adds and removes ideas without JavaScript", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const context = await h.browser.newContext({ baseURL: h.baseUrl, javaScriptEnabled: false });
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await signInWithBrowser(page, f.facilitator.email, f.facilitator.password);
    await page.goto(`/sessions/${session.id}/outcome`);
    await page.locator("#ideas-0-text").fill("Kept across the round trip");
    await submitWith(page, page.getByRole("button", { name: "Add another idea" }));
    expect(await page.locator("#ideas-0-text").inputValue()).toBe("Kept across the round trip");
    expect(await page.locator("#ideas-1-text").count()).toBe(1);
    await submitWith(page, page.getByRole("button", { name: "Remove idea 1" }));
    expect(await page.locator("[data-idea]").count()).toBe(1);
    expect(await page.locator("#ideas-0-text").inputValue()).toBe("");
    await submitWith(page, page.getByRole("button", { name: "Save as draft" }).first());
    // (Not the flash banner: the layout's favicon link points at a missing file, and the browser's favicon
    // request can take the flash first. Integration tests check the flash; here, the page shows the draft.)
    expect(await page.locator(".nhsuk-inset-text").first().textContent()).toContain("This is a draft, last saved");
    expect(await h.prisma.sessionOutcome.count({ where: { sessionId: session.id, isDraft: true } })).toBe(1);
    await context.close();
  }, 240_000);

  it("autosaves the draft as the facilitator types, and the text survives an expired session cookie", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const context = await h.newContext();
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await signInWithBrowser(page, f.facilitator.email, f.facilitator.password);
    const url = `/sessions/${session.id}/outcome`;
    await page.goto(url);
    await page.locator("#ideas-0-text").fill("A quiet room to wait in, typed and never saved by hand");
    // The polite status says when (London time), within a few seconds.
    const status = page.locator("[data-autosave-status]");
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/^Draft saved at \d{1,2}:\d{2}(am|pm)$/);
    expect(await page.locator("[data-draft-version]").inputValue()).toBe("1");
    await expectNoAxeViolations(page);
    expect(await h.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
    // The cookie expires and the server forgets the session (the idle timeout).
    await context.clearCookies({ name: "ppg.sid" });
    await h.prisma.$executeRawUnsafe(`delete from http_session where sess::jsonb->>'userId' = $1`, f.facilitator.id);
    await page.reload();
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel("Email address").fill(f.facilitator.email);
    await page.getByLabel("Password").fill(f.facilitator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((u) => u.pathname === url);
    expect(await page.locator("#ideas-0-text").inputValue()).toBe("A quiet room to wait in, typed and never saved by hand");
    expect(await page.locator(".nhsuk-inset-text").first().textContent()).toContain("This is a draft, last saved");
    await context.close();
  }, 240_000);

  it("fits a 320 px wide screen", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const context = await h.newContext({ width: 320, height: 640 });
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await signInWithBrowser(page, f.facilitator.email, f.facilitator.password);
    await page.goto(`/sessions/${session.id}/outcome`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await expectNoAxeViolations(page);
    await context.close();
  }, 240_000);
});

describe("themes", () => {
  it("a manager reorders and retires themes (plain forms, no script needed)", async () => {
    const context = await h.newContext();
    context.setDefaultTimeout(SLOW);
    const page = await context.newPage();
    await signInWithBrowser(page, f.manager.email, f.manager.password);
    await page.goto("/themes");
    await expectNoAxeViolations(page);
    await submitWith(page, page.getByRole("button", { name: "Move down Access and appointments" }));
    const first = await page.locator("tbody tr").first().textContent();
    expect(first).toContain("Communication and information");
    await submitWith(page, page.getByRole("button", { name: "Retire Digital services" }));
    expect(await page.locator("tr", { hasText: "Digital services" }).getByRole("button", { name: "Bring back Digital services" }).count()).toBe(1);
    await expectNoAxeViolations(page);
    await context.close();
  }, 240_000);
});
