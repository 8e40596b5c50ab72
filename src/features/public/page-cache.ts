// A bounded, in-process cache of rendered public pages (the practice board,
// an idea's page, the Atom feed and the poster), keyed by the practice's data
// version.
//
// Withdrawal is immediate: every request reads the practice's row (one
// indexed statement, which it needs anyway for the slug; requests arriving
// together share one sent after all of them, service.ts practiceReader), and with it
// Practice."dataVersion", which the database bumps at the commit of any change
// to the practice's ideas, responses, themes, groups, ... (see
// docs/staff-cache.md). A page is served from the cache only for the version
// it was rendered from, so an unpublished or narrowed idea is gone from every
// page at the next request, on every process, with no message between them.
// Pages are sent with `Cache-Control: no-cache` and an ETag, so browsers and
// shared caches revalidate each time (a 304 when nothing changed) instead of
// keeping a copy for a minute.
//
// Within one version a page still changes with time alone ("for 3 weeks"), so
// an entry is fresh for `ttlMs` (PUBLIC_CACHE_SECONDS), then served once more
// while one request renders its replacement (stale-while-revalidate, same
// version only).
//
// During a database outage (the practice's row cannot be read) the last page
// rendered for the URL is served, whatever its version, for up to
// `staleIfErrorMs` (default 5 minutes) after it was rendered, rather than an
// error page. That is the one case where a withdrawn idea may still show: the
// database that would say so is unreachable.
//
// The key is normalised by the caller (routes.ts): language, base URL where
// used, path and only the query parameters the page understands, so unknown
// or repeated parameters cannot make a request miss the cache.
//
// Only the body and its content type (and ETag) are kept, never headers. Group
// boards (/g/...) are never cached. Bounded by total size (least recently used
// out first, lru-cache, as the staff cache); concurrent misses on one key and
// version share one render.
import { LRUCache } from "lru-cache";

export interface CachedPage {
  body: string | Buffer;
  type: string;
  /** The body's ETag, worked out once (the same value Express would compute on each send). */
  etag?: string;
}

interface Entry {
  version: string;
  page: CachedPage;
  renderedAt: number;
}

export interface PageCacheOptions {
  ttlMs: number;
  /** How long after it was rendered a page may be served while the database is unreachable (default 5 minutes). */
  staleIfErrorMs?: number;
  maxBytes?: number;
  now?: () => number;
}

export class PageCache {
  private readonly lru: LRUCache<string, Entry>;
  private readonly pending = new Map<string, Promise<CachedPage>>();
  readonly ttlMs: number;
  readonly staleIfErrorMs: number;
  private readonly now: () => number;

  constructor(opts: PageCacheOptions) {
    this.ttlMs = Math.max(0, opts.ttlMs);
    this.staleIfErrorMs = Math.max(2 * this.ttlMs, opts.staleIfErrorMs ?? 5 * 60_000);
    this.now = opts.now ?? Date.now;
    this.lru = new LRUCache<string, Entry>({
      maxSize: opts.maxBytes ?? 32 * 1024 * 1024,
      sizeCalculation: (e, k) => (typeof e.page.body === "string" ? e.page.body.length * 2 : e.page.body.length) + k.length * 2 + 128,
    });
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.lru.size;
  }

  clear(): void {
    this.lru.clear();
  }

  /**
   * The page for `key` at data `version`: `version` is called first (it reads
   * the database); if it throws, the last page for the key is served while it
   * is younger than staleIfErrorMs, otherwise the error is thrown. An entry of
   * another version is never served otherwise. `produce` renders on a miss; an
   * error from it is thrown and nothing is stored.
   */
  async get(key: string, version: () => Promise<string>, produce: () => Promise<CachedPage>): Promise<CachedPage> {
    let v: string;
    try {
      v = await version();
    } catch (err) {
      const stale = this.enabled && isOutage(err) ? this.lru.get(key) : undefined;
      if (stale && this.now() - stale.renderedAt < this.staleIfErrorMs) return stale.page;
      throw err;
    }
    if (!this.enabled) return produce();
    const e = this.lru.get(key);
    if (e && e.version === v) {
      const age = this.now() - e.renderedAt;
      if (age < this.ttlMs) return e.page;
      if (age < 2 * this.ttlMs) {
        // Stale by time only: serve it, and refresh it once in the background.
        if (!this.pending.has(`${key}\u0000${v}`)) this.render(key, v, produce).catch(() => undefined);
        return e.page;
      }
    }
    return this.pending.get(`${key}\u0000${v}`) ?? this.render(key, v, produce);
  }

  private render(key: string, version: string, produce: () => Promise<CachedPage>): Promise<CachedPage> {
    const id = `${key}\u0000${version}`;
    const renderedAt = this.now();
    const p = produce()
      .then((page) => {
        const current = this.lru.get(key);
        // Never replace a page of a newer version with an older one (two renders racing).
        if (!current || current.version === version || BigInt(current.version) < BigInt(version)) this.lru.set(key, { version, page, renderedAt });
        return page;
      })
      .finally(() => this.pending.delete(id));
    this.pending.set(id, p);
    return p;
  }
}

/** An error that is not an answer (a 404 is an answer; a refused connection is not). */
function isOutage(err: unknown): boolean {
  const status = (err as { status?: unknown })?.status;
  return !(typeof status === "number" && status < 500);
}
