// The in-process cache of rendered public pages (PUBLIC_CACHE_SECONDS), keyed
// by the practice's data version: a hit costs one statement (the practice
// row), a change shows at the next request; languages, practices and URLs
// never share an entry, unknown query parameters do not make a miss; headers
// (language cookie, Cache-Control: no-cache, ETag/304) are as without the
// cache; a group's private-link pages are never cached.
import { setTimeout as sleep } from "node:timers/promises";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestContext } from "../helpers/app.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createCountingContext, createIdea } from "../helpers/public.js";

let ctx: TestContext & { queries: string[] };
let a: PracticeFixture;
let b: PracticeFixture;
let ideaA: string;
let groupA: { id: string; linkToken: string };
let base: { practiceId: string; sessionId: string; groupId: string; themeId: string };

beforeAll(async () => {
  ctx = await createCountingContext({ PUBLIC_CACHE_SECONDS: "2" });
  const prisma = ctx.prisma;
  a = await createPracticeWithStaff(prisma, "Cache Practice A");
  b = await createPracticeWithStaff(prisma, "Cache Practice B");
  const sa = await createGroupAndSession(prisma, a);
  const sb = await createGroupAndSession(prisma, b);
  groupA = sa.group;
  const themeA = await prisma.theme.findFirstOrThrow({ where: { practiceId: a.practice.id } });
  const themeB = await prisma.theme.findFirstOrThrow({ where: { practiceId: b.practice.id } });
  base = { practiceId: a.practice.id, sessionId: sa.session.id, groupId: sa.group.id, themeId: themeA.id };
  ideaA = (await createIdea(prisma, { ...base, text: "Practice A idea", consent: "PUBLIC", published: true })).id;
  await createIdea(prisma, { ...base, text: "Group A only idea", consent: "GROUP_ONLY" });
  await createIdea(prisma, { practiceId: b.practice.id, sessionId: sb.session.id, groupId: sb.group.id, themeId: themeB.id, text: "Practice B idea", consent: "PUBLIC", published: true });
});
afterAll(() => ctx?.close());

const get = (url: string) => request(ctx.app).get(url);
/** Past the TTL and the stale window (2 x TTL): the next request renders afresh. */
const afterTtl = () => sleep(4_100);

