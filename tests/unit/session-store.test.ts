import { describe, expect, it } from "vitest";
import session, { type SessionData } from "express-session";
import { TOUCH_INTERVAL_MS, throttleTouches } from "../../src/lib/session-store.js";

/** A store that records what reaches "the database". */
class RecordingStore extends session.Store {
  writes: string[] = [];
  get(_sid: string, cb: (err: unknown, s?: SessionData | null) => void) { cb(null, null); }
  set(sid: string, _s: SessionData, cb?: (err?: unknown) => void) { this.writes.push(`set ${sid}`); cb?.(); }
  destroy(sid: string, cb?: (err?: unknown) => void) { this.writes.push(`destroy ${sid}`); cb?.(); }
  override touch(sid: string, _s: SessionData, cb?: (err?: unknown) => void) { this.writes.push(`touch ${sid}`); cb?.(); }
}

const sess = (t: number) => ({ cookie: { expires: new Date(t + 3600e3), originalMaxAge: 3600e3 } }) as unknown as SessionData;
const touch = (s: RecordingStore, sid: string, t: number) => new Promise<void>((r) => s.touch(sid, sess(t), () => r()));

describe("throttleTouches", () => {
  it("writes a session's rolling expiry at most once a minute, and always calls back", async () => {
    let now = 1_000_000;
    const store = throttleTouches(new RecordingStore(), { now: () => now });
    await touch(store, "a", now);
    now += 1_000;
    await touch(store, "a", now);
    now += TOUCH_INTERVAL_MS - 2_000;
    await touch(store, "a", now);
    expect(store.writes).toEqual(["touch a"]);
    now += 1_000;
    await touch(store, "a", now);
    expect(store.writes).toEqual(["touch a", "touch a"]);
    // Another session is not held back by the first.
    await touch(store, "b", now);
    expect(store.writes).toEqual(["touch a", "touch a", "touch b"]);
  });

  it("counts a save as a write, always saves, and forgets a destroyed session", async () => {
    let now = 5_000_000;
    const store = throttleTouches(new RecordingStore(), { now: () => now });
    await new Promise<void>((r) => store.set("s", sess(now), () => r()));
    await new Promise<void>((r) => store.set("s", sess(now), () => r()));
    await touch(store, "s", now + 10);
    expect(store.writes).toEqual(["set s", "set s"]);
    await new Promise<void>((r) => store.destroy("s", () => r()));
    now += 10;
    await touch(store, "s", now);
    expect(store.writes).toEqual(["set s", "set s", "destroy s", "touch s"]);
  });

  it("remembers a bounded number of sessions; a forgotten one is simply written again", async () => {
    const now = 9_000_000;
    const store = throttleTouches(new RecordingStore(), { now: () => now, memory: 2 });
    for (const sid of ["x", "y", "z"]) await touch(store, sid, now);
    await touch(store, "z", now);
    await touch(store, "x", now);
    expect(store.writes).toEqual(["touch x", "touch y", "touch z", "touch x"]);
  });

  it("passes a failed write's error on, and tries again next time", async () => {
    const store = new RecordingStore();
    let fail = true;
    store.touch = (sid, _s, cb) => { store.writes.push(`touch ${sid}`); cb?.(fail ? new Error("down") : undefined); };
    throttleTouches(store, { now: () => 1 });
    const err = await new Promise((r) => store.touch("q", sess(1), (e?: unknown) => r(e)));
    expect(err).toEqual(new Error("down"));
    fail = false;
    await touch(store, "q", 1);
    await touch(store, "q", 1);
    expect(store.writes).toEqual(["touch q", "touch q"]);
  });
});
