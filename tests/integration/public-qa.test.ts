// The outside tester's report on the public pages (2026-12-02), one describe per
// defect: right-to-left isolation of user text, the feed link's language, the
// status filter and the board's counts, the service name on the landing and 404
// pages, the empty search, and the poster's web address.
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { translator } from "../../src/i18n.js";
import { withPractice } from "../helpers/with-practice.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

const { ctx, a: f } = withPractice({ practices: ["Riverside QA Practice"] });
const WORDS = "Booking at the desk works. The Arabic form is easy.";
const GROUP = "Arabic-speaking women's group";
let slug: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  const prisma = ctx.prisma;
  slug = f.practice.slug;
  const s = await createGroupAndSession(prisma, f);
  await prisma.communityGroup.update({ where: { id: s.group.id }, data: { name: GROUP } });
  const theme = await prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const base = { practiceId: f.practice.id, sessionId: s.session.id, groupId: s.group.id, themeId: theme.id, consent: "PUBLIC" as const, published: true };
  ids.done = (await createIdea(prisma, { ...base, text: "Book appointments at the desk", responses: [{ status: "DONE", text: "Ten appointments a day are kept for the desk.", daysAgo: 3 }] })).id;
  ids.inProgress = (await createIdea(prisma, { ...base, text: "Letters in our language", responses: [{ status: "IN_PROGRESS", text: "We asked the hospital.", daysAgo: 4 }] })).id;
  ids.planned = (await createIdea(prisma, { ...base, text: "A quiet room", responses: [{ status: "PLANNED", text: "Planned for spring.", daysAgo: 5 }] })).id;
  ids.waiting = (await createIdea(prisma, { ...base, text: "A woman interpreter", ageDays: 21 })).id;
  ids.received = (await createIdea(prisma, { ...base, text: "Longer appointments", responses: [{ status: "RECEIVED", text: "We have your idea and will look at it.", daysAgo: 2 }] })).id;
  ids.waiting2 = (await createIdea(prisma, { ...base, text: "A ramp at the door", ageDays: 2 })).id;
  // The group answered the DONE idea's response at a later session, in English.
  await prisma.verdict.create({ data: { practiceId: f.practice.id, ideaId: ids.done, sessionId: s.session.id, groupId: s.group.id, kind: "ANSWERS", words: WORDS, saidAt: new Date(Date.now() - 86400000) } });
});

const get = (url: string) => request(ctx.app).get(url);

describe("defect 2: user text on Arabic pages is isolated, one unit in its own direction", () => {
  it("puts the verdict words in a block of their own with dir=auto, with no quotation marks around them", async () => {
    for (const url of [`/p/${slug}?lang=ar`, `/p/${slug}/ideas/${ids.done}?lang=ar`]) {
      const html = (await get(url)).text;
      expect(html, url).toContain(`<blockquote class="app-verdict-words"><p dir="auto">${WORDS.replace(/'/g, "&#39;")}</p></blockquote>`);
      // No quotation mark of any language next to the words (they landed mid-line when the words wrapped).
      expect(html, url).not.toMatch(/[«»“”]\s*<[^>]*>?\s*Booking/);
      expect(html, url).not.toMatch(/is easy\.<\/p><\/blockquote>\s*[«»“”]/);
    }
  });

  it("isolates idea text, response text, group and theme names on the board and the idea page", async () => {
    const board = (await get(`/p/${slug}?lang=ar`)).text;
    expect(board).toContain('<span class="app-user-block" dir="auto">Book appointments at the desk</span>');
    expect(board).toContain('<p class="nhsuk-card__description" dir="auto">Ten appointments a day are kept for the desk.</p>');
    expect(board).toContain(`<bdi class="app-name">Arabic-speaking women&#39;s group</bdi>`);
    expect(board).toContain('<bdi class="app-name">Access and appointments</bdi>');
    expect(board).toContain(`<bdi class="app-name">${f.practice.name}</bdi>`);
    // A name inside a translated sentence: the Unicode isolates (FSI … PDI), the plain-text form of <bdi>.
    expect(board).toContain(`\u2068${f.practice.name}\u2069`);
    const idea = (await get(`/p/${slug}/ideas/${ids.done}?lang=ar`)).text;
    expect(idea).toContain('<p class="nhsuk-body-l" dir="auto">Book appointments at the desk</p>');
    expect(idea).toContain('<p dir="auto">Ten appointments a day are kept for the desk.</p>');
    expect(idea).toContain(`<dd class="nhsuk-summary-list__value"><bdi class="app-name">Arabic-speaking women&#39;s group</bdi></dd>`);
    expect(idea).toContain('<dd class="nhsuk-summary-list__value"><bdi class="app-name">Access and appointments</bdi></dd>');
  });
});

