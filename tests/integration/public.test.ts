// The public side: the board, idea pages, a group's own board, the feed and
// the poster; languages, caching, bad input and bounded queries.
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newLinkToken } from "../../src/features/practices/service.js";
import { signInAs, type TestContext } from "../helpers/app.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createCountingContext, createIdea } from "../helpers/public.js";

let ctx: TestContext & { queries: string[] };
let f: PracticeFixture;
let other: PracticeFixture;
let slug: string;
const ids: Record<string, string> = {};
let group1: { id: string; linkToken: string; name: string };
let group2: { id: string; linkToken: string; name: string };
let themes: { id: string; name: string }[];

beforeAll(async () => {
  ctx = await createCountingContext({ PUBLIC_URL: "https://ppg.example.org" });
  const prisma = ctx.prisma;
  f = await createPracticeWithStaff(prisma, "Board Practice");
  slug = f.practice.slug;
  const s1 = await createGroupAndSession(prisma, f);
  const s2 = await createGroupAndSession(prisma, f);
  await prisma.communityGroup.update({ where: { id: s1.group.id }, data: { name: "Women's group" } });
  await prisma.communityGroup.update({ where: { id: s2.group.id }, data: { name: "Breakfast club" } });
  group1 = { ...s1.group, name: "Women's group" };
  group2 = { ...s2.group, name: "Breakfast club" };
  themes = await prisma.theme.findMany({ where: { practiceId: f.practice.id }, orderBy: { position: "asc" } });
  const base = { practiceId: f.practice.id, sessionId: s1.session.id, groupId: group1.id, themeId: themes[0]!.id };
  ids.done = (await createIdea(prisma, {
    ...base, text: "Book appointments at the desk", consent: "PUBLIC", published: true, ageDays: 40,
    responses: [
      { status: "UNDER_CONSIDERATION", text: "We are looking at the desk idea.", daysAgo: 30, authorId: f.manager.id },
      { status: "DONE", text: "Ten appointments a day are now kept for the desk.", daysAgo: 2, authorId: f.manager.id },
    ],
  })).id;
  ids.inProgress = (await createIdea(prisma, {
    ...base, text: "Letters in our language", consent: "PUBLIC", published: true, ageDays: 30,
    responses: [
      { status: "IN_PROGRESS", text: "We asked the hospital to translate letters.", daysAgo: 10 },
      { status: "NOT_POSSIBLE", text: "Private note: the hospital refused.", daysAgo: 1, isPublic: false },
    ],
  })).id;
  ids.waiting = (await createIdea(prisma, { ...base, text: "A quiet room for children", consent: "PUBLIC", published: true, ageDays: 21 })).id;
  ids.group2 = (await createIdea(prisma, {
    ...base, sessionId: s2.session.id, groupId: group2.id, themeId: themes[1]!.id, text: "Register without an address", consent: "PUBLIC", published: true, ageDays: 15,
    responses: [{ status: "PLANNED", text: "Reception will register people without an address.", daysAgo: 5, authorRole: "FACILITATOR", targetDate: new Date("2027-03-01") }],
  })).id;
  ids.unpublished = (await createIdea(prisma, { ...base, text: "Unpublished public idea", consent: "PUBLIC", published: false })).id;
  ids.groupOnly = (await createIdea(prisma, {
    ...base, text: "Group only idea", consent: "GROUP_ONLY", published: false,
    responses: [{ status: "PLANNED", text: "Group only answer.", daysAgo: 3 }],
  })).id;
  ids.practiceOnly = (await createIdea(prisma, { ...base, text: "Practice only idea", consent: "PRACTICE_ONLY", published: true })).id;
  // Another practice's published idea.
  other = await createPracticeWithStaff(prisma, "Other Practice");
  const o = await createGroupAndSession(prisma, other);
  const otherTheme = await prisma.theme.findFirstOrThrow({ where: { practiceId: other.practice.id } });
  ids.otherPractice = (await createIdea(prisma, {
    practiceId: other.practice.id, sessionId: o.session.id, groupId: o.group.id, themeId: otherTheme.id, text: "Other practice idea", consent: "PUBLIC", published: true,
  })).id;
});
afterAll(() => ctx?.close());

