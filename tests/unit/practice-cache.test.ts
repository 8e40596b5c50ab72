// The staff page cache: keyed by practice and data version, never served past
// its validUntil or its maximum age, bounded, one build for concurrent misses.
import { describe, expect, it } from "vitest";
import { PracticeCache, type Built, type PracticeScope } from "../../src/lib/practice-cache.js";

const A = { id: "a", dataVersion: "1" };

function counter() {
  let builds = 0;
  const build = (validUntil?: Date | null) => async () => ({ html: `v${++builds}`, validUntil });
  return { build, get builds() { return builds; } };
}

/** The cache with the fragments read back as text. */
function textCache(...args: ConstructorParameters<typeof PracticeCache>) {
  const cache = new PracticeCache(...args);
  return {
    get: async (scope: PracticeScope, key: string, build: () => Promise<Built>) => (await cache.get(scope, key, build)).html.toString("utf8"),
    get size() { return cache.size; },
  };
}

describe("PracticeCache", () => {
  it("builds once per practice, data version and key", async () => {
    const cache = textCache({ maxAgeMs: 60_000 });
    const c = counter();
    expect(await cache.get(A, "k", c.build())).toBe("v1");
    expect(await cache.get(A, "k", c.build())).toBe("v1");
    // Another key, another practice, a new data version: each built afresh.
    expect(await cache.get(A, "other", c.build())).toBe("v2");
    expect(await cache.get({ id: "b", dataVersion: "1" }, "k", c.build())).toBe("v3");
    expect(await cache.get({ id: "a", dataVersion: "2" }, "k", c.build())).toBe("v4");
    expect(c.builds).toBe(4);
  });

  it("is not served at or after validUntil (the clock changes the page)", async () => {
    let now = 1_000_000;
    const cache = textCache({ maxAgeMs: 600_000, now: () => now });
    const c = counter();
    const validUntil = new Date(now + 5_000);
    expect(await cache.get(A, "k", c.build(validUntil))).toBe("v1");
    now += 4_000;
    expect(await cache.get(A, "k", c.build(validUntil))).toBe("v1");
    now += 1_000;
    expect(await cache.get(A, "k", c.build(new Date(now + 10_000)))).toBe("v2");
  });

  it("keeps nothing that is already out of date", async () => {
    let now = 1_000_000;
    const cache = textCache({ maxAgeMs: 600_000, now: () => now });
    const c = counter();
    expect(await cache.get(A, "k", c.build(new Date(now - 1)))).toBe("v1");
    now += 2;
    expect(await cache.get(A, "k", c.build(new Date(now - 1)))).toBe("v2");
  });

  it("forgets an entry after its maximum age", async () => {
    let now = 1_000_000;
    const cache = textCache({ maxAgeMs: 10_000, now: () => now });
    const c = counter();
    await cache.get(A, "k", c.build(null));
    now += 9_000;
    expect(await cache.get(A, "k", c.build(null))).toBe("v1");
    now += 2_000;
    expect(await cache.get(A, "k", c.build(null))).toBe("v2");
  });

  it("builds every time when turned off", async () => {
    const cache = textCache({ maxAgeMs: 0 });
    const c = counter();
    await cache.get(A, "k", c.build());
    await cache.get(A, "k", c.build());
    expect(c.builds).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("keeps the fragment encoded, with a hash of its bytes", async () => {
    const cache = new PracticeCache({ maxAgeMs: 60_000 });
    const f = await cache.get(A, "k", async () => ({ html: "Café – “quoted” 🙂" }));
    expect(Buffer.isBuffer(f.html)).toBe(true);
    expect(f.html.toString("utf8")).toBe("Café – “quoted” 🙂");
    const g = await cache.get(A, "other", async () => ({ html: "Cafe" }));
    expect(f.hash).not.toBe(g.hash);
  });

  it("shares one build between concurrent misses", async () => {
    const cache = textCache({ maxAgeMs: 60_000 });
    let builds = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const build = async () => {
      builds += 1;
      await gate;
      return { html: "page" };
    };
    const all = Promise.all([cache.get(A, "k", build), cache.get(A, "k", build), cache.get(A, "k", build)]);
    release();
    expect(await all).toEqual(["page", "page", "page"]);
    expect(builds).toBe(1);
  });

  it("passes a failed build on and keeps nothing", async () => {
    const cache = textCache({ maxAgeMs: 60_000 });
    await expect(cache.get(A, "k", async () => { throw new Error("database down"); })).rejects.toThrow("database down");
    expect(await cache.get(A, "k", async () => ({ html: "ok" }))).toBe("ok");
  });

  it("stays within its size bound, least recently used out first", async () => {
    const cache = textCache({ maxAgeMs: 60_000, maxBytes: 10_000 });
    const big = "x".repeat(4_000); // about 4 kB each as counted
    await cache.get(A, "1", async () => ({ html: big }));
    await cache.get(A, "2", async () => ({ html: big }));
    await cache.get(A, "1", async () => ({ html: "rebuilt" })); // 1 is now the most recent
    await cache.get(A, "3", async () => ({ html: big }));
    expect(cache.size).toBe(2);
    expect(await cache.get(A, "1", async () => ({ html: "rebuilt" }))).toBe(big);
    expect(await cache.get(A, "2", async () => ({ html: "rebuilt" }))).toBe("rebuilt");
  });
});
