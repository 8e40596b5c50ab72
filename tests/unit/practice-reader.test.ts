// The public pages' practice read, shared by concurrent requests: requests that
// arrive together share one statement, and that statement is always sent after
// every request it answers arrived, so a change committed before a request
// arrived (a withdrawal) is what that request sees.
import type { Pool } from "pg";
import { describe, expect, it } from "vitest";
import { practiceReader } from "../../src/features/public/service.js";

/** A pool whose practice row has the version `state.version` at the moment a statement runs. */
function fakePool(state: { version: number; statements: number }) {
  return {
    query: async () => {
      state.statements++;
      return { rows: [{ id: "p1", name: "P", slug: "p", dataVersion: String(state.version) }] };
    },
  } as unknown as Pool;
}

describe("practiceReader", () => {
  it("answers requests that arrive together with one statement", async () => {
    const state = { version: 1, statements: 0 };
    const read = practiceReader(fakePool(state));
    const answers = await Promise.all([read("p"), read("p"), read("p")]);
    expect(state.statements).toBe(1);
    expect(answers.map((a) => a?.dataVersion)).toEqual(["1", "1", "1"]);
  });

  it("never answers a request with a statement sent before it arrived", async () => {
    const state = { version: 1, statements: 0 };
    const read = practiceReader(fakePool(state));
    const first = read("p");
    // Let the first statement be sent, then change the data (a withdrawal commits) and ask again.
    await new Promise((r) => setImmediate(r));
    await first;
    state.version = 2;
    expect((await read("p"))?.dataVersion).toBe("2");
    expect(state.statements).toBe(2);
  });

  it("a change committed while a statement is pending is seen by the requests waiting for it", async () => {
    const state = { version: 1, statements: 0 };
    const read = practiceReader(fakePool(state));
    const waiting = read("p");
    state.version = 2; // committed after the request arrived, before its statement was sent
    expect((await waiting)?.dataVersion).toBe("2");
  });

  it("while a statement is in flight, later requests share the next one, sent after it answers", async () => {
    const state = { version: 1, statements: 0 };
    const answers: (() => void)[] = [];
    const pool = {
      query: () => {
        state.statements++;
        const version = state.version;
        return new Promise((resolve) => answers.push(() => resolve({ rows: [{ id: "p1", name: "P", slug: "p", dataVersion: String(version) }] })));
      },
    } as unknown as Pool;
    const read = practiceReader(pool);
    const first = read("p");
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(state.statements).toBe(1); // sent, not answered yet
    state.version = 2; // a withdrawal commits while it is in flight
    const later = [read("p"), read("p"), read("p")];
    await new Promise((r) => setImmediate(r));
    expect(state.statements).toBe(1); // the later requests wait for the first to answer
    answers[0]!();
    expect((await first)?.dataVersion).toBe("1");
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(state.statements).toBe(2); // one statement for the three, sent after they arrived
    answers[1]!();
    expect((await Promise.all(later)).map((a) => a?.dataVersion)).toEqual(["2", "2", "2"]);
  });

  it("reads each practice separately and refuses a malformed slug without a statement", async () => {
    const state = { version: 1, statements: 0 };
    const read = practiceReader(fakePool(state));
    await Promise.all([read("a"), read("b")]);
    expect(state.statements).toBe(2);
    expect(await read("NOT A SLUG")).toBeNull();
    expect(state.statements).toBe(2);
  });
});

describe("practiceReader when a statement hangs", () => {
  it("sends the next one after at most a moment, not after the hung one", async () => {
    let statements = 0;
    const pool = {
      query: () => {
        statements++;
        // The first never answers (a connection lost mid-query); the next ones do.
        return statements === 1 ? new Promise(() => {}) : Promise.resolve({ rows: [{ id: "p1", name: "P", slug: "p", dataVersion: "2" }] });
      },
    } as unknown as Pool;
    const read = practiceReader(pool);
    void read("p");
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    const started = Date.now();
    expect((await read("p"))?.dataVersion).toBe("2");
    expect(statements).toBe(2);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
