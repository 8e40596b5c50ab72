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
  /** sid -> when this process last wrote the row's expiry. Insertion order = age. */
  const written = new Map<string, number>();
  const remember = (sid: string) => {
    written.delete(sid);
    written.set(sid, now());
    if (written.size > memory) written.delete(written.keys().next().value!);
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
      const last = written.get(sid);
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
