// The rolling staff session without a database write on every request.
// express-session with `rolling: true` re-sends the cookie (new expiry) on
// every response, and asks the store to "touch" the session row (an UPDATE
// of its expiry) whenever the session itself did not change. The UPDATE is
// what made every signed-in page wait for a write. Here a touch only reaches
// the database when this process has not written the row's expiry in the
// last TOUCH_INTERVAL_MS; a save (the session changed) always writes.
//
// Effect on the idle timeout: the row's expiry is at most TOUCH_INTERVAL_MS
// behind the last request, so an idle session ends between IDLE - interval
// and IDLE after the last request; never later than the idle timeout. The
// absolute timeout (signedInAt, checked per request) is unaffected.
import type { SessionData, Store } from "express-session";
import type { Pool } from "pg";
import { LRUCache } from "lru-cache";
import { userRowsSql, type PrefetchedUsers, type UserRow } from "./user-rows.js";

export const TOUCH_INTERVAL_MS = 60 * 1000;
/** How many sessions' last write this process remembers (the oldest is forgotten first: it is touched again). */
export const TOUCH_MEMORY = 10_000;

type Callback = (err?: unknown) => void;

function expiryOf(sess: SessionData): number | undefined {
  const e = sess.cookie?.expires;
  if (!e) return undefined;
  const t = new Date(e).getTime();
  return Number.isNaN(t) ? undefined : t;
}

/** Wraps the store's touch/set/destroy in place and returns it. */
export function throttleTouches<S extends Store>(store: S, opts: { intervalMs?: number; memory?: number; now?: () => number } = {}): S {
  const interval = opts.intervalMs ?? TOUCH_INTERVAL_MS;
  const memory = opts.memory ?? TOUCH_MEMORY;
  const now = opts.now ?? Date.now;
  /** sid -> when this process last wrote the row's expiry; the least recently written is forgotten first. */
  const written = new LRUCache<string, number>({ max: memory });
  const remember = (sid: string) => {
    written.set(sid, now());
  };

  const s = store as unknown as {
    touch?: (sid: string, sess: SessionData, cb?: Callback) => void;
    set: (sid: string, sess: SessionData, cb?: Callback) => void;
    destroy: (sid: string, cb?: Callback) => void;
  };
  const touch = s.touch?.bind(store);
  const set = s.set.bind(store);
  const destroy = s.destroy.bind(store);
  if (touch) {
    s.touch = (sid, sess, cb) => {
      const last = written.peek(sid);
      if (last !== undefined && now() - last < interval && expiryOf(sess) !== undefined) {
        cb?.();
        return;
      }
      touch(sid, sess, (err?: unknown) => {
        if (!err) remember(sid);
        cb?.(err);
      });
    };
  }
  s.set = (sid, sess, cb) =>
    set(sid, sess, (err?: unknown) => {
      if (!err) remember(sid);
      cb?.(err);
    });
  s.destroy = (sid, cb) => {
    written.delete(sid);
    destroy(sid, cb);
  };
  return store;
}

// ---------------------------------------------------------------- session and user in one statement
//
// Every signed-in request needs its session row and then its user (with the
// user's memberships and each practice's data version). Reading both in one
// statement halves the round trips to Postgres on every staff page: the store's
// `get` reads the session row and, through its userId, the user rows, and keeps
// those rows for this request's loadCurrentUser, which takes them (or, when
// they are not there, reads them itself). Nothing is kept beyond the request
// that read it: an entry is taken once, must match the session's user, and is
// ignored after PREFETCH_MAX_AGE_MS; the map is bounded.

const PREFETCH_MAX_AGE_MS = 5_000;
const PREFETCH_MEMORY = 1_000;

interface Prefetched {
  userId: string;
  rows: UserRow[];
  at: number;
}

/** Replaces the store's `get` with one that also reads the session's user; returns what loadCurrentUser takes them from. */
export function readUserWithSession(store: Store, pool: Pool, tableName: string): PrefetchedUsers {
  const waiting = new LRUCache<string, Prefetched>({ max: PREFETCH_MEMORY });
  const userId = `case when s.sess->>'userId' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then (s.sess->>'userId')::uuid end`;
  const sql = `
    select s.sess, u.*
    from "${tableName.replace(/"/g, "")}" s
    left join lateral (${userRowsSql(userId)}) u on true
    where s.sid = $1 and s.expire >= to_timestamp($2)
    order by u."membershipCreatedAt" asc`;
  (store as unknown as { get: Store["get"] }).get = (sid, cb) => {
    // The same expiry test as connect-pg-simple's own get (whole seconds, this process's clock).
    pool.query<UserRow & { sess: SessionData | string }>({
      // Named: prepared once per connection, so Postgres plans it once, not on every request.
      name: "session-with-user",
      text: sql,
      values: [sid, Math.ceil(Date.now() / 1000)],
    }).then(
      ({ rows }) => {
        const first = rows[0];
        if (!first) return cb(null, null);
        let sess: SessionData;
        try {
          sess = typeof first.sess === "string" ? (JSON.parse(first.sess) as SessionData) : first.sess;
        } catch {
          return store.destroy(sid, () => cb(null, null));
        }
        if (first.id) {
          waiting.set(sid, { userId: first.id, rows: rows.map(({ sess: _s, ...user }) => user), at: Date.now() });
        }
        cb(null, sess);
      },
      (err: unknown) => cb(err),
    );
  };
  return {
    take(sid, uid) {
      const entry = waiting.peek(sid);
      if (!entry) return undefined;
      waiting.delete(sid);
      if (entry.userId !== uid || Date.now() - entry.at > PREFETCH_MAX_AGE_MS) return undefined;
      return entry.rows;
    },
  };
}
