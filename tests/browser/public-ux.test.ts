// What real users trip on (issue #17), in a real browser: finding a board
// without the poster, the first idea on a phone's first screen with the
// language choice at the top, right-to-left pages without a stray gap, no
// console or CSP errors (the NHS web font), and the poster on one A4 page with
// the longest texts in every shipped language. Axe on every page touched, at
// 320 px and on a desktop, in English and Arabic.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { LANGUAGES } from "../../src/i18n.js";
import { createPractice } from "../../src/features/practices/service.js";
import { POSTER_LIMITS } from "../../src/features/public/poster.js";
import { expectNoAxeViolations, signInWithBrowser, withBrowser } from "../helpers/browser.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

// Heavy pages (axe, PDF) on a shared machine: generous, explicit time limits.
const SLOW = 240_000;

const { h, a: f } = withBrowser({ practices: ["Browser Practice"] });
let poster: PracticeFixture;
let token: string;
let ideaId: string;

/** Long texts as staff could write them (ideas up to 2,000 characters), in each shipped language. */
const LONG: Record<string, { idea: string; response: string }> = {
  en: {
    idea: "When we phone the surgery at eight in the morning the line is always busy, and by the time somebody answers there are no appointments left for the day. ".repeat(13),
    response: "We have changed how appointments are booked: from Monday ten appointments each morning are kept for people who come to the front desk, and the online form now works in Arabic and Ukrainian. ".repeat(10),
  },
  ar: {
    idea: "عندما نتصل بالعيادة في الساعة الثامنة صباحًا يكون الخط مشغولًا دائمًا، وعندما يجيب أحد لا تبقى أي مواعيد لذلك اليوم، ولا نستطيع أن نشرح مشكلتنا بالإنجليزية. ".repeat(13),
    response: "غيّرنا طريقة حجز المواعيد: ابتداءً من يوم الاثنين نحتفظ بعشرة مواعيد كل صباح للأشخاص الذين يأتون إلى مكتب الاستقبال، ونموذج الحجز على الإنترنت يعمل الآن بالعربية. ".repeat(10),
  },
  uk: {
    idea: "Коли ми телефонуємо до практики о восьмій ранку, лінія завжди зайнята, а коли нарешті хтось відповідає, записів на цей день уже немає, і ми не можемо пояснити англійською. ".repeat(12),
    response: "Ми змінили спосіб запису: з понеділка щоранку десять записів залишаємо для людей, які приходять до реєстратури, а онлайн-форма тепер працює українською та арабською мовами. ".repeat(10),
  },
};

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(h.prisma, f);
  token = group.linkToken;
  const themes = await h.prisma.theme.findMany({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const base = { practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: themes[0]!.id, consent: "PUBLIC" as const, published: true };
  ideaId = (await createIdea(h.prisma, {
    ...base, text: "When we phone at 8 o'clock the line is busy and then there are no appointments left. We want to book in person or online in Arabic.",
    responses: [{ status: "DONE", text: "From Monday, 10 appointments each morning can be booked at the front desk, and the online form now works in Arabic.", daysAgo: 2 }],
  })).id;
  await createIdea(h.prisma, { ...base, text: "Letters from the hospital come in English and we do not know what they say.", responses: [{ status: "IN_PROGRESS", text: "We have asked the hospital to send letters in the patient's language.", daysAgo: 3 }] });
  await createIdea(h.prisma, { ...base, text: "A woman interpreter when we see the doctor about women's health." });

  // A practice whose poster carries the longest texts, in every language, and a long name.
  poster = await createPracticeWithStaff(h.prisma, "The Riverside Community Health Centre and Branch Practice Partnership of the Northern Quarter and Valley");
  const p = await createGroupAndSession(h.prisma, poster);
  const posterTheme = await h.prisma.theme.findFirstOrThrow({ where: { practiceId: poster.practice.id } });
  for (const lang of ["en", "ar", "uk", "en", "ar", "uk", "en"]) {
    await createIdea(h.prisma, {
      practiceId: poster.practice.id, sessionId: p.session.id, groupId: p.group.id, themeId: posterTheme.id, consent: "PUBLIC", published: true,
      text: LONG[lang]!.idea.slice(0, 2000), responses: [{ status: "IN_PROGRESS", text: LONG[lang]!.response.slice(0, 2000), daysAgo: 1 }],
    });
  }

  // Practices to find: by name, by town, by ODS code; more than a page of them in one town.
  await createPractice(h.prisma, { name: "Meadowbank Surgery", odsCode: "Y12345", slug: "meadowbank", address: "1 Mill Lane, Kettering NN16 0AA" });
  for (let i = 1; i <= 12; i++) {
    await createPractice(h.prisma, { name: `Harbourside Medical Practice ${String(i).padStart(2, "0")}`, odsCode: `Z${String(10000 + i)}`, slug: `harbourside-${i}`, address: `${i} Quay Street, Portwell` });
  }
}, SLOW);

