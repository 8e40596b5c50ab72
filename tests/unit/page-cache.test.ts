// The in-process cache of rendered public pages: expiry, bounds, LRU order
// and one render for concurrent misses.
import { describe, expect, it } from "vitest";
import { PageCache } from "../../src/features/public/page-cache.js";

const page = (body: string) => ({ body, type: "html" });

describe("PageCache", () => {
  it("keeps a page for the TTL, then forgets it", () => {
    let now = 1_000;
    const cache = new PageCache({ ttlMs: 15_000, now: () => now });
    cache.set("a", page("A"));
    now += 14_999;
    expect(cache.get("a")?.body).toBe("A");
    now += 1;
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("stores nothing when turned off (TTL 0), and always renders", async () => {
    const cache = new PageCache({ ttlMs: 0 });
    let renders = 0;
    for (let i = 0; i < 3; i++) await cache.getOrCreate("a", async () => page(`A${++renders}`));
    expect(renders).toBe(3);
    expect(cache.size).toBe(0);
  });

  it("drops the least recently used page beyond the maximum number of entries", () => {
    const cache = new PageCache({ ttlMs: 60_000, maxEntries: 2 });
    cache.set("a", page("A"));
    cache.set("b", page("B"));
    expect(cache.get("a")?.body).toBe("A"); // a is now the most recently used
    cache.set("c", page("C"));
    expect(cache.size).toBe(2);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")?.body).toBe("A");
    expect(cache.get("c")?.body).toBe("C");
  });

  it("stays within its byte budget", () => {
    const cache = new PageCache({ ttlMs: 60_000, maxEntries: 100, maxBytes: 10_000 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, page("x".repeat(2_000)));
    // Each page is ~4 kB (UTF-16): at most two fit.
    expect(cache.size).toBe(2);
    expect(cache.get("k9")).toBeDefined();
    cache.set("huge", page("x".repeat(20_000)));
    expect(cache.get("huge")).toBeUndefined();
  });

  it("renders once for concurrent misses on the same key, and caches no error", async () => {
    const cache = new PageCache({ ttlMs: 60_000 });
    let renders = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const produce = async () => {
      renders++;
      await gate;
      return page("A");
    };
    const all = Promise.all([cache.getOrCreate("a", produce), cache.getOrCreate("a", produce), cache.getOrCreate("a", produce)]);
    release();
    expect((await all).map((p) => p?.body)).toEqual(["A", "A", "A"]);
    expect(renders).toBe(1);

    const failing = () => Promise.reject(new Error("boom"));
    await expect(Promise.all([cache.getOrCreate("b", failing), cache.getOrCreate("b", failing)])).rejects.toThrow("boom");
    expect(cache.get("b")).toBeUndefined();
    expect(await cache.getOrCreate("b", async () => page("B"))).toEqual(page("B"));
  });

  it("serves a stale page for one more TTL while one background render replaces it; then renders in line", async () => {
    let now = 0;
    const cache = new PageCache({ ttlMs: 10_000, now: () => now });
    let renders = 0;
    let release!: () => void;
    let gate: Promise<void> = Promise.resolve();
    const produce = async () => {
      const n = ++renders;
      await gate;
      return page(`v${n}`);
    };
    expect((await cache.getOrCreate("a", produce))?.body).toBe("v1");
    now = 12_000; // stale
    gate = new Promise((r) => (release = r));
    expect((await cache.getOrCreate("a", produce))?.body).toBe("v1");
    expect((await cache.getOrCreate("a", produce))?.body).toBe("v1");
    expect(renders).toBe(2); // one background render for both stale hits
    release();
    await new Promise((r) => setImmediate(r));
    expect((await cache.getOrCreate("a", produce))?.body).toBe("v2");
    expect(renders).toBe(2);
    now = 12_000 + 20_001; // past TTL + stale window: waits for a fresh render
    expect((await cache.getOrCreate("a", produce))?.body).toBe("v3");
  });

  it("drops a stale page whose background render fails (e.g. now a 404)", async () => {
    let now = 0;
    const cache = new PageCache({ ttlMs: 10_000, now: () => now });
    await cache.getOrCreate("a", async () => page("A"));
    now = 15_000;
    expect((await cache.getOrCreate("a", () => Promise.reject(new Error("gone"))))?.body).toBe("A");
    await new Promise((r) => setImmediate(r));
    expect(cache.size).toBe(0);
    await expect(cache.getOrCreate("a", () => Promise.reject(new Error("gone")))).rejects.toThrow("gone");
  });

  it("does not store a page its producer declines to cache (null)", async () => {
    const cache = new PageCache({ ttlMs: 60_000 });
    expect(await cache.getOrCreate("a", async () => null)).toBeNull();
    expect(cache.size).toBe(0);
  });
});