const get = (url: string) => request(ctx.app).get(url);
/** A page without its language links (which point at the page's own address). */
const withoutSwitcher = (html: string) => html.replace(/<nav class="app-language-bar[^"]*"[\s\S]*?<\/nav>/, "");

describe("the practice board /p/:slug", () => {
  it("shows published PUBLIC ideas with their latest public response, and nothing else", async () => {
    const res = await get(`/p/${slug}`);
    expect(res.status).toBe(200);
    for (const text of ["Book appointments at the desk", "Ten appointments a day are now kept for the desk.", "Letters in our language", "We asked the hospital to translate letters.", "A quiet room for children", "Register without an address"]) {
      expect(res.text).toContain(text);
    }
    // Only the latest public response is on the board; a later private one never shows.
    expect(res.text).not.toContain("We are looking at the desk idea.");
    for (const text of ["Unpublished public idea", "Group only idea", "Group only answer.", "Practice only idea", "Private note", "Other practice idea"]) {
      expect(res.text).not.toContain(text);
    }
    expect(res.text).toContain(`href="/p/${slug}/ideas/${ids.done}"`);
  });

  it("counts at the top: the total and how many are done (by the latest public response)", async () => {
    const res = await get(`/p/${slug}`);
    expect(res.text).toContain("4 ideas. Done so far: 1.");
  });

  it("says how long the practice has had an idea with no public response", async () => {
    const res = await get(`/p/${slug}`);
    expect(res.text).toContain("The practice has had this idea for 3 weeks.");
    expect(res.text).toContain("Waiting for an answer");
  });

  it("shows the author's role, never their name", async () => {
    const res = await get(`/p/${slug}`);
    expect(res.text).toContain("The practice manager");
    expect(res.text).toContain("The session facilitator");
    expect(res.text).not.toContain("MANAGER ");
    expect(res.text).not.toContain(f.manager.email);
  });

  it("filters by theme, group and status with a plain GET form", async () => {
    const page = await get(`/p/${slug}`);
    // Folded away until a filter is chosen.
    expect(page.text).toMatch(/<details class="nhsuk-details app-board-filters">[\s\S]*?<form method="get" action="\/p\/[^"]+" novalidate>/);
    const byGroup = await get(`/p/${slug}?group=${group2.id}`);
    expect(byGroup.text).toContain('<details class="nhsuk-details app-board-filters" open>');
    expect(byGroup.text).toContain("Register without an address");
    expect(byGroup.text).not.toContain("Book appointments at the desk");
    expect(byGroup.text).toContain("1 idea found");
    const byTheme = await get(`/p/${slug}?theme=${themes[1]!.id}`);
    expect(byTheme.text).toContain("Register without an address");
    expect(byTheme.text).not.toContain("Letters in our language");
    const done = await get(`/p/${slug}?status=DONE`);
    expect(done.text).toContain("Book appointments at the desk");
    expect(done.text).not.toContain("Letters in our language");
    const waiting = await get(`/p/${slug}?status=WAITING`);
    expect(waiting.text).toContain("A quiet room for children");
    expect(waiting.text).not.toContain("Book appointments at the desk");
    // A private response's status never counts: nothing is NOT_POSSIBLE publicly.
    const notPossible = await get(`/p/${slug}?status=NOT_POSSIBLE`);
    expect(notPossible.text).toContain("No ideas match what you chose.");
    // Counts at the top stay those of the whole board.
    expect(notPossible.text).toContain("4 ideas. Done so far: 1.");
  });

  it("ignores garbage filter and page values, never a 500", async () => {
    const urls = [
      `/p/${slug}?theme=nonsense&group=%00&status=DELETED&page=abc`,
      `/p/${slug}?theme[]=x&group[a]=b&status[]=DONE&page[]=2`,
      `/p/${slug}?theme=${themes[0]!.id}&theme=${themes[1]!.id}`,
      `/p/${slug}?page=-5`,
      `/p/${slug}?page=99999999999999999999`,
      `/p/${slug}?page=1e9`,
      `/p/${slug}?status=done`,
      `/p/${slug}?theme=${other.practice.id}`,
      `/p/${slug}?lang=xx`,
      `/p/${slug}?lang[]=ar`,
      `/p/${slug}?%E0%A4%A=1`,
    ];
    for (const url of urls) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.text, url).toContain("Book appointments at the desk");
    }
    // A uuid that is not one of this board's themes is ignored, not a filter matching nothing.
    const foreign = await get(`/p/${slug}?theme=${other.practice.id}`);
    expect(foreign.text).not.toContain("Clear filters");
    expect(foreign.text.match(/app-idea-card"/g)?.length).toBe(4);
  });

  it("404s an unknown or malformed slug with the usual page", async () => {
    for (const url of ["/p/no-such-practice", "/p/UPPER", "/p/%27%3B--", `/p/${"a".repeat(300)}`]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.text).toContain("Page not found");
    }
  });

  it("lists a board page by page with a bounded number of queries, clamping out-of-range pages", async () => {
    const p = await createPracticeWithStaff(ctx.prisma, "Busy Practice");
    const { group, session } = await createGroupAndSession(ctx.prisma, p);
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p.practice.id } });
    const now = Date.now();
    const make = async (n: number, from: number) => {
      for (let i = from; i < from + n; i++) {
        const idea = await ctx.prisma.idea.create({
          data: {
            practiceId: p.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, text: `Busy idea number ${i}.`, consent: "PUBLIC",
            dueAt: new Date(now), publishedAt: new Date(now - i * 60_000), createdAt: new Date(now - 30 * 864e5),
          },
        });
        await ctx.prisma.response.create({ data: { practiceId: p.practice.id, ideaId: idea.id, status: "DONE", text: `Busy answer ${i}.`, authorRole: "MANAGER", createdAt: new Date(now - i * 60_000) } });
      }
    };
    await make(5, 0);
    ctx.queries.length = 0;
    expect((await get(`/p/${p.practice.slug}`)).status).toBe(200);
    const few = ctx.queries.length;
    await make(40, 5);
    ctx.queries.length = 0;
    const first = await get(`/p/${p.practice.slug}`);
    const many = ctx.queries.length;
    expect(many).toBe(few);
    expect(many).toBeLessThanOrEqual(6);
    expect(first.text).toContain("45 ideas. Done so far: 45.");
    expect(first.text).toContain("Busy idea number 0.");
    expect(first.text).toContain("Busy idea number 19.");
    expect(first.text).not.toContain("Busy idea number 20.");
    expect(first.text).toContain(`href="/p/${p.practice.slug}?page=2"`);
    const third = await get(`/p/${p.practice.slug}?page=3`);
    expect(third.text).toContain("Busy idea number 44.");
    expect(third.text).not.toContain("Busy idea number 39.");
    // Far past the end: the last page, not an empty one or an error.
    const past = await get(`/p/${p.practice.slug}?page=9999`);
    expect(past.status).toBe(200);
    expect(past.text).toContain("Busy idea number 44.");
    // Filters are kept in the page links.
    const filtered = await get(`/p/${p.practice.slug}?status=DONE`);
    expect(filtered.text).toContain(`href="/p/${p.practice.slug}?status=DONE&amp;page=2"`);
    // Translated page links.
    const ar = await get(`/p/${p.practice.slug}?page=2&lang=ar`);
    expect(ar.text).toContain('aria-label="التنقل بين الصفحات"');
    expect(ar.text).toContain('aria-label="الصفحة 3"');
    expect(ar.text).toContain("التالي");
  });
});

