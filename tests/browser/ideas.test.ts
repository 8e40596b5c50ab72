// A manager finds an idea, answers it and publishes it after the preview.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoAxeViolations, signInWithBrowser, startBrowserHarness, type BrowserHarness } from "../helpers/browser.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/ideas.js";

let h: BrowserHarness;
let f: PracticeFixture;
let ideaId: string;

beforeAll(async () => {
  h = await startBrowserHarness();
  f = await createPracticeWithStaff(h.prisma, "Browser ideas");
  const { group, session } = await createGroupAndSession(h.prisma, f);
  const theme = await h.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const origin = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id };
  ideaId = (await createIdea(h.prisma, origin, { text: "Letters in simple English please", support: 6, dueAt: new Date(Date.now() - 864e5) })).id;
  await createIdea(h.prisma, origin, { text: "Already planned idea", status: "PLANNED", firstResponseAt: new Date() });
  await createIdea(h.prisma, origin, { text: "Private idea", consent: "PRACTICE_ONLY" });
});
afterAll(() => h?.stop());

describe("ideas for a manager", () => {
  it("filters, opens an idea, responds, and publishes after the preview", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signInWithBrowser(page, f.manager.email, f.manager.password);
    await page.goto("/ideas");
    expect(await page.locator("h1").textContent()).toContain("Ideas");
    await expectNoAxeViolations(page);

    await page.locator("summary", { hasText: "Filter and sort ideas" }).click();
    await page.getByLabel("Status").selectOption("RECEIVED");
    await page.getByLabel("Only ideas with no response after the deadline").check();
    await page.getByRole("button", { name: "Apply" }).click();
    await page.waitForURL(/status=RECEIVED/);
    expect(await page.getByText("1 idea match").count()).toBe(1);
    expect(await page.getByText("Already planned idea").count()).toBe(0);
    await expectNoAxeViolations(page);

    await page.getByRole("link", { name: "Letters in simple English please" }).click();
    await page.waitForURL(new RegExp(`/ideas/${ideaId}$`));
    await expectNoAxeViolations(page);

    // Submit empty: the error summary, then check readability, then save.
    await page.getByRole("button", { name: "Add response" }).click();
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("Select the status of this idea");
    await expectNoAxeViolations(page);
    await page.getByLabel("Planned").check();
    // Jargon in a public response: refused with its reading age (one, from the server) until simplified or confirmed.
    await page.getByLabel("Response", { exact: true }).fill("The practice will undertake a comprehensive evaluation of correspondence accessibility considerations.");
    await page.getByRole("button", { name: "Add response" }).click();
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("above the target of 12");
    expect(await page.locator("#readability-result").textContent()).toContain("Reading age: over 18");
    expect(await page.getByText("Estimated reading age").count()).toBe(0);
    expect(await page.getByLabel(/Save it anyway/).count()).toBe(1);
    await expectNoAxeViolations(page);
    await page.getByLabel("Response", { exact: true }).fill("We will write letters in plain English. We start in March.");
    await page.getByRole("button", { name: "Check readability" }).click();
    expect(await page.locator("#readability-result").textContent()).toContain("Reading age: 6. This should be easy to read");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Add response" }).click();
    await page.waitForURL(/#timeline$/);
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain("Response added");
    expect(await page.locator(".app-timeline").textContent()).toContain("We will write letters in plain English.");
    await expectNoAxeViolations(page);

    await page.getByRole("button", { name: "Preview and publish" }).click();
    await page.waitForURL(/\/publish$/);
    expect(await page.locator(".app-public-preview").textContent()).toContain("The practice manager");
    await expectNoAxeViolations(page);
    await page.getByRole("button", { name: "Publish this idea" }).click();
    await page.waitForURL(new RegExp(`/ideas/${ideaId}$`));
    expect(await page.locator(".nhsuk-notification-banner").textContent()).toContain("now on the public board");
    await expectNoAxeViolations(page);
    const idea = await h.prisma.idea.findUniqueOrThrow({ where: { id: ideaId } });
    expect(idea.status).toBe("PLANNED");
    expect(idea.publishedAt).toBeInstanceOf(Date);

    await page.getByRole("link", { name: /Correct the text, theme or consent/ }).click();
    await expectNoAxeViolations(page);

    await page.goto("/ideas");
    await page.getByRole("link", { name: "Change the response deadline" }).click();
    await page.getByLabel("Number of days after the session").fill("0");
    await page.getByRole("button", { name: "Save deadline" }).click();
    expect(await page.locator(".nhsuk-error-summary").textContent()).toContain("at least 1 day");
    await expectNoAxeViolations(page);
    await context.close();
  });

  it("fits a 320 px wide screen", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await signInWithBrowser(page, f.manager.email, f.manager.password);
    for (const url of ["/ideas", `/ideas/${ideaId}`]) {
      await page.goto(url);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, url).toBeLessThanOrEqual(0);
    }
    await context.close();
  });
});
