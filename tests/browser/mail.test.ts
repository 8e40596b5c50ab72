// The e-mail pages in a real browser, at 320 px and on a desktop, with axe:
// the outbox and one message, the failed e-mails with Try again, and the
// account page's e-mail choices (which work without JavaScript).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { expectNoAxeViolations, signInWithBrowser, startBrowserHarness, type BrowserHarness } from "../helpers/browser.js";
import { createPracticeWithStaff, PASSWORD, type PracticeFixture } from "../helpers/fixtures.js";

let h: BrowserHarness;
let a: PracticeFixture;

beforeAll(async () => {
  h = await startBrowserHarness();
  a = await createPracticeWithStaff(h.prisma, "Riverside");
});
afterAll(() => h?.stop());

async function fitsWidth(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `horizontal scroll on ${page.url()}`).toBeLessThanOrEqual(0);
}

describe.each([320, 1024])("e-mail pages at %i px", (width) => {
  it("lists the outbox and failed e-mails, tries one again, and saves the e-mail choices", async () => {
    const sent = await h.prisma.mailMessage.create({
      data: { practiceId: a.practice.id, userId: a.facilitator.id, kind: "SESSION_REMINDER", status: "SENT", toAddress: a.facilitator.email, subject: "Reminder: A long session title about access to appointments on Thursday 3 December 2026", sentAt: new Date(), attempts: 1 },
    });
    const failed = await h.prisma.mailMessage.create({
      data: { practiceId: a.practice.id, userId: a.viewer.id, kind: "WEEKLY_DIGEST", status: "FAILED", attempts: 9, lastError: "Message failed: 451 Try again later, mailbox temporarily unavailable (a long server answer)" },
    });
    const context = await h.newContext({ width });
    const page = await context.newPage();
    await signInWithBrowser(page, a.manager.email, PASSWORD);

    await page.goto("/outbox");
    expect(await page.locator("h1").textContent()).toContain("Outbox");
    await expectNoAxeViolations(page);
    await fitsWidth(page);
    await page.getByRole("link", { name: /Reminder: A long session title/ }).first().click(); // newest first: this run's
    await page.waitForURL(`**/outbox/${sent.id}`);
    await expectNoAxeViolations(page);
    await fitsWidth(page);

    await page.goto("/emails/failed");
    await expectNoAxeViolations(page);
    await fitsWidth(page);
    await page.getByRole("button", { name: /Try again/ }).first().click();
    await page.waitForURL("**/emails/failed");
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain("tried again");
    expect((await h.prisma.mailMessage.findUniqueOrThrow({ where: { id: failed.id } })).status).toBe("QUEUED");
    await expectNoAxeViolations(page);

    await page.goto("/account/email");
    await expectNoAxeViolations(page);
    await fitsWidth(page);
    await page.getByLabel(/A reminder two days before/).uncheck();
    await page.getByRole("button", { name: "Save choices" }).click();
    await page.waitForURL("**/account/email");
    expect(await page.getByLabel(/A reminder two days before/).isChecked()).toBe(false);
    expect(await page.getByLabel(/A weekly summary/).isChecked()).toBe(true);
    await expectNoAxeViolations(page);
    await h.prisma.user.update({ where: { id: a.manager.id }, data: { emailReminders: true } });
    await context.close();
  });
});