describe("an idea's page /p/:slug/ideas/:id", () => {
  it("shows the idea and its public timeline, oldest first, without private responses", async () => {
    const res = await get(`/p/${slug}/ideas/${ids.done}`);
    expect(res.status).toBe(200);
    const a = res.text.indexOf("We are looking at the desk idea.");
    const b = res.text.indexOf("Ten appointments a day are now kept for the desk.");
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(a);
    const inProgress = await get(`/p/${slug}/ideas/${ids.inProgress}`);
    expect(inProgress.text).toContain("We asked the hospital to translate letters.");
    expect(inProgress.text).not.toContain("Private note");
    expect(inProgress.text).toContain("In progress");
    const planned = await get(`/p/${slug}/ideas/${ids.group2}`);
    expect(planned.text).toContain("Expected by 1 March 2027");
    const waiting = await get(`/p/${slug}/ideas/${ids.waiting}`);
    expect(waiting.text).toContain("The practice has had this idea for 3 weeks.");
  });

  it("404s unknown, malformed, unpublished, group-only, practice-only and other practices' ideas", async () => {
    const urls = [
      `/p/${slug}/ideas/${"0".repeat(8)}-0000-0000-0000-${"0".repeat(12)}`,
      `/p/${slug}/ideas/not-a-uuid`,
      `/p/${slug}/ideas/${ids.unpublished}`,
      `/p/${slug}/ideas/${ids.groupOnly}`,
      `/p/${slug}/ideas/${ids.practiceOnly}`,
      `/p/${slug}/ideas/${ids.otherPractice}`,
      `/p/${other.practice.slug}/ideas/${ids.done}`,
      `/p/no-such-practice/ideas/${ids.done}`,
    ];
    const notFound = withoutSwitcher((await get("/no-such-page")).text);
    for (const url of urls) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(withoutSwitcher(res.text), url).toBe(notFound);
    }
  });
});

