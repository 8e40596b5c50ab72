// The set-up most integration test files share, in one call: the app on a
// database of the file's own, practices with one member of staff per role,
// and signed-in agents. It registers the file's beforeAll and afterAll:
//
//   const { ctx, a, b, manager } = withPractice({ practices: ["GP A", "GP B"], signIn: ["manager"] });
//
// Each value is made in beforeAll (before the file's own beforeAll hooks, which
// may use them) and stands ready in every test; the context is closed (and its
// database dropped) after the file's own afterAll hooks. `manager`, `facilitator`
// and `viewer` are the first practice's staff, signed in when asked for in
// `signIn`.
import type { Logger } from "pino";
import { afterAll, beforeAll } from "vitest";
import { createTestContext, signInAs, type Agent, type TestContext } from "./app.js";
import { createPracticeWithStaff, type PracticeFixture } from "./fixtures.js";

export interface SignedIn {
  agent: Agent;
  csrf: string;
}

type StaffRole = "manager" | "facilitator" | "viewer";

export interface WithPracticeOptions {
  /** Environment for the app's config (createTestContext). */
  env?: Record<string, string>;
  /** Options for createTestContext: count queries, or receive the app's logs. */
  context?: { onQuery?: (sql: string) => void; logger?: Logger };
  /** The practices to make, by name (default one, "Test Practice"). */
  practices?: string[];
  /** Which of the first practice's staff to sign in. */
  signIn?: StaffRole[];
}

export interface PracticeSetup {
  ctx: TestContext;
  practices: PracticeFixture[];
  /** The first practice. */
  a: PracticeFixture;
  /** The second practice (when two or more are asked for). */
  b: PracticeFixture;
  manager: SignedIn;
  facilitator: SignedIn;
  viewer: SignedIn;
}

/** Stands in for a value made in beforeAll: every read goes to the value once it is made. */
export function later<T extends object>(what: string, get: () => T | undefined): T {
  const target = (): T => {
    const v = get();
    if (v === undefined) throw new Error(`withPractice: ${what} is not there (made in beforeAll, and only when asked for)`);
    return v;
  };
  return new Proxy({} as T, {
    get: (_t, key) => Reflect.get(target(), key),
    set: (_t, key, value) => Reflect.set(target(), key, value),
    has: (_t, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, key) => {
      const d = Reflect.getOwnPropertyDescriptor(target(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}

export function withPractice(opts: WithPracticeOptions = {}): PracticeSetup {
  let ctx: TestContext | undefined;
  const practices: PracticeFixture[] = [];
  const signedIn: Partial<Record<StaffRole, SignedIn>> = {};

  beforeAll(async () => {
    ctx = await createTestContext(opts.env ?? {}, opts.context ?? {});
    for (const name of opts.practices ?? ["Test Practice"]) practices.push(await createPracticeWithStaff(ctx.prisma, name));
    for (const role of opts.signIn ?? []) {
      const member = practices[0]![role];
      signedIn[role] = await signInAs(ctx.app, member.email, member.password);
    }
  });
  afterAll(async () => {
    await ctx?.close();
  });

  return {
    ctx: later("the test context", () => ctx),
    practices,
    a: later("the first practice", () => practices[0]),
    b: later("the second practice", () => practices[1]),
    manager: later("the signed-in manager", () => signedIn.manager),
    facilitator: later("the signed-in facilitator", () => signedIn.facilitator),
    viewer: later("the signed-in viewer", () => signedIn.viewer),
  };
}
