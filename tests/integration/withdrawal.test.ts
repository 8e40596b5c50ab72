// Withdrawal is immediate: two app processes (two createApp instances, each
// with its own database pool and its own public page cache, on one database),
// both with the longest public cache allowed. A manager takes an idea off the
// board on one; the very next request on the other no longer shows it, on the
// board, the idea page, the feed and the poster. Also: a shared cache is told
// to revalidate (no-cache + ETag, 304), and during a database outage the last
// page is served rather than an error.
import crypto from "node:crypto";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/index.js";
import { createTestContext, signInAs, type TestContext } from "../helpers/app.js";
import { createGroupAndSession, createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { createIdea } from "../helpers/public.js";

let one: TestContext;
let otherDb: Database;
let other: ReturnType<typeof createApp>;
let f: PracticeFixture;
let base: { practiceId: string; sessionId: string; groupId: string; themeId: string };

const env = { PUBLIC_CACHE_SECONDS: "60", PUBLIC_URL: "https://ppg.example" };

beforeAll(async () => {
  one = await createTestContext(env);
  const logger = pino({ level: "silent" });
  otherDb = await openDatabase({ databaseUrl: one.databaseUrl, dataDir: "/nonexistent", logger, migrate: false, poolSize: 2 });
  other = createApp({ config: loadConfig({ NODE_ENV: "test", DATABASE_URL: one.databaseUrl, LOG_LEVEL: "silent", ...env }), db: otherDb, logger, sessionSecret: crypto.randomBytes(32).toString("hex") });
  f = await createPracticeWithStaff(one.prisma, "Withdrawal");
  const g = await createGroupAndSession(one.prisma, f);
  const themeId = (await one.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } })).id;
  base = { practiceId: f.practice.id, sessionId: g.session.id, groupId: g.group.id, themeId };
});
afterAll(async () => {
  await otherDb?.close().catch(() => undefined);
  await one?.close();
});

const surfaces = (slug: string, id: string) => [`/p/${slug}`, `/p/${slug}/feed.atom`, `/p/${slug}/poster`, `/p/${slug}/ideas/${id}`];

async function publishedIdea(text: string) {
  return createIdea(one.prisma, { ...base, text, consent: "PUBLIC", published: true, responses: [{ status: "PLANNED", text: `Answer to ${text}` }] });
}

describe("withdrawal is immediate on every process", () => {
  it("unpublished on one process: gone from every public page of the other at the next request", async () => {
    const idea = await publishedIdea("Withdraw me please");
    const slug = f.practice.slug;
    // Both processes have every page cached.
    for (const app of [one.app, other]) {
      for (const url of surfaces(slug, idea.id)) {
        const res = await request(app).get(url);
        expect(res.status, url).toBe(200);
        expect(res.text, url).toContain("Withdraw me please");
        expect((await request(app).get(url)).text, url).toContain("Withdraw me please");
      }
    }
    const manager = await signInAs(one.app, f.manager.email, f.manager.password);
    const res = await manager.agent.post(`/ideas/${idea.id}/unpublish`).type("form").send({ _csrf: manager.csrf, confirm: "yes" });
    expect(res.status).toBe(303);
    for (const app of [other, one.app]) {
      const [board, feed, poster, page] = await Promise.all(surfaces(slug, idea.id).map((url) => request(app).get(url)));
      expect(board!.text).not.toContain("Withdraw me please");
      expect(feed!.text).not.toContain("Withdraw me please");
      expect(poster!.text).not.toContain("Withdraw me please");
      expect(page!.status).toBe(404);
    }
  });

  it("consent narrowed on one process: gone from the other at the next request", async () => {
    const idea = await publishedIdea("Narrow me please");
    const slug = f.practice.slug;
    expect((await request(other).get(`/p/${slug}`)).text).toContain("Narrow me please");
    const manager = await signInAs(one.app, f.manager.email, f.manager.password);
    const fresh = await one.prisma.idea.findUniqueOrThrow({ where: { id: idea.id } });
    const res = await manager.agent.post(`/ideas/${idea.id}/edit`).type("form")
      .send({ _csrf: manager.csrf, version: String(fresh.version), text: fresh.text, themeId: fresh.themeId, consent: "PRACTICE_ONLY" });
    expect(res.status).toBe(303);
    expect((await request(other).get(`/p/${slug}`)).text).not.toContain("Narrow me please");
    expect((await request(other).get(`/p/${slug}/ideas/${idea.id}`)).status).toBe(404);
  });

  it("tells browsers and shared caches to revalidate: no-cache, an ETag, and 304 while nothing changed", async () => {
    const slug = f.practice.slug;
    const first = await request(other).get(`/p/${slug}`);
    expect(first.headers["cache-control"]).toBe("no-cache");
    expect(first.headers.etag).toBeTruthy();
    const again = await request(other).get(`/p/${slug}`).set("If-None-Match", String(first.headers.etag));
    expect(again.status).toBe(304);
    await publishedIdea("A new one");
    const changed = await request(other).get(`/p/${slug}`).set("If-None-Match", String(first.headers.etag));
    expect(changed.status).toBe(200);
    expect(changed.text).toContain("A new one");
  });

  it("serves the last page during a database outage rather than an error", async () => {
    const slug = f.practice.slug;
    const before = await request(other).get(`/p/${slug}`);
    expect(before.status).toBe(200);
    await otherDb.close();
    const during = await request(other).get(`/p/${slug}`);
    expect(during.status).toBe(200);
    expect(during.text).toBe(before.text);
    // A page it never had is an error, as before.
    expect((await request(other).get(`/p/${slug}?status=DONE`)).status).toBeGreaterThanOrEqual(500);
  });
});