/** Console errors and warnings, CSP violations and failed or refused requests on a page. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // A request the browser itself cancelled (the page moved on before the favicon
  // came: net::ERR_ABORTED) is not a failure of the app; refused ones (CSP, 4xx, 5xx) still are.
  page.on("requestfailed", (r) => {
    if (r.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== "document") problems.push(`${r.status()}: ${r.url()}`);
  });
  return problems;
}

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `sideways scroll on ${page.url()}`).toBeLessThanOrEqual(0);
}

/**
 * Opens a page once it and its resources have loaded. The console and CSP checks
 * below wait for the network to go quiet as well (half a second more per page),
 * so late errors are caught too.
 */
async function visit(page: Page, url: string, waitUntil: "load" | "networkidle" = "load") {
  await page.goto(url, { waitUntil });
}

describe("finding a practice's board without the poster", () => {
  it("from the landing page, by town, by name and by ODS code, without JavaScript, with pages of results", async () => {
    const context = await h.browser.newContext({ baseURL: h.baseUrl, viewport: { width: 320, height: 640 }, javaScriptEnabled: false });
    const page = await context.newPage();
    const { odsCode } = await h.prisma.practice.findUniqueOrThrow({ where: { id: f.practice.id } });
    // (No axe or page scripts here: JavaScript is off. The next tests run axe on the same pages.)
    await visit(page, "/");
    await page.getByLabel("Practice name, town or ODS code").fill("kettering");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/boards\?q=kettering/);
    expect(await page.locator("h2").first().textContent()).toContain("1 practice found");
    expect(await page.getByLabel("Practice name, town or ODS code").inputValue()).toBe("kettering");
    await page.getByRole("link", { name: "Meadowbank Surgery" }).click();
    await page.waitForURL(/\/p\/meadowbank$/);
    expect(await page.locator("h1").textContent()).toBe("You said, we did");

    // The start of any word of the name; the ODS code in any case.
    for (const [q, expected] of [["meadow surg", "Meadowbank Surgery"], ["y12345", "Meadowbank Surgery"], [odsCode.toLowerCase(), f.practice.name]] as const) {
      await visit(page, `/boards?q=${encodeURIComponent(q)}`);
      expect(await page.locator(".app-find-results__link").allTextContents(), q).toEqual([expected]);
    }

    // Nothing found: plain advice, not an error.
    await visit(page, "/boards?q=nowhere+at+all");
    expect(await page.locator("main").textContent()).toContain('No practice matches "nowhere at all".');

    // Twelve practices in one town: ten on a page, then the rest.
    await visit(page, "/boards?q=portwell");
    expect(await page.locator("h2").first().textContent()).toContain("12 practices found");
    expect(await page.locator(".app-find-results__link").count()).toBe(10);
    await page.getByRole("link", { name: "Next" }).click();
    await page.waitForURL(/page=2/);
    expect(await page.locator(".app-find-results__link").allTextContents()).toEqual(["Harbourside Medical Practice 11", "Harbourside Medical Practice 12"]);
    await context.close();
  }, SLOW);

  for (const code of ["en", "ar"] as const) {
    it(`passes axe from the landing page to the results (${code}, 320 px and desktop)`, async () => {
      const words = code === "ar" ? { label: "اسم العيادة أو المدينة أو رمز ODS", submit: "ابحث" } : { label: "Practice name, town or ODS code", submit: "Search" };
      for (const width of [320, 1280]) {
        const context = await h.newContext({ width, height: 800 });
        const page = await context.newPage();
        await visit(page, `/?lang=${code}`);
        expect(await page.locator("html").getAttribute("dir")).toBe(code === "ar" ? "rtl" : "ltr");
        await expectNoAxeViolations(page);
        await page.getByLabel(words.label).fill("Portwell");
        await page.getByRole("button", { name: words.submit }).click();
        await page.waitForURL(/\/boards\?q=Portwell/);
        expect(await page.locator(".app-find-results__link").count()).toBe(10);
        await expectNoAxeViolations(page);
        await noSidewaysScroll(page);
        await visit(page, `/boards?q=nowhere&lang=${code}`);
        await expectNoAxeViolations(page);
        await context.close();
      }
    }, SLOW);
  }
});