describe("a group's board /g/:token", () => {
  // Issue #17: the group sees everything it said that it may see: its PUBLIC ideas
  // at once (marked as not yet on the public board until published) and its GROUP_ONLY ideas.
  it("shows the group's PUBLIC ideas (published or not yet) and its GROUP_ONLY ideas, and no other group's", async () => {
    const res = await get(`/g/${group1.linkToken}`);
    expect(res.status).toBe(200);
    expect(res.text).toContain("Book appointments at the desk");
    expect(res.text).toContain("Group only idea");
    expect(res.text).toContain("Group only answer.");
    expect(res.text).toContain("Only for your group");
    expect(res.text).toContain("Unpublished public idea");
    expect(res.text).toContain("Not on the public board yet");
    expect(res.text).toContain("until the practice checks and publishes them");
    for (const text of ["Register without an address", "Practice only idea", "Private note", "Other practice idea"]) {
      expect(res.text).not.toContain(text);
    }
    expect(res.text).toContain(`href="/g/${group1.linkToken}/ideas/${ids.groupOnly}"`);
    const idea = await get(`/g/${group1.linkToken}/ideas/${ids.groupOnly}`);
    expect(idea.status).toBe(200);
    expect(idea.text).toContain("Group only answer.");
    const g2 = await get(`/g/${group2.linkToken}`);
    expect(g2.text).toContain("Register without an address");
    expect(g2.text).not.toContain("Group only idea");
    expect((await get(`/g/${group2.linkToken}/ideas/${ids.groupOnly}`)).status).toBe(404);
    expect((await get(`/g/${group1.linkToken}/ideas/${ids.practiceOnly}`)).status).toBe(404);
    expect((await get(`/g/${group1.linkToken}/ideas/${ids.unpublished}`)).status).toBe(200);
    expect((await get(`/g/${group2.linkToken}/ideas/${ids.unpublished}`)).status).toBe(404);
  });

  it("is not indexed and sends no referrer", async () => {
    const res = await get(`/g/${group1.linkToken}`);
    expect(res.text).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(res.headers["x-robots-tag"]).toContain("noindex");
    expect(res.headers["referrer-policy"]).toBe("no-referrer");
    expect(res.headers["cache-control"]).toBe("private, no-cache");
    const idea = await get(`/g/${group1.linkToken}/ideas/${ids.groupOnly}`);
    expect(idea.text).toContain('<meta name="robots" content="noindex, nofollow">');
    expect(idea.headers["x-robots-tag"]).toContain("noindex");
    // The practice's own board may be indexed.
    expect((await get(`/p/${slug}`)).text).not.toContain('name="robots"');
  });

  it("404s an unknown, rotated or archived token with the same page as any 404", async () => {
    const notFound = withoutSwitcher((await get("/no-such-page")).text);
    const p = await createPracticeWithStaff(ctx.prisma, "Rotating Practice");
    const { group } = await createGroupAndSession(ctx.prisma, p);
    const old = group.linkToken;
    expect((await get(`/g/${old}`)).status).toBe(200);
    await ctx.prisma.communityGroup.update({ where: { id: group.id }, data: { linkToken: newLinkToken() } });
    const archived = await createGroupAndSession(ctx.prisma, p);
    await ctx.prisma.communityGroup.update({ where: { id: archived.group.id }, data: { archivedAt: new Date() } });
    for (const url of [`/g/${old}`, `/g/${newLinkToken()}`, `/g/${archived.group.linkToken}`, "/g/x", `/g/${"y".repeat(500)}`, `/g/${old}/ideas/${ids.done}`]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(withoutSwitcher(res.text), url).toBe(notFound);
      expect(res.headers["x-robots-tag"], url).toContain("noindex");
    }
  });

  it("answers an unknown token in about the time of a real one (same queries)", async () => {
    const hit = `/g/${group1.linkToken}`;
    // Same queries for a miss as for a hit.
    ctx.queries.length = 0;
    await get(hit);
    const hitQueries = ctx.queries.length;
    ctx.queries.length = 0;
    await get(`/g/${newLinkToken()}`);
    expect(ctx.queries.length).toBe(hitQueries);
    // Medians of interleaved requests stay within a tolerance of each other.
    const times = { hit: [] as number[], miss: [] as number[] };
    for (let i = 0; i < 3; i++) await get(hit); // warm up
    for (let i = 0; i < 15; i++) {
      for (const kind of ["hit", "miss"] as const) {
        const url = kind === "hit" ? hit : `/g/${newLinkToken()}`;
        const start = process.hrtime.bigint();
        await get(url);
        times[kind].push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const h = median(times.hit);
    const m = median(times.miss);
    expect(Math.abs(h - m), `hit ${h.toFixed(1)} ms, miss ${m.toFixed(1)} ms`).toBeLessThan(Math.max(25, 0.5 * h));
  });
});

describe("the Atom feed", () => {
  it("lists publications and public responses with absolute links from PUBLIC_URL", async () => {
    const res = await get(`/p/${slug}/feed.atom`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/atom\+xml; charset=utf-8/);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\s*<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect(res.text).toContain(`<link href="https://ppg.example.org/p/${slug}/ideas/${ids.done}"`);
    expect(res.text).toContain("Done: Book appointments at the desk");
    expect(res.text).toContain("Ten appointments a day are now kept for the desk.");
    expect(res.text).toContain("New idea on the board: A quiet room for children");
    for (const text of ["Unpublished public idea", "Group only", "Practice only idea", "Private note", "Other practice idea"]) {
      expect(res.text).not.toContain(text);
    }
    expect((await get("/p/no-such-practice/feed.atom")).status).toBe(404);
  });

  it("never uses the request's host: without PUBLIC_URL (outside production) links go to http://localhost:PORT", async () => {
    const { createTestContext } = await import("../helpers/app.js");
    const plain = await createTestContext();
    try {
      const p = await createPracticeWithStaff(plain.prisma, "Hostless");
      const { group, session } = await createGroupAndSession(plain.prisma, p);
      const theme = await plain.prisma.theme.findFirstOrThrow({ where: { practiceId: p.practice.id } });
      const idea = await createIdea(plain.prisma, { practiceId: p.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id, text: "Hostless idea", consent: "PUBLIC", published: true });
      const res = await request(plain.app).get(`/p/${p.practice.slug}/feed.atom`).set("Host", "evil.example:8080");
      expect(res.text).toContain(`<link href="http://localhost:3000/p/${p.practice.slug}/ideas/${idea.id}"`);
      expect(res.text).not.toContain("evil.example");
      const poster = await request(plain.app).get(`/p/${p.practice.slug}/poster`).set("Host", "evil.example:8080");
      expect(poster.text).not.toContain("evil.example");
    } finally {
      await plain.close();
    }
  });
});

describe("the poster", () => {
  it("is an A4 print page with the latest items and a QR code (inline SVG) to the board", async () => {
    const res = await get(`/p/${slug}/poster`);
    expect(res.status).toBe(200);
    expect(res.text).toContain('class="app-poster"');
    expect(res.text).toMatch(/<div class="app-poster__qr-code" role="img" aria-label="[^"]+"><svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(res.text).toContain(`https://ppg.example.org/p/${slug}`);
    expect(res.text).toContain("Ten appointments a day are now kept for the desk.");
    expect(res.text).not.toContain("Group only idea");
    const css = await get("/public/css/app.css");
    expect(css.text).toMatch(/@page poster \{ size: a4;/i);
    // In Arabic, the QR code leads to the board in Arabic.
    const ar = await get(`/p/${slug}/poster?lang=ar`);
    expect(ar.text).toContain(`https://ppg.example.org/p/${slug}?lang=ar`);
    expect(ar.text).toContain('dir="rtl"');
  });

  it("escapes staff-written text everywhere (only the generated SVG is raw)", async () => {
    const s = await createGroupAndSession(ctx.prisma, f);
    await ctx.prisma.communityGroup.update({ where: { id: s.group.id }, data: { name: "<b>bold group</b>" } });
    const idea = await createIdea(ctx.prisma, {
      practiceId: f.practice.id, sessionId: s.session.id, groupId: s.group.id, themeId: themes[2]!.id, text: '<script>alert("x")</script>', consent: "PUBLIC", published: true,
      responses: [{ status: "DONE", text: "<img src=x onerror=alert(1)>", daysAgo: 0 }],
    });
    try {
      for (const url of [`/p/${slug}`, `/p/${slug}/ideas/${idea.id}`, `/p/${slug}/poster`, `/g/${s.group.linkToken}`]) {
        const res = await get(url);
        expect(res.text, url).toContain("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;");
        expect(res.text, url).not.toContain("<script>alert");
        expect(res.text, url).not.toContain("<img src=x");
        expect(res.text, url).not.toContain("<b>bold group</b>");
      }
      // The feed's summaries are HTML: staff text is escaped inside them.
      const feed = await get(`/p/${slug}/feed.atom`);
      expect(feed.text).not.toContain("<script>alert");
      expect(feed.text).toContain("&lt;script&gt;alert");
    } finally {
      await ctx.prisma.response.deleteMany({ where: { ideaId: idea.id } });
      await ctx.prisma.idea.delete({ where: { id: idea.id } });
    }
  });
});

describe("languages", () => {
  it("switches with ?lang=, remembers it in a cookie, and mirrors Arabic right to left", async () => {
    const agent = request.agent(ctx.app);
    const ar = await agent.get(`/p/${slug}?lang=ar`);
    expect(ar.text).toMatch(/<html lang="ar" dir="rtl"/);
    expect(ar.text).toMatch(/<h1[^>]*>قلتم، ففعلنا<\/h1>/);
    expect(ar.text).toContain('<span class="nhsuk-header__service-name">قلتم، ففعلنا</span>');
    expect(ar.text).toMatch(/<title>[^<]+ – قلتم، ففعلنا<\/title>/);
    expect(String(ar.headers["set-cookie"])).toMatch(/^lang=ar;/);
    // Staff-written text stays as written.
    expect(ar.text).toContain("Book appointments at the desk");
    expect(ar.text).toContain("تم التنفيذ");
    const remembered = await agent.get(`/p/${slug}/ideas/${ids.done}`);
    expect(remembered.text).toMatch(/<html lang="ar" dir="rtl"/);
    expect(remembered.headers["set-cookie"]).toBeUndefined();
    const uk = await agent.get(`/p/${slug}?lang=uk`);
    expect(uk.text).toMatch(/<html lang="uk" dir="ltr"/);
    expect(uk.text).toMatch(/<h1[^>]*>Ви сказали — ми зробили<\/h1>/);
    expect(uk.text).toContain("4 ідеї. Уже виконано: 1.");
    expect(uk.text).toContain("Практика має цю ідею вже 3 тижні.");
  });

  it("follows Accept-Language without a cookie, and formats dates in the language (Europe/London)", async () => {
    const uk = await get(`/p/${slug}/ideas/${ids.group2}`).set("Accept-Language", "uk-UA,uk;q=0.9");
    expect(uk.text).toMatch(/<html lang="uk"/);
    expect(uk.text).toContain("Очікується до 1 березня 2027");
    const ar = await get(`/p/${slug}/ideas/${ids.group2}`).set("Accept-Language", "ar");
    expect(ar.text).toContain(new Intl.DateTimeFormat("ar", { timeZone: "UTC", day: "numeric", month: "long", year: "numeric" }).format(new Date("2027-03-01")));
    expect(ar.text).toContain("ميسّر الجلسة");
  });

  it("translates the feed", async () => {
    const res = await get(`/p/${slug}/feed.atom?lang=ar`);
    expect(res.text).toContain("فكرة جديدة على اللوحة: A quiet room for children");
  });
});

describe("fast and light", () => {
  it("sets no cookie on any public page unless the language is chosen", async () => {
    const urls = [`/p/${slug}`, `/p/${slug}/ideas/${ids.done}`, `/p/${slug}/feed.atom`, `/p/${slug}/poster`, `/g/${group1.linkToken}`, `/g/${group1.linkToken}/ideas/${ids.groupOnly}`, "/p/nope", "/g/nope"];
    const sessionsBefore = await ctx.prisma.httpSession.count();
    for (const url of urls) {
      const res = await get(url);
      expect(res.headers["set-cookie"], url).toBeUndefined();
      const withLang = await get(`${url}${url.includes("?") ? "&" : "?"}lang=uk`);
      expect(([] as string[]).concat(withLang.headers["set-cookie"] ?? []).map((c) => c.split("=")[0]), url).toEqual(["lang"]);
    }
    expect(await ctx.prisma.httpSession.count()).toBe(sessionsBefore);
  });

  it("does not touch a signed-in visitor's session on public pages", async () => {
    const { agent } = await signInAs(ctx.app, f.manager.email, f.manager.password);
    const res = await agent.get(`/p/${slug}`);
    expect(res.status).toBe(200);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(res.text).not.toContain("Sign out");
    expect(res.headers["cache-control"]).toBe("no-cache");
  });

  it("answers a repeat request with 304 (ETag), with cache headers that vary by language", async () => {
    for (const url of [`/p/${slug}`, `/p/${slug}/ideas/${ids.done}`, `/p/${slug}/feed.atom`, `/p/${slug}/poster`, `/g/${group1.linkToken}`]) {
      const first = await get(url);
      expect(first.status).toBe(200);
      const etag = first.headers.etag as string;
      expect(etag, url).toBeTruthy();
      expect(first.headers.vary, url).toMatch(/Cookie/);
      expect(first.headers.vary, url).toMatch(/Accept-Language/);
      expect(first.headers["cache-control"], url).toMatch(url.startsWith("/g/") ? /^private, no-cache$/ : /^no-cache$/);
      const again = await get(url).set("If-None-Match", etag);
      expect(again.status, url).toBe(304);
      expect(again.text ?? "").toBe("");
      // Another language is another body, so another ETag.
      const other = await get(url).set("Accept-Language", "ar").set("If-None-Match", etag);
      expect(other.status, url).toBe(200);
    }
    // A change on the board changes the ETag.
    const before = (await get(`/p/${slug}`)).headers.etag;
    await ctx.prisma.response.create({ data: { practiceId: f.practice.id, ideaId: ids.waiting!, status: "RECEIVED", text: "Thank you, we have your idea.", authorRole: "MANAGER" } });
    const after = await get(`/p/${slug}`).set("If-None-Match", before as string);
    expect(after.status).toBe(200);
    expect(after.text).toContain("Thank you, we have your idea.");
    await ctx.prisma.response.deleteMany({ where: { ideaId: ids.waiting } });
  });

  it("never caches a page that sets the language cookie in a shared cache", async () => {
    const res = await get(`/p/${slug}?lang=ar`);
    expect(res.headers["cache-control"]).toBe("private, no-cache");
  });

  it("needs no JavaScript: no script beyond the progressive-enhancement bundle", async () => {
    const res = await get(`/p/${slug}`);
    const scripts = res.text.match(/<script[^>]*>/g) ?? [];
    expect(scripts).toEqual(['<script type="module" src="/public/js/app.js">']);
  });
});
