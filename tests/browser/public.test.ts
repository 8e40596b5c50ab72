// The public side in a real browser: a visitor on a phone finds an idea,
// switches to Arabic (right to left), and every public page in every shipped
// language passes axe.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { LANGUAGES } from "../../src/i18n.js";
import { AppPage } from "../helpers/pages/app-page.js";
import { PublicBoardPage } from "../helpers/pages/public-board.js";
import { expectNoAxeViolations, withBrowser } from "../helpers/browser.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

const { h, a: f } = withBrowser({ practices: ["Browser Practice"] });
let token: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(h.prisma, f);
  const second = await createGroupAndSession(h.prisma, f);
  await h.prisma.communityGroup.update({ where: { id: second.group.id }, data: { name: "Breakfast club" } });
  token = group.linkToken;
  const themes = await h.prisma.theme.findMany({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const base = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: themes[0]!.id };
  ids.done = (await createIdea(h.prisma, {
    ...base, text: "When we phone at 8 o'clock the line is busy. We want to book at the desk.", consent: "PUBLIC", published: true, ageDays: 40,
    responses: [
      { status: "UNDER_CONSIDERATION", text: "We are looking at keeping some appointments for the desk.", daysAgo: 30 },
      { status: "DONE", text: "From Monday, ten appointments each morning can be booked at the front desk.", daysAgo: 2, targetDate: new Date("2026-12-01") },
    ],
  })).id;
  ids.waiting = (await createIdea(h.prisma, { ...base, themeId: themes[1]!.id, text: "Letters from the hospital in our language.", consent: "PUBLIC", published: true, ageDays: 21 })).id;
  await createIdea(h.prisma, {
    ...base, sessionId: second.session.id, groupId: second.group.id, themeId: themes[2]!.id, text: "لا نفهم الرسائل", consent: "PUBLIC", published: true,
    responses: [{ status: "IN_PROGRESS", text: "We are finding an interpreter.", daysAgo: 4 }],
  });
  ids.groupOnly = (await createIdea(h.prisma, {
    ...base, text: "The receptionist shouted when I did not understand.", consent: "GROUP_ONLY",
    responses: [{ status: "PLANNED", text: "All reception staff will have training on working with interpreters.", daysAgo: 1 }],
  })).id;
});

const noSidewaysScroll = (page: Page) => new AppPage(page).expectNoSidewaysScroll();

describe("a visitor on a phone", () => {
  it("finds an idea on the board, switches to Arabic and reads a right-to-left page", async () => {
    const context = await h.newContext({ width: 375, height: 740 });
    const page = await context.newPage();
    const board = await PublicBoardPage.open(page, f.practice.slug);
    expect(await board.heading()).toBe("You said, we did");
    expect(await board.counts()).toContain("3 ideas. Done so far: 1.");
    await board.expectNoSidewaysScroll();
    await board.expectAccessible();
    // Narrow the board to ideas that are done, without JavaScript's help (a GET form
    // folded in a details element, open once a filter is chosen).
    expect(await board.field("Status").isVisible()).toBe(false);
    await board.filterByStatus("DONE");
    expect(await board.filtersOpen()).not.toBeNull();
    expect(await board.cardCount()).toBe(1);
    await board.link(/When we phone at 8 o'clock/).click();
    await page.waitForURL(new RegExp(`/ideas/${ids.done}$`));
    expect(await page.locator("main").textContent()).toContain("From Monday, ten appointments each morning can be booked at the front desk.");
    await noSidewaysScroll(page);
    // The language switcher at the top of the page: a plain link.
    await page.getByRole("link", { name: "العربية" }).click();
    await page.waitForURL(/lang=ar/);
    expect(await page.locator("html").getAttribute("dir")).toBe("rtl");
    expect(await page.locator("html").getAttribute("lang")).toBe("ar");
    expect(await page.locator("h1").textContent()).toBe("فكرة وما حدث بشأنها");
    expect(await page.locator("main h2").first().textContent()).toBe("قلتم");
    // Staff-written text stays as it was written.
    expect(await page.locator("main").textContent()).toContain("From Monday, ten appointments");
    // Mirrored: text starts at the right; the heading hugs the right edge.
    expect(await page.locator("main").evaluate((el) => getComputedStyle(el).direction)).toBe("rtl");
    const box = (await page.locator("h1").boundingBox())!;
    const width = await page.evaluate(() => document.documentElement.clientWidth);
    expect(width - (box.x + box.width)).toBeLessThan(box.x + 1);
    await noSidewaysScroll(page);
    await expectNoAxeViolations(page);
    // Remembered: back to the board without ?lang=, still in Arabic.
    const again = await PublicBoardPage.open(page, f.practice.slug);
    expect((await again.language()).dir).toBe("rtl");
    expect(await again.heading()).toBe("قلتم، ففعلنا");
    expect(await again.counts()).toContain("تم تنفيذ 1");
    // No session cookie, only the language.
    expect((await context.cookies()).map((c) => c.name)).toEqual(["lang"]);
    await context.close();
  });
});

describe("accessibility of every public page in every language", () => {
  for (const { code } of LANGUAGES) {
    it(`has no axe violations and fits 320 px (${code})`, async () => {
      const context = await h.newContext({ width: 320, height: 700 });
      const page = await context.newPage();
      const slug = f.practice.slug;
      const pages = [
        `/p/${slug}`,
        `/p/${slug}?status=WAITING`,
        `/p/${slug}?status=NOT_POSSIBLE`,
        `/p/${slug}/ideas/${ids.done}`,
        `/p/${slug}/ideas/${ids.waiting}`,
        `/p/${slug}/poster`,
        `/g/${token}`,
        `/g/${token}/ideas/${ids.groupOnly}`,
        `/p/no-such-practice`,
      ];
      for (const url of pages) {
        await page.goto(`${url}${url.includes("?") ? "&" : "?"}lang=${code}`);
        expect(await page.locator("html").getAttribute("lang")).toBe(code);
        expect(await page.locator("html").getAttribute("dir")).toBe(code === "ar" ? "rtl" : "ltr");
        expect(await page.locator("h1").count(), url).toBe(1);
        await expectNoAxeViolations(page);
        await noSidewaysScroll(page);
      }
      await context.close();
    });
  }
});

describe("the poster", () => {
  it("prints on one A4 page with the QR code and without the site's header and footer", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await page.goto(`/p/${f.practice.slug}/poster?lang=uk`);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.nhsuk-header").isVisible()).toBe(false);
    expect(await page.locator("footer.nhsuk-footer").isVisible()).toBe(false);
    const qr = (await page.locator(".app-poster__qr-code svg").boundingBox())!;
    expect(qr.width).toBeGreaterThan(100);
    expect(Math.abs(qr.width - qr.height)).toBeLessThan(2);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const text = pdf.toString("latin1");
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
    expect(boxes.length).toBe(1);
    expect(boxes[0]).toEqual([595, 842]);
    await context.close();
  });
});