describe("a phone's first screen", () => {
  for (const [width, height] of [[320, 568], [375, 667]] as const) {
    for (const { code } of LANGUAGES) {
      it(`shows the language choice and the first idea at ${width}x${height} (${code})`, async () => {
        const context = await h.newContext({ width, height });
        const page = await context.newPage();
        await visit(page, `/p/${f.practice.slug}?lang=${code}`);
        // The language choice is at the top, above the header.
        const languages = page.locator(`nav.app-language-bar a[hreflang]`);
        expect(await languages.count()).toBe(LANGUAGES.length - 1);
        for (const box of await Promise.all((await languages.all()).map((l) => l.boundingBox()))) {
          expect(box!.y + box!.height).toBeLessThanOrEqual(60);
        }
        // Filters are folded away until a filter is chosen.
        expect(await page.locator("details.app-board-filters").getAttribute("open")).toBeNull();
        // The first idea's words start on the first screen (at least their first line).
        const link = (await page.locator(".app-idea-card .nhsuk-card__link").first().boundingBox())!;
        expect(link.y + 24, `first idea at ${link.y}px`).toBeLessThanOrEqual(height);
        if (code === "en" || code === "ar") await expectNoAxeViolations(page);
        await noSidewaysScroll(page);
        // With a filter chosen, the filters stay open.
        await visit(page, `/p/${f.practice.slug}?status=DONE&lang=${code}`);
        expect(await page.locator("details.app-board-filters").getAttribute("open")).not.toBeNull();
        await context.close();
      }, SLOW);
    }
  }
});

describe("right to left at 375 px", () => {
  it("mirrors list spacing: idea cards, the board's links and the poster's list touch the right edge", async () => {
    const context = await h.newContext({ width: 375, height: 740 });
    const page = await context.newPage();
    const gaps = async (selector: string) =>
      page.locator(selector).evaluate((el) => {
        const list = el.getBoundingClientRect();
        const parent = el.parentElement!.getBoundingClientRect();
        const style = getComputedStyle(el);
        const item = el.firstElementChild!.getBoundingClientRect();
        return { paddingRight: style.paddingRight, paddingLeft: style.paddingLeft, rightGap: Math.round(list.right - item.right), parentGap: Math.round(parent.right - list.right) };
      });
    await visit(page, `/p/${f.practice.slug}?lang=ar`);
    for (const selector of [".app-idea-list", ".app-board-links"]) {
      const g = await gaps(selector);
      expect(g, selector).toEqual({ paddingRight: "0px", paddingLeft: "0px", rightGap: 0, parentGap: 0 });
    }
    await visit(page, `/p/${f.practice.slug}/poster?lang=ar`);
    expect(await gaps(".app-poster__list"), ".app-poster__list").toEqual({ paddingRight: "0px", paddingLeft: "0px", rightGap: 0, parentGap: 0 });
    await context.close();
  }, SLOW);
});