/** The status tags on a page's idea cards, in order. */
const cardLabels = (html: string) => [...html.matchAll(/<p class="app-idea-card__status">\s*<strong class="nhsuk-tag[^"]*">([^<]+)<\/strong>/g)].map((m) => m[1]!);
/** The status filter's options (value, label), without "All". */
const statusOptions = (html: string) => {
  const select = /<select[^>]*name="status"[^>]*>([\s\S]*?)<\/select>/.exec(html)![1]!;
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]+)<\/option>/g)].filter((m) => m[1] !== "").map((m) => ({ value: m[1]!, label: m[2]! }));
};

describe("defect 3: the feed link is in the board's language", () => {
  it("links Arabic and Ukrainian boards to the feed in their language, English to the plain feed", async () => {
    for (const lang of ["ar", "uk"]) {
      const html = (await get(`/p/${slug}?lang=${lang}`)).text;
      expect(html, lang).toContain(`<a href="/p/${slug}/feed.atom?lang=${lang}" type="application/atom+xml">`);
      expect(html, lang).toContain(`<link rel="alternate" type="application/atom+xml" href="/p/${slug}/feed.atom?lang=${lang}"`);
      const feed = await get(`/p/${slug}/feed.atom?lang=${lang}`);
      expect(feed.status).toBe(200);
      expect(feed.text).toContain(`<feed xmlns="http://www.w3.org/2005/Atom"`);
      expect(feed.text, lang).toMatch(new RegExp(`/p/${slug}/ideas/[0-9a-f-]+\\?lang=${lang}"`));
    }
    const en = (await get(`/p/${slug}?lang=en`)).text;
    expect(en).toContain(`<a href="/p/${slug}/feed.atom" type="application/atom+xml">`);
  });
});

describe("defect 4: the status filter offers exactly the public statuses on the board", () => {
  it("offers each public status on the cards once, with the cards' label, and each option finds exactly those cards", async () => {
    for (const lang of ["en", "ar", "uk"]) {
      const board = (await get(`/p/${slug}?lang=${lang}`)).text;
      const labels = cardLabels(board);
      expect(labels, lang).toHaveLength(6);
      const options = statusOptions(board);
      // Exactly the labels the cards show, each once.
      expect(options.map((o) => o.label).sort(), lang).toEqual([...new Set(labels)].sort());
      for (const o of options) {
        const filtered = (await get(`/p/${slug}?status=${o.value}&lang=${lang}`)).text;
        const found = cardLabels(filtered);
        expect(found.length, `${lang} ${o.value}`).toBeGreaterThan(0);
        expect(found, `${lang} ${o.value}`).toEqual(labels.filter((l) => l === o.label));
      }
    }
  });

  it("offers Received only while an idea has it, beside Waiting for an answer", async () => {
    const en = statusOptions((await get(`/p/${slug}`)).text);
    expect(en.map((o) => o.value)).toEqual(["WAITING", "RECEIVED", "PLANNED", "IN_PROGRESS", "DONE"]);
    expect(en[0]!.label).toBe("Waiting for an answer");
    // A chosen status with nothing (an old link) stays offered, so the form shows what was chosen.
    const chosen = (await get(`/p/${slug}?status=NOT_POSSIBLE`)).text;
    expect(statusOptions(chosen).map((o) => o.value)).toContain("NOT_POSSIBLE");
    expect(chosen).toContain("No ideas match what you chose.");
  });
});