describe("public page cache", () => {
  it("serves a repeat request with one statement (the practice's data version), and shows a change at the next request", async () => {
    const slug = a.practice.slug;
    const first = await get(`/p/${slug}`);
    expect(first.status).toBe(200);
    expect(first.text).toContain("Practice A idea");
    expect(first.text).not.toContain("Practice A second idea");

    ctx.queries.length = 0;
    const cached = await get(`/p/${slug}`);
    expect(cached.text).toBe(first.text);
    expect(ctx.queries).toHaveLength(1);
    expect(ctx.queries[0]).toMatch(/"Practice"/);

    // Unknown, repeated or bracketed parameters do not make a miss.
    for (const q of ["?utm_source=poster", "?status=DONE&status=PLANNED", "?status[x]=1", "?page=1&fbclid=abc"]) {
      ctx.queries.length = 0;
      const same = await get(`/p/${slug}${q}`);
      expect(same.text, q).toBe(first.text);
      expect(ctx.queries, q).toHaveLength(1);
    }

    await createIdea(ctx.prisma, { ...base, text: "Practice A second idea", consent: "PUBLIC", published: true });
    const fresh = await get(`/p/${slug}`);
    expect(fresh.text).toContain("Practice A second idea");
  });

  it("keeps the idea page, feed and poster per URL, and an idea's change shows at the next request", async () => {
    const slug = a.practice.slug;
    const host = (url: string) => get(url).set("Host", "cache.example");
    const urls = [`/p/${slug}/ideas/${ideaA}`, `/p/${slug}/feed.atom`, `/p/${slug}/poster`];
    for (const url of urls) expect((await host(url)).text, url).not.toContain("A planned answer for A.");
    await ctx.prisma.response.create({ data: { practiceId: a.practice.id, ideaId: ideaA, status: "PLANNED", text: "A planned answer for A.", authorRole: "MANAGER" } });
    for (const url of urls) expect((await host(url)).text, url).toContain("A planned answer for A.");
    expect((await host(urls[1]!)).headers["content-type"]).toBe("application/atom+xml; charset=utf-8");
    expect((await host(urls[2]!)).headers["content-type"]).toBe("text/html; charset=utf-8");
  });

  it("still shows a page that only changes with time after the TTL (one render)", async () => {
    const slug = a.practice.slug;
    await get(`/p/${slug}`);
    await afterTtl();
    ctx.queries.length = 0;
    expect((await get(`/p/${slug}`)).status).toBe(200);
    expect(ctx.queries.length).toBeGreaterThan(1);
  });

  it("never mixes languages (query, cookie, Accept-Language)", async () => {
    const slug = a.practice.slug;
    const en = await get(`/p/${slug}`);
    expect(en.text).toMatch(/<html lang="en"/);
    const byCookie = await get(`/p/${slug}`).set("Cookie", "lang=ar");
    expect(byCookie.text).toMatch(/<html lang="ar" dir="rtl"/);
    const byHeader = await get(`/p/${slug}`).set("Accept-Language", "uk");
    expect(byHeader.text).toMatch(/<html lang="uk"/);
    expect((await get(`/p/${slug}`)).text).toMatch(/<html lang="en"/);
    const feedAr = await get(`/p/${slug}/feed.atom?lang=ar`);
    expect(feedAr.text).toContain("فكرة جديدة");
    expect((await get(`/p/${slug}/feed.atom`)).text).not.toContain("فكرة جديدة");
  });

  it("never serves one practice's page for another's", async () => {
    const pa = await get(`/p/${a.practice.slug}`);
    const pb = await get(`/p/${b.practice.slug}`);
    expect(pa.text).toContain("Practice A idea");
    expect(pa.text).not.toContain("Practice B idea");
    expect(pb.text).toContain("Practice B idea");
    expect(pb.text).not.toContain("Practice A idea");
    // Another practice's idea id under this slug is still a 404, cached page or not.
    expect((await get(`/p/${b.practice.slug}/ideas/${ideaA}`)).status).toBe(404);
    expect((await get(`/p/${b.practice.slug}/ideas/${ideaA}`)).status).toBe(404);
    expect((await get("/p/no-such-practice")).status).toBe(404);
  });

  it("never puts the request's Host header into the feed or poster (they carry a public max-age)", async () => {
    const slug = a.practice.slug;
    const one = await get(`/p/${slug}/feed.atom`).set("Host", "evil.example");
    const two = await get(`/p/${slug}/feed.atom`).set("Host", "two.example");
    expect(one.text).toContain("http://localhost:3000/p/");
    expect(two.text).toContain("http://localhost:3000/p/");
    expect(one.text).not.toContain("evil.example");
    expect((await get(`/p/${slug}/poster`).set("Host", "evil.example")).text).not.toContain("evil.example");
  });

  it("keeps the headers: language cookie, Cache-Control and ETag/304 on a cached page", async () => {
    const slug = a.practice.slug;
    const warm = await get(`/p/${slug}`);
    const hit = await get(`/p/${slug}`);
    expect(hit.headers["cache-control"]).toBe("no-cache");
    expect(hit.headers["set-cookie"]).toBeUndefined();
    expect(hit.headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(hit.headers.vary).toBe(warm.headers.vary);
    expect(hit.headers.etag).toBe(warm.headers.etag);
    const notModified = await get(`/p/${slug}`).set("If-None-Match", String(hit.headers.etag));
    expect(notModified.status).toBe(304);
    // The language cookie is set on every ?lang= request, from the cache too; such a response is private.
    for (let i = 0; i < 2; i++) {
      const chosen = await get(`/p/${slug}?lang=uk`);
      expect(String(chosen.headers["set-cookie"])).toMatch(/^lang=uk;/);
      expect(chosen.headers["cache-control"]).toBe("private, no-cache");
    }
  });

  it("never caches a group's private-link pages: an archived link stops at once", async () => {
    const url = `/g/${groupA.linkToken}`;
    const first = await get(url);
    expect(first.status).toBe(200);
    expect(first.text).toContain("Group A only idea");
    expect(first.headers["cache-control"]).toBe("private, no-cache");
    await ctx.prisma.communityGroup.update({ where: { id: groupA.id }, data: { archivedAt: new Date() } });
    expect((await get(url)).status).toBe(404);
  });
});