describe("no console errors, refused fonts or failed requests", () => {
  for (const { code } of LANGUAGES.filter((l) => l.code === "en" || l.code === "ar")) {
    for (const width of [320, 1280]) {
      it(`on every public page, ${code} at ${width} px`, async () => {
        const context = await h.newContext({ width, height: 800 });
        const page = await context.newPage();
        const problems = watch(page);
        const slug = f.practice.slug;
        for (const url of ["/", "/boards?q=portwell", `/p/${slug}`, `/p/${slug}/ideas/${ideaId}`, `/p/${slug}/poster`, `/g/${token}`]) {
          await visit(page, `${url}${url.includes("?") ? "&" : "?"}lang=${code}`, "networkidle");
          // System fonts only: nothing asks for the NHS web font (which the CSP would refuse).
          expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily), url).not.toMatch(/Frutiger/i);
          if (url === `/p/${slug}` || url === `/p/${slug}/poster`) await expectNoAxeViolations(page);
        }
        expect(problems).toEqual([]);
        await context.close();
      }, SLOW);
    }
  }

  it("on the staff pages a manager uses, including the session form's conditional questions", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await signInWithBrowser(page, f.manager.email, f.manager.password);
    for (const url of ["/dashboard", "/sessions", "/ideas", "/groups", "/partners", "/sessions/new"]) await visit(page, url, "networkidle");
    // The "How will people take part?" radios reveal their questions, without aria-expanded (not allowed on a radio).
    await page.getByLabel("Online", { exact: true }).check();
    expect(await page.getByLabel("How to join online (if online)").isVisible()).toBe(true);
    expect(await page.getByLabel("Venue name (if in person)").isVisible()).toBe(false);
    expect(await page.locator("input[type=radio][aria-expanded]").count()).toBe(0);
    await expectNoAxeViolations(page);
    expect(problems).toEqual([]);
    await context.close();
  }, SLOW);
});

describe("the poster with the longest texts", () => {
  /** Pages in a PDF: page objects (`/Type /Page`, not the `/Pages` tree). */
  const pageCount = (pdf: Buffer) => pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-z])/g)?.length ?? 0;

  for (const { code } of LANGUAGES) {
    it(`prints on one A4 page in ${code}, with a pointer to the board for the rest`, async () => {
      const context = await h.newContext();
      const page = await context.newPage();
      await visit(page, `/p/${poster.practice.slug}/poster?lang=${code}`);
      await expectNoAxeViolations(page);
      expect(await page.locator(".app-poster__item").count()).toBe(POSTER_LIMITS.items);
      expect(await page.locator(".app-poster__more").count()).toBe(POSTER_LIMITS.items * 2);
      await page.emulateMedia({ media: "print" });
      // Nothing of the poster is cut off: it fits the printable area as laid out.
      const qr = (await page.locator(".app-poster__qr-code svg").boundingBox())!;
      expect(qr.width).toBeGreaterThan(100);
      const height = await page.locator(".app-poster").evaluate((el) => Math.round(el.getBoundingClientRect().height));
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      if (process.env.POSTER_PDF_DIR) {
        (await import("node:fs")).writeFileSync(`${process.env.POSTER_PDF_DIR}/poster-${code}.pdf`, pdf);
        await page.setViewportSize({ width: 794, height: 1123 });
        await page.screenshot({ path: `${process.env.POSTER_PDF_DIR}/poster-print-${code}.png`, fullPage: true });
      }
      expect(pageCount(pdf), `${code} poster pages (poster ${height}px high on screen in print media)`).toBe(1);
      const preferred = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      expect(pageCount(preferred), `${code} poster pages (CSS page size)`).toBe(1);
      await context.close();
    }, SLOW);
  }

  it("also at 320 px on screen, in Arabic, without sideways scrolling", async () => {
    const context = await h.newContext({ width: 320, height: 700 });
    const page = await context.newPage();
    await visit(page, `/p/${poster.practice.slug}/poster?lang=ar`);
    await expectNoAxeViolations(page);
    await noSidewaysScroll(page);
    await context.close();
  }, SLOW);
});
