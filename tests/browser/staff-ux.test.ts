// Issue #17, staff side, in Chromium: each page touched passes axe and fits
// 320 px; typed work survives the browser dropping an expired cookie.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { SessionFormPage } from "../helpers/pages/session-form.js";
import { expectNoAxeViolations, signInWithBrowser, withBrowser } from "../helpers/browser.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { makeSession } from "../helpers/sessions.js";

const { h, a: f } = withBrowser({ practices: ["Staff UX browser"] });
const SLOW = 90_000;
/** Screenshots for a person to look at, when SCREENSHOTS=<folder> is set. */
const SHOTS = process.env.SCREENSHOTS;


async function signedIn(email: string, password: string, width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.newContext({ width, height: width < 400 ? 640 : 800 });
  context.setDefaultTimeout(SLOW);
  const page = await context.newPage();
  await signInWithBrowser(page, email, password);
  return { context, page };
}

/** axe, no sideways scrolling, and a screenshot when asked. */
async function check(page: Page, url: string, name: string, width: number) {
  if (url) await page.goto(url);
  await expectNoAxeViolations(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${name} at ${width}px`).toBeLessThanOrEqual(0);
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, fullPage: true });
  }
}

describe("pages touched for issue #17, at 320 px and on a desktop", () => {
  for (const width of [320, 1024]) {
    it(`pass axe and fit at ${width} px`, async () => {
      const { group, session: held } = await createGroupAndSession(h.prisma, f, { status: "HELD" });
      await h.prisma.sessionOutcome.create({ data: { practiceId: f.practice.id, sessionId: held.id, isDraft: false, attendanceCount: 6 } });
      const theme = await h.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
      const idea = await h.prisma.idea.create({
        data: { practiceId: f.practice.id, sessionId: held.id, groupId: group.id, themeId: theme.id, text: "Interpreters booked with the appointment, every time", support: 5, consent: "PUBLIC", dueAt: new Date(Date.now() + 864e5), publishedAt: new Date() },
      });
      const future = await makeSession(h.prisma, f.practice.id, group.id, { startsAt: new Date(Date.now() + 5 * 864e5), facilitatorIds: [f.facilitator.id], title: "Next listening session" });

      const { context, page } = await signedIn(f.manager.email, f.manager.password, width);
      await check(page, "/dashboard", "dashboard", width);
      expect(await page.getByRole("link", { name: "The practice's public board" }).getAttribute("href")).toBe(`/p/${f.practice.slug}`);
      await check(page, `/groups/${group.id}`, "group", width);
      expect(await page.getByRole("button", { name: "Plan a session" }).count() + (await page.getByRole("link", { name: "Plan a session" }).count())).toBeGreaterThan(0);
      await check(page, `/sessions/${future.id}`, "session-future", width);
      expect(await page.locator("#outcome").textContent()).toContain("You can log the outcome here once the session starts");
      await check(page, `/sessions/${held.id}`, "session-held", width);
      expect(await page.getByRole("link", { name: "See or change the outcome" }).count()).toBe(1);
      await check(page, `/ideas/${idea.id}`, "idea", width);
      await check(page, "/audit", "audit", width);
      expect(await page.locator("main").textContent()).toContain("signed in.");
      await check(page, "/ideas?sort=due", "ideas", width);
      expect(await page.locator("details.app-ideas-filters").getAttribute("open")).toBeNull();
      expect(await page.locator(".app-ideas-applied").textContent()).toContain("Sorted earliest due first.");
      await check(page, "/sessions/new", "session-form", width);

      // A time the clocks skip: refused with the error summary, input kept.
      await page.getByLabel("Community group").selectOption(group.id);
      await page.getByLabel("Title").fill("Early session");
      await page.getByLabel(/^MANAGER/).check();
      const form = new SessionFormPage(page);
      await form.fillWhen({ day: 28, month: 3, year: 2027, start: "1:30am", end: "3am" });
      await form.venueName().fill("Hall");
      await form.save();
      await page.waitForSelector(".nhsuk-error-summary");
      expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("Start time does not exist on 28 March 2027: the clocks go forward from 1am to 2am");
      expect(await page.getByLabel("Start time").inputValue()).toBe("1:30am");
      await check(page, "", "session-form-clocks-error", width);
      await context.close();
    }, 180_000);
  }
});

describe("the browser drops the expired session cookie while a facilitator types", () => {
  it("posting the outcome leads to sign in, then back to the form with the text kept as the draft (no idea saved)", async () => {
    const { session } = await createGroupAndSession(h.prisma, f, { status: "SCHEDULED" });
    const { context, page } = await signedIn(f.facilitator.email, f.facilitator.password, 320);
    await page.goto(`/sessions/${session.id}/outcome`);
    await page.getByLabel("How many people took part").fill("8");
    await page.getByLabel("Themes discussed").fill("Waiting times");
    await page.locator("#ideas-0-text").fill("A text message when the doctor is running late");
    // An hour passes: the cookie expires and the browser forgets it.
    await context.clearCookies();
    expect(await context.cookies()).toEqual([]);
    await page.getByRole("button", { name: "Save outcome" }).click();
    await page.waitForURL(/\/login\?next=.*restored=1/);
    expect(await page.locator("main").textContent()).toContain("what you typed will be put back");
    await check(page, "", "login-restored", 320);
    await page.getByLabel("Email address").fill(f.facilitator.email);
    await page.getByLabel("Password").fill(f.facilitator.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`**/sessions/${session.id}/outcome`);
    expect(await page.locator("#ideas-0-text").inputValue()).toBe("A text message when the doctor is running late");
    expect(await page.getByLabel("How many people took part").inputValue()).toBe("8");
    expect(await page.locator("main").textContent()).toContain("We have put back what you typed and saved it as a draft");
    await check(page, "", "outcome-restored", 320);
    expect(await h.prisma.idea.count({ where: { sessionId: session.id } })).toBe(0);
    expect(await h.prisma.sessionOutcome.findUnique({ where: { sessionId: session.id } })).toMatchObject({ isDraft: true, attendanceCount: 8 });

    // An expired cookie still in the jar behaves the same (the browser does not send it).
    await page.locator("#ideas-0-text").fill("Typed again");
    const cookies = await context.cookies();
    await context.clearCookies();
    await context.addCookies(cookies.map((c) => ({ ...c, expires: Math.floor(Date.now() / 1000) - 60 })));
    await page.getByRole("button", { name: "Save as draft" }).click();
    await page.waitForURL(/\/login\?next=.*restored=1/);
    await context.close();
  }, 180_000);
});