describe("defect 5: the board's counts do not read as a sum that leaves ideas out", () => {
  it("says the total and how many are done so far, and nothing else, in each language", async () => {
    const expected: Record<string, string> = {
      en: "6 ideas. Done so far: 1.",
      ar: "6 أفكار. تم تنفيذ 1 حتى الآن.",
      uk: "6 ідей. Уже виконано: 1.",
    };
    for (const [lang, text] of Object.entries(expected)) {
      const html = (await get(`/p/${slug}?lang=${lang}`)).text;
      expect(html, lang).toContain(`<p class="app-board-counts"><strong>${text}</strong></p>`);
    }
  });

  it("uses the language's plural forms for the total (Ukrainian one/few/many, Arabic one/two/few/many)", async () => {
    const uk = translator("uk");
    const ar = translator("ar");
    const en = translator("en");
    const summary = (t: typeof uk, count: number, done: number) => t("public.board.summary", { ideas: t("public.board.ideas", { count }), done });
    expect([1, 3, 5, 21].map((n) => summary(uk, n, 0))).toEqual(["1 ідея. Уже виконано: 0.", "3 ідеї. Уже виконано: 0.", "5 ідей. Уже виконано: 0.", "21 ідея. Уже виконано: 0."]);
    expect([1, 2, 3, 11].map((n) => summary(ar, n, 1))).toEqual(["فكرة واحدة. تم تنفيذ 1 حتى الآن.", "فكرتان. تم تنفيذ 1 حتى الآن.", "3 أفكار. تم تنفيذ 1 حتى الآن.", "11 فكرة. تم تنفيذ 1 حتى الآن."]);
    expect([1, 2].map((n) => summary(en, n, 1))).toEqual(["1 idea. Done so far: 1.", "2 ideas. Done so far: 1."]);
  });
});

describe("defect 6: the service name is translated on the landing and 404 pages", () => {
  const names: Record<string, string> = { ar: "قلتم، ففعلنا", uk: "Ви сказали — ми зробили", en: "You said, we did" };
  it("in the header and the page title, as on the board", async () => {
    for (const [lang, name] of Object.entries(names)) {
      for (const url of [`/?lang=${lang}`, `/no-such-page?lang=${lang}`, `/p/no-such-practice?lang=${lang}`, `/p/${slug}?lang=${lang}`]) {
        const res = await get(url);
        expect(res.text, url).toContain(`<span class="nhsuk-header__service-name">${name}</span>`);
        expect(res.text, url).toMatch(new RegExp(`<title>[^<]* – ${name}</title>`));
        if (lang !== "en") expect(res.text, url).not.toContain("You said, we did");
      }
    }
  });
});

describe("defect 8: an empty search for a board says what to enter", () => {
  const expected: Record<string, { title: string; message: string; prefix: string }> = {
    en: { title: "There is a problem", message: "Enter the name of your GP practice or its town", prefix: "Error:" },
    ar: { title: "هناك مشكلة", message: "أدخل اسم عيادتك أو اسم المدينة التي هي فيها", prefix: "خطأ:" },
    uk: { title: "Виникла проблема", message: "Введіть назву своєї практики або місто, де вона розташована", prefix: "Помилка:" },
  };
  it("shows the NHS error summary and the field's error, in the page's language, for an empty or blank query", async () => {
    for (const [lang, e] of Object.entries(expected)) {
      for (const q of ["", "%20%20"]) {
        const res = await get(`/boards?q=${q}&lang=${lang}`);
        expect(res.status, `${lang} '${q}'`).toBe(400);
        expect(res.text).toContain(`<h2 class="nhsuk-error-summary__title">${e.title}</h2>`);
        expect(res.text).toContain(`<a href="#q">${e.message}</a>`);
        expect(res.text).toContain(`<span class="nhsuk-error-message" id="q-error"><span class="nhsuk-u-visually-hidden">${e.prefix}</span> ${e.message}</span>`);
        expect(res.text).toContain('class="nhsuk-input nhsuk-input--error" id="q" name="q" type="search" value=""');
        expect(res.text).toMatch(new RegExp(`<title>${e.prefix} `));
      }
    }
  });

  it("shows no error on /boards without a query, nor for a real search", async () => {
    for (const url of ["/boards", "/boards?q=riverside"]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).not.toContain("nhsuk-error-summary");
    }
  });
});

describe("defect 9: the poster's web address breaks only at a slash", () => {
  it("puts a line-break opportunity after each slash and none inside a word, and never breaks it anywhere", async () => {
    const html = (await get(`/p/${slug}/poster?lang=ar`)).text;
    const link = /<a href="([^"]+)" dir="ltr" class="app-poster__url">([\s\S]*?)<\/a>/.exec(html)!;
    expect(link[2]!.split("<wbr>")).toEqual([link[1]!.replace(/\/p\/.*$/, "/"), "p/", slug, "?lang=ar"]);
    const css = (await get("/public/css/app.css")).text;
    expect(css).toMatch(/\.app-poster__url \{ overflow-wrap: break-word; \}/);
    expect(css).not.toMatch(/\.app-poster__url \{[^}]*anywhere/);
  });
});
