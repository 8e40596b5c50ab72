// The authorisation matrix: for every route the app declares, what each kind
// of visitor gets. Each feature keeps its rows in tests/authorisation/<feature>.matrix.ts
// (export `rows`); tests/integration/authorisation-matrix.test.ts collects them and
// fails when a declared route has no row.
import type { World } from "../helpers/world.js";

/** anonymous: not signed in. otherManager: the manager of practice B, asking for practice A's records. */
export type Who = "anonymous" | "VIEWER" | "FACILITATOR" | "MANAGER" | "otherManager";

export interface MatrixRow {
  method: "GET" | "POST";
  /** Exactly as the route declares it, e.g. "/sessions/:id". */
  path: string;
  /** The concrete URL, with practice A's ids. */
  url: (w: World) => string;
  /** Form fields for a POST (the CSRF token is added). Keep it harmless: usually empty, so an allowed POST is a 400. */
  body?: (w: World) => Record<string, string>;
  expect: Record<Who, number>;
  /** The request changes the visitor's own session (sign out): run it with a fresh agent. */
  freshAgent?: boolean;
}

/** Shorthands for common shapes. */
export const staffPage = (ok = 200): Record<Who, number> => ({ anonymous: 303, VIEWER: ok, FACILITATOR: ok, MANAGER: ok, otherManager: ok });
export const managerPage = (ok = 200): Record<Who, number> => ({ anonymous: 303, VIEWER: 403, FACILITATOR: 403, MANAGER: ok, otherManager: ok });
/** A page about one of practice A's records: practice B's manager gets 404. */
export const staffRecord = (ok = 200): Record<Who, number> => ({ anonymous: 303, VIEWER: ok, FACILITATOR: ok, MANAGER: ok, otherManager: 404 });
export const managerRecord = (ok = 200): Record<Who, number> => ({ anonymous: 303, VIEWER: 403, FACILITATOR: 403, MANAGER: ok, otherManager: 404 });
