// A bounded, in-process cache of staff page fragments (the body of /ideas, the
// figures of /reports), keyed by the practice's data version.
//
// Why: these pages aggregate a practice's whole history (100,000 ideas in the
// benchmark) yet change only when somebody saves something. Practice."dataVersion"
// is bumped by database triggers in the same transaction as any change to the
// practice's themes, partners, groups, sessions, outcomes, ideas or responses
// (see the practice_data_version migration), and it is read with the signed-in
// user in the one statement every staff request already runs. So a fragment
// cached under (practice, version, key) is exact: after a save commits, every
// later request reads the new version and misses the old entries, in every
// process, with no invalidation message. A user never sees a page without what
// they just saved.
//
// What is cached must depend only on that data, the key and the clock:
//   - never a CSRF token, a flash message, the user's name or anything else
//     belonging to one request (those are in the layout, rendered every time);
//   - a fragment that depends on the clock (an idea becomes overdue when its
//     deadline passes) is given `validUntil`, the next instant its content could
//     change by time alone; it is not served after that.
// Entries also expire after `maxAgeMs` whatever happens, and the cache is bounded
// by total size (least recently used out first). Concurrent misses on one key
// share one build (lru-cache's fetch).
import crypto from "node:crypto";
import { LRUCache } from "lru-cache";

export interface PracticeScope {
  id: string;
  /** Practice."dataVersion" as read at the start of this request. */
  dataVersion: string;
}

export interface Built {
  html: string;
  /** When the content would change by the clock alone (null: never). */
  validUntil?: Date | null;
}

/**
 * A fragment as it is kept: encoded once (a page of ideas is tens of kilobytes,
 * and re-encoding it to UTF-8 on every request was a tenth of the request's
 * CPU), with a hash of its bytes for the page's ETag.
 */
export interface Fragment {
  html: Buffer;
  hash: string;
}

function toFragment(html: string): Fragment {
  const bytes = Buffer.from(html, "utf8");
  return { html: bytes, hash: crypto.createHash("sha1").update(bytes).digest("base64url") };
}

export interface PracticeCacheOptions {
  /** 0 turns the cache off (every call builds). */
  maxAgeMs: number;
  maxBytes?: number;
  now?: () => number;
}

interface Context {
  build: () => Promise<Built>;
  /** Set when what was built is already out of date by the clock: served to this request, not kept. */
  outOfDate?: boolean;
}

export class PracticeCache {
  private readonly lru: LRUCache<string, Fragment, Context> | undefined;
  private readonly now: () => number;
  readonly maxAgeMs: number;

  constructor(opts: PracticeCacheOptions) {
    this.maxAgeMs = opts.maxAgeMs;
    this.now = opts.now ?? Date.now;
    if (opts.maxAgeMs <= 0) return;
    this.lru = new LRUCache<string, Fragment, Context>({
      maxSize: opts.maxBytes ?? 32 * 1024 * 1024,
      sizeCalculation: (v, k) => v.html.length + k.length * 2 + 128,
      ttl: opts.maxAgeMs,
      ttlAutopurge: false,
      // The clock the TTLs are measured against (tests move it), read on every
      // lookup (no cached "now": an entry must not outlive its validUntil).
      perf: { now: () => this.now() },
      ttlResolution: 0,
      fetchMethod: async (_key, _stale, { options, context }) => {
        const built = await context.build();
        // lru-cache serves an entry while (now - start) <= ttl: stop 1 ms before validUntil.
        const ttl = built.validUntil ? built.validUntil.getTime() - this.now() - 1 : Infinity;
        if (ttl < 1) context.outOfDate = true;
        else if (ttl < opts.maxAgeMs) options.ttl = Math.floor(ttl);
        return toFragment(built.html);
      },
    });
  }

  /** The fragment for `key` in this practice at this data version, built on a miss. */
  async get(scope: PracticeScope, key: string, build: () => Promise<Built>): Promise<Fragment> {
    if (!this.lru) return toFragment((await build()).html);
    const k = `${scope.id}|${scope.dataVersion}|${key}`;
    const context: Context = { build };
    const value = await this.lru.fetch(k, { context });
    if (context.outOfDate) this.lru.delete(k);
    return value!;
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }

  clear(): void {
    this.lru?.clear();
  }
}
