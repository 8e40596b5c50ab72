import { readFile } from "node:fs/promises";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, signInWithBrowser, startBrowserHarness, type BrowserHarness } from "../helpers/browser.js";
import { AWKWARD_TEXT, seedPractice, type SeededPractice } from "../helpers/reports.js";

let h: BrowserHarness;
let a: SeededPractice;

beforeAll(async () => {
  h = await startBrowserHarness();
  a = await seedPractice(h.prisma, "Browser Practice");
});
afterAll(() => h?.stop());

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
    const from = page.getByRole("group", { name: "Start date" });
    const to = page.getByRole("group", { name: "End date" });
    await from.getByLabel("Day").fill("1");
    await from.getByLabel("Month").fill("1");
    await from.getByLabel("Year").fill("2025");
    await to.getByLabel("Day").fill("31");
    await to.getByLabel("Month").fill("12");
    await to.getByLabel("Year").fill("2025");
    await page.getByRole("button", { name: "Show reports" }).click();
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
    await from.getByLabel("Year").fill("2026");
    await page.getByRole("button", { name: "Show reports" }).click();
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

  it("fits a 320 px wide screen", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, a.manager.password);
    for (const path of ["/reports", "/reports/evidence"]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
