import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, signInWithBrowser, withBrowser } from "../helpers/browser.js";
import { expectUrlsFitScreen } from "../helpers/pages/app-page.js";
import { ReportsPage } from "../helpers/pages/reports.js";
import { AWKWARD_TEXT, seedPractice, type SeededPractice } from "../helpers/reports.js";

const { h } = withBrowser({ practices: [] });
let a: SeededPractice;

beforeAll(async () => {
  a = await seedPractice(h.prisma, "Browser Practice");
});

describe("reports", () => {
  it("a manager opens /reports, changes the range, downloads a CSV that parses, and opens the evidence report", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, a.manager.password);
    await page.getByRole("link", { name: "Reports" }).click();
    await page.waitForURL(/\/reports$/);
    expect(await page.locator("h1").textContent()).toContain("Reports");
    expect(await page.locator('svg[role="img"].app-chart').count()).toBe(6);
    await expectNoAxeViolations(page);

    // Change the range to the calendar year 2025.
    const reports = new ReportsPage(page);
    await reports.showRange({ day: 1, month: 1, year: 2025 }, { day: 31, month: 12, year: 2025 });
    await page.waitForURL(/from%5Byear%5D=2025/);
    expect(await page.locator("h1").textContent()).toContain("1 January 2025 to 31 December 2025");
    expect(await page.locator("#deadline + p").textContent()).toContain("60%");
    await expectNoAxeViolations(page);

    // Download the ideas export for that range.
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Ideas with their latest response (CSV)" }).click()]);
    expect(download.suggestedFilename()).toBe("ideas-2025-01-01-to-2025-12-31.csv");
    const rows = parse(await readFile((await download.path())!), { columns: true, bom: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r["Idea ID"] === a.ideas.i1)!["Idea (participants' words)"]).toBe(AWKWARD_TEXT);

    // A reversed range: the error summary, linked to the field.
    await reports.showRange({ year: 2026 });
    await page.waitForURL(/from%5Byear%5D=2026/);
    await expect(page.title()).resolves.toMatch(/^Error: /);
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("End date must be the same as or after the start date");
    await expectNoAxeViolations(page);

    await page.goto(`/reports/evidence?from%5Bday%5D=1&from%5Bmonth%5D=1&from%5Byear%5D=2025&to%5Bday%5D=31&to%5Bmonth%5D=12&to%5Byear%5D=2025`);
    expect(await page.locator("h1").textContent()).toContain("Engagement evidence report");
    await expectNoAxeViolations(page);
    // Printing hides the header, the form and the buttons.
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.nhsuk-header").isVisible()).toBe(false);
    expect(await page.getByRole("button", { name: "Change the period" }).isVisible()).toBe(false);
    await context.close();
  });

  it("fits a 320 px wide screen, with chart text as readable as on a desktop", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, a.manager.password);
    await expectUrlsFitScreen(page, ["/reports", "/reports/evidence"]);
    // Each of the six charts is drawn for the phone: its text at 12 px or more on screen, not scaled down.
    // (No group has given a verdict here, so there is no closing-the-loop chart; it is drawn the same way.)
    const reports = await ReportsPage.open(page);
    const phone = await reports.displayedCharts();
    expect(phone).toHaveLength(6);
    for (const c of phone) {
      expect(c.smallestText, c.label).toBeGreaterThanOrEqual(12);
      expect(c.width, c.label).toBeLessThanOrEqual(320);
    }
    await reports.expectNoSidewaysScroll();
    await expectNoAxeViolations(page);
    // On a desktop the wide drawings are shown, at full size.
    await page.setViewportSize({ width: 1024, height: 800 });
    const desktop = await reports.displayedCharts();
    expect(desktop).toHaveLength(6);
    for (const c of desktop) expect(c.smallestText, c.label).toBeGreaterThanOrEqual(12);
    expect(desktop.map((c) => c.label)).toEqual(phone.map((c) => c.label.replace(/-narrow/g, "")));
    await context.close();
  });
});
