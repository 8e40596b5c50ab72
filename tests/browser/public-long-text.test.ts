// The tester's report (2026-12-02): a response holding a long web address made
// the board, the idea page and the staff page /translations scroll sideways at
// 320 px (and cut Arabic text off on the left); in Arabic the arrow of a
// details summary ("Find ideas", "Read the original") sat on the left, at the
// end of the text, instead of at its start on the right.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { signInWithBrowser, withBrowser } from "../helpers/browser.js";
import { createGroupAndSession, PASSWORD } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

const SLOW = 180_000;
const { h, a: f } = withBrowser({ practices: ["Long Text Practice"] });
/** A 120-character web address, as a manager might paste one into a public response. */
const URL120 = `https://www.riverside-surgery.nhs.uk/appointments/${"booking-at-the-front-desk-".repeat(3)}`.padEnd(120, "x").slice(0, 120);
let ideaId: string;
let translatedId: string;

beforeAll(async () => {
  expect(URL120).toHaveLength(120);
  const { group, session } = await createGroupAndSession(h.prisma, f);
  // The group reads Arabic: its public responses without a translation are listed on /translations.
  await h.prisma.communityGroup.update({ where: { id: group.id }, data: { readingLanguages: ["ar"] } });
  const theme = await h.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
  ideaId = (await createIdea(h.prisma, {
    practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, consent: "PUBLIC", published: true,
    text: `Put the booking page on the poster: ${URL120}`,
    responses: [{ status: "DONE", text: `The booking page is here: ${URL120}`, daysAgo: 1 }],
  })).id;
  // The group's words about the answer, in English (shown on Arabic pages as written).
  await h.prisma.verdict.create({ data: { practiceId: f.practice.id, ideaId, sessionId: session.id, groupId: group.id, kind: "ANSWERS", words: "Booking at the desk works. The Arabic form is easy.", saidAt: new Date(Date.now() - 3600_000) } });
  await h.prisma.communityGroup.update({ where: { id: group.id }, data: { name: "Arabic-speaking women's group" } });
  // An idea whose answer has an Arabic translation: its idea page has a "Read the original" summary.
  translatedId = (await createIdea(h.prisma, {
    practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, consent: "PUBLIC", published: true,
    text: "Letters in Arabic", responses: [{ status: "IN_PROGRESS", text: "We asked the hospital.", daysAgo: 2 }],
  })).id;
  const response = await h.prisma.response.findFirstOrThrow({ where: { ideaId: translatedId } });
  await h.prisma.responseTranslation.create({ data: { practiceId: f.practice.id, responseId: response.id, ideaId: translatedId, language: "ar", text: "طلبنا من المستشفى.", translatorRole: "INTERPRETER" } });
}, SLOW);

async function sidewaysScroll(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

describe("a long web address in a response at 320 px", () => {
  it("never makes a public page scroll sideways, in English or Arabic", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    for (const lang of ["en", "ar"]) {
      for (const url of [`/p/${f.practice.slug}`, `/p/${f.practice.slug}/ideas/${ideaId}`]) {
        await page.goto(`${url}?lang=${lang}`);
        expect(await page.content()).toContain(URL120);
        expect(await sidewaysScroll(page), `${url} ${lang}`).toBeLessThanOrEqual(0);
      }
    }
    await context.close();
  }, SLOW);

  it("never makes /translations scroll sideways", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    await signInWithBrowser(page, f.manager.email, PASSWORD);
    await page.goto("/translations");
    expect(await page.content()).toContain("riverside-surgery.nhs.uk/appointments/booking");
    expect(await sidewaysScroll(page), "/translations").toBeLessThanOrEqual(0);
    await context.close();
  }, SLOW);
});

describe("English user text on an Arabic page", () => {
  it("is laid out in its own direction: the verdict words and names read left to right inside the right-to-left page", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    for (const url of [`/p/${f.practice.slug}?lang=ar`, `/p/${f.practice.slug}/ideas/${ideaId}?lang=ar`]) {
      await page.goto(url);
      const dir = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).direction);
      expect(await dir("html"), url).toBe("rtl");
      expect(await dir(".app-verdict-words p"), url).toBe("ltr");
      expect(await dir("bdi.app-name"), url).toBe("ltr");
      // The words' full stop is at their end, on the right of the last line, not at the start.
      const words = await page.locator(".app-verdict-words p").first().evaluate((el) => {
        const box = el.getBoundingClientRect();
        const range = document.createRange();
        const text = el.firstChild!;
        range.setStart(text, text.textContent!.length - 1);
        range.setEnd(text, text.textContent!.length);
        const stop = range.getBoundingClientRect();
        range.setStart(text, 0);
        range.setEnd(text, 1);
        const first = range.getBoundingClientRect();
        return { left: box.left, firstLeft: first.left, stopRight: stop.right, right: box.right };
      });
      // Left to right: the first letter at the block's left edge.
      expect(Math.abs(words.firstLeft - words.left), `${url} ${JSON.stringify(words)}`).toBeLessThan(2);
      expect(words.stopRight, url).toBeGreaterThan(words.firstLeft);
    }
    await page.goto(`/p/${f.practice.slug}?lang=ar`);
    await page.locator(".app-verdict-words").first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: "/tmp/wt-public-ar-verdict.png" });
    await context.close();
  }, SLOW);
});

describe("details summaries in Arabic", () => {
  it("put the arrow at the start of the text, on the right, pointing left when closed", async () => {
    const context = await h.newContext({ width: 320, height: 640 });
    const page = await context.newPage();
    const where = (summary: string) =>
      page.locator(summary).first().evaluate((summary) => {
        const text = summary.querySelector(".nhsuk-details__summary-text")!.getBoundingClientRect();
        const box = summary.getBoundingClientRect();
        const arrow = getComputedStyle(summary, "::before");
        // The arrow is absolutely placed in the summary's box: its right edge at box.right - right.
        const arrowRight = box.right - parseFloat(arrow.right);
        const arrowLeft = arrowRight - parseFloat(arrow.width) - parseFloat(arrow.borderLeftWidth) - parseFloat(arrow.borderRightWidth);
        return { arrowLeft, arrowRight, textLeft: text.left, textRight: text.right, transform: arrow.transform };
      });
    for (const [url, summary] of [[`/p/${f.practice.slug}?lang=ar`, ".app-board-filters > summary"], [`/p/${f.practice.slug}/ideas/${translatedId}?lang=ar`, ".app-translation__original > summary"]] as const) {
      await page.goto(url);
      const closed = await where(summary);
      // Start of the line in Arabic is the right: the arrow is right of the text, not left of it.
      expect(closed.arrowLeft, `${summary} ${JSON.stringify(closed)}`).toBeGreaterThanOrEqual(closed.textRight - 1);
      // Closed, it points into the text (to the left): mirrored.
      expect(closed.transform, summary).toBe("matrix(-1, 0, 0, 1, 0, 0)");
      await page.locator(summary).first().click();
      const open = await where(summary);
      expect(open.arrowLeft, `${summary} ${JSON.stringify(open)}`).toBeGreaterThanOrEqual(open.textRight - 1);
      await page.screenshot({ path: `/tmp/wt-public-ar-${summary.slice(1, 8)}.png` });
    }
    await context.close();
  }, SLOW);
});
