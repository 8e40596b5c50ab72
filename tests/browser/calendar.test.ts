// The calendar across groups: the month view (a table on wide screens, a list
// at 320 px) and the gaps per group, with axe at both widths. Lean on purpose.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, signInWithBrowser, startBrowserHarness, type BrowserHarness } from "../helpers/browser.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";
import { AppPage } from "../helpers/pages/app-page.js";
import { startOfLondonDay } from "../../src/lib/dates.js";
import { awayFromLondonMidnight } from "../helpers/clock.js";

let h: BrowserHarness;
let f: PracticeFixture;
const DAY = 864e5;

beforeAll(async () => {
  // "Today" in the fixtures must still be today when the page loads.
  await awayFromLondonMidnight();
  h = await startBrowserHarness();
  f = await createPracticeWithStaff(h.prisma, "Calendar browser practice");
  const quiet = await makeGroup(h.prisma, f.practice.id, { name: "Quiet group" });
  const busy = await makeGroup(h.prisma, f.practice.id, { name: "Busy group" });
  await h.prisma.communityGroup.updateMany({ where: { id: { in: [quiet.id, busy.id] } }, data: { createdAt: new Date(Date.now() - 365 * DAY) } });
  await makeSession(h.prisma, f.practice.id, quiet.id, { startsAt: new Date(Date.now() - 150 * DAY), status: "HELD", title: "Long ago" });
  const today = startOfLondonDay(new Date());
  await makeSession(h.prisma, f.practice.id, busy.id, { startsAt: new Date(today.getTime() + 3600e3), endsAt: new Date(today.getTime() + 2 * 3600e3), status: "HELD", title: "Earlier today", facilitatorIds: [f.facilitator.id] });
  await makeSession(h.prisma, f.practice.id, busy.id, { startsAt: new Date(today.getTime() + 21 * 3600e3), endsAt: new Date(today.getTime() + 22 * 3600e3), status: "SCHEDULED", title: "Later today" });
  await makeSession(h.prisma, f.practice.id, busy.id, { startsAt: new Date(Date.now() + 40 * DAY), status: "CANCELLED", title: "Next month, cancelled" });
});
afterAll(() => h?.stop());

describe("the calendar", () => {
  it("shows the month as a table on a desktop and as a list at 320 px, with gaps, and no accessibility violations", async () => {
    const desktop = await h.newContext({ width: 1024, height: 900 });
    const page = await desktop.newPage();
    await signInWithBrowser(page, f.manager.email, f.manager.password);
    // The extra menu item still leaves every item in the bar at 1024 px (none folds into "More").
    for (const name of ["Calendar", "Users", "Reports"]) expect(await page.getByRole("link", { name, exact: true }).isVisible(), name).toBe(true);
    await page.getByRole("link", { name: "Calendar", exact: true }).click();
    await page.waitForURL(/\/calendar$/);
    const table = page.getByRole("table", { name: /sessions?$/ });
    await expect.poll(() => table.isVisible()).toBe(true);
    expect(await page.locator(".app-calendar-list").isVisible()).toBe(false);
    const today = page.locator('td[aria-current="date"]');
    expect(await today.textContent()).toContain("Today");
    expect(await today.getByRole("link").allTextContents()).toEqual(["Earlier today", "Later today"]);
    expect(await page.locator("#gaps + p + table").getByRole("row", { name: /Quiet group/ }).textContent()).toContain("Not met for over 3 months");
    await expectNoAxeViolations(page);

    // Next month with the keyboard.
    await page.getByRole("link", { name: /^Next month/ }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/month=\d{4}-\d{2}/);
    await expectNoAxeViolations(page);

    // The feed page, with a new address shown once.
    await page.getByRole("link", { name: /Get this calendar/ }).click();
    await page.getByRole("button", { name: /^Turn on this feed: your sessions/ }).click();
    expect(await page.getByLabel("Calendar address").inputValue()).toMatch(/\/calendar\/feed\/[A-Za-z0-9_-]{43}\.ics$/);
    await expectNoAxeViolations(page);
    await desktop.close();

    const phone = await h.newContext({ width: 320, height: 640 });
    const small = await phone.newPage();
    await signInWithBrowser(small, f.manager.email, f.manager.password);
    await small.goto("/calendar");
    expect(await small.locator("table.app-calendar").isVisible()).toBe(false);
    const list = small.locator(".app-calendar-list");
    expect(await list.isVisible()).toBe(true);
    expect(await list.getByRole("link").allTextContents()).toContain("Later today");
    // Nothing wider than the screen.
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectNoAxeViolations(small);
    await small.goto("/groups");
    expect(await small.getByText("Not met for over 3 months").first().isVisible()).toBe(true);
    await expectNoAxeViolations(small);
    await phone.close();
  }, 60_000);

  it("moves the Tab key through the month links in the order they are seen, on a phone and on a desktop", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await signInWithBrowser(page, f.manager.email, f.manager.password);
    // Another month than this one, so "This month" is offered too.
    const next = new Date();
    next.setUTCDate(15);
    next.setUTCMonth(next.getUTCMonth() + 1);
    await page.goto(`/calendar?month=${next.toISOString().slice(0, 7)}`);
    const months = page.getByRole("navigation", { name: "Months" });
    expect(await months.getByRole("link").count()).toBe(3);
    const calendar = new AppPage(page);
    await calendar.expectTabOrderIsVisualOrder(months);
    await calendar.expectNoSidewaysScroll();
    await page.setViewportSize({ width: 1024, height: 900 });
    await calendar.expectTabOrderIsVisualOrder(months);
    await context.close();
  }, 120_000);
});
