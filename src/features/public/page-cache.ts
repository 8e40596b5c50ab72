// A short-lived, bounded, in-process cache of rendered public pages (the
// practice board, an idea's page, the Atom feed and the poster).
//
// Why: these pages are the same for every anonymous visitor of a practice
// (per language and URL), may be kept by shared caches for 60 s anyway
// (Cache-Control: public, max-age=60), and building the board is the most
// expensive thing the app does. Keeping the rendered body for a few seconds
// lets a busy board be served without touching the database.
//
// It is only an optimisation: the app keeps no essential state in process.
// Each process keeps its own copy; nothing is shared or invalidated across
// processes, so a change shows up on the public pages within the TTL (never
// later than a shared cache may already show it). The TTL is set by
// PUBLIC_CACHE_SECONDS (0 turns it off; tests run with it off unless they ask).
//
// What is cached is only the body and its content type, never headers: every
// request still runs the language middleware (which may set the language
// cookie), the Cache-Control logic and Express's ETag/304 on the body.
//
// Group boards (/g/:token) are NOT cached: a rotated or archived link must
// stop working at once.
//
// Bounded by entry count and by total size (least recently used out first);
// concurrent misses on one key share one render. For one more TTL after an
// entry goes stale it is still served while one request renders its
// replacement in the background (stale-while-revalidate), so a busy page never
// waits for the database; a page is thus at most about 2 x TTL old (30 s by
// default), within its max-age of 60 s. If that render fails (say the page is
// now a 404), the stale entry is dropped.

export interface CachedPage {
  body: string | Buffer;
  type: string;
  /** The body's ETag, worked out once (the same value Express would compute on each send). */
  etag?: string;
}

interface Entry {
  page: CachedPage;
  expires: number;
  size: number;
}

export interface PageCacheOptions {
  ttlMs: number;
  maxEntries?: number;
  maxBytes?: number;
  now?: () => number;
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<CachedPage | null>>();
  private bytes = 0;
  readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly now: () => number;

  constructor(opts: PageCacheOptions) {
    this.ttlMs = Math.max(0, opts.ttlMs);
    this.maxEntries = opts.maxEntries ?? 500;
    this.maxBytes = opts.maxBytes ?? 32 * 1024 * 1024;
    this.now = opts.now ?? Date.now;
  }

  get enabled(): boolean {
    return this.ttlMs > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedPage | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.expires <= this.now()) {
      this.delete(key);
      return undefined;
    }
    // Most recently used goes to the end of the Map's order.
    this.entries.delete(key);
    this.entries.set(key, e);
    return e.page;
  }

  set(key: string, page: CachedPage): void {
    if (!this.enabled) return;
    const size = (typeof page.body === "string" ? page.body.length * 2 : page.body.length) + key.length * 2;
    if (size > this.maxBytes) return;
    this.delete(key);
    this.entries.set(key, { page, expires: this.now() + this.ttlMs, size });
    this.bytes += size;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.size;
  }

  clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /**
   * The cached page, or the one `produce` makes (stored unless it gives null,
   * e.g. for a page that is not to be cached). Concurrent callers for the same
   * key wait for the same `produce`; an error reaches all of them and nothing
   * is stored. A stale entry (less than one more TTL past) is returned at once
   * while `produce` runs in the background to replace it.
   */
  async getOrCreate(key: string, produce: () => Promise<CachedPage | null>): Promise<CachedPage | null> {
    if (!this.enabled) return produce();
    const e = this.entries.get(key);
    if (e && e.expires > this.now()) return this.get(key)!;
    if (e && e.expires + this.ttlMs > this.now()) {
      // Stale but recent: serve it, and refresh it once in the background.
      if (!this.pending.has(key)) this.render(key, produce).catch(() => this.delete(key));
      return e.page;
    }
    this.delete(key);
    return this.pending.get(key) ?? this.render(key, produce);
  }

  private render(key: string, produce: () => Promise<CachedPage | null>): Promise<CachedPage | null> {
    const p = produce()
      .then((page) => {
        if (page) this.set(key, page);
        return page;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    return p;
  }
}
