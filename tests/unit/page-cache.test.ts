// The in-process cache of rendered public pages: keyed by the practice's data
// version (a new version is never served an old page), fresh for the TTL, one
// more TTL stale-while-revalidate within a version, the last page during a
// database outage, bounded by size, one render for concurrent misses.
import { describe, expect, it } from "vitest";
import { PageCache, type CachedPage } from "../../src/features/public/page-cache.js";
import { NotFoundError } from "../../src/lib/errors.js";

const page = (body: string): CachedPage => ({ body, type: "html" });
const at = (v: string) => async () => v;
const down = async (): Promise<string> => {
  throw new Error("connect ECONNREFUSED");
};

describe("PageCache", () => {
  it("serves a page only for the data version it was rendered from", async () => {
    let now = 1_000;
    const cache = new PageCache({ ttlMs: 15_000, now: () => now });
    let renders = 0;
    const produce = async () => page(`A${++renders}`);
    expect((await cache.get("a", at("1"), produce)).body).toBe("A1");
    expect((await cache.get("a", at("1"), produce)).body).toBe("A1");
    // Something was saved (an idea unpublished): the very next request renders afresh.
    expect((await cache.get("a", at("2"), produce)).body).toBe("A2");
    expect(renders).toBe(2);
    now += 1;
    expect((await cache.get("a", at("2"), produce)).body).toBe("A2");
  });

  it("is fresh for the TTL, then serves the stale page once while it renders the next (same version only)", async () => {
    let now = 0;
    const cache = new PageCache({ ttlMs: 10_000, now: () => now });
    let renders = 0;
    const produce = async () => page(`P${++renders}`);
    await cache.get("a", at("5"), produce);
    now = 9_999;
    expect((await cache.get("a", at("5"), produce)).body).toBe("P1");
    now = 10_000;
    expect((await cache.get("a", at("5"), produce)).body).toBe("P1"); // stale, refresh started
    await new Promise((r) => setImmediate(r));
    expect((await cache.get("a", at("5"), produce)).body).toBe("P2");
    now = 40_000;
    expect((await cache.get("a", at("5"), produce)).body).toBe("P3"); // too old to serve stale: waits
  });

  it("serves the last page during a database outage, for a while, but never a 404 as a page", async () => {
    let now = 0;
    const cache = new PageCache({ ttlMs: 15_000, staleIfErrorMs: 60_000, now: () => now });
    await cache.get("a", at("3"), async () => page("last good"));
    now = 59_999;
    expect((await cache.get("a", down, async () => page("never"))).body).toBe("last good");
    now = 60_000;
    await expect(cache.get("a", down, async () => page("never"))).rejects.toThrow("ECONNREFUSED");
    await expect(cache.get("b", down, async () => page("never"))).rejects.toThrow("ECONNREFUSED");
    // A practice that no longer exists is an answer, not an outage.
    await expect(cache.get("a", async () => { throw new NotFoundError(); }, async () => page("never"))).rejects.toThrow("Not found");
  });

  it("stores nothing when turned off (TTL 0), and always renders", async () => {
    const cache = new PageCache({ ttlMs: 0 });
    let renders = 0;
    for (let i = 0; i < 3; i++) await cache.get("a", at("1"), async () => page(`A${++renders}`));
    expect(renders).toBe(3);
    expect(cache.size).toBe(0);
  });

  it("is bounded by size, least recently used out first", async () => {
    const cache = new PageCache({ ttlMs: 60_000, maxBytes: 3 * (1000 * 2 + 2 + 128) });
    const big = (s: string) => async () => page(s.repeat(1000));
    await cache.get("a", at("1"), big("a"));
    await cache.get("b", at("1"), big("b"));
    await cache.get("c", at("1"), big("c"));
    await cache.get("a", at("1"), big("x")); // a used again
    await cache.get("d", at("1"), big("d")); // b out
    expect(cache.size).toBe(3);
    let renders = 0;
    await cache.get("b", at("1"), async () => (renders++, page("b")));
    expect(renders).toBe(1);
  });

  it("renders once for concurrent misses, and keeps nothing when the render fails", async () => {
    const cache = new PageCache({ ttlMs: 60_000 });
    let renders = 0;
    const slow = async () => {
      renders++;
      await new Promise((r) => setTimeout(r, 20));
      return page("S");
    };
    const all = await Promise.all([1, 2, 3].map(() => cache.get("s", at("1"), slow)));
    expect(all.map((p) => p.body)).toEqual(["S", "S", "S"]);
    expect(renders).toBe(1);
    await expect(cache.get("f", at("1"), async () => { throw new Error("boom"); })).rejects.toThrow("boom");
    expect(cache.size).toBe(1);
  });

  it("never puts an older version's page over a newer one", async () => {
    const cache = new PageCache({ ttlMs: 60_000 });
    let release!: () => void;
    const old = cache.get("a", at("1"), () => new Promise<CachedPage>((r) => (release = () => r(page("old")))));
    await cache.get("a", at("2"), async () => page("new"));
    release();
    await old;
    let renders = 0;
    expect((await cache.get("a", at("2"), async () => (renders++, page("again")))).body).toBe("new");
    expect(renders).toBe(0);
  });
});
