import type { MatrixRow } from "./matrix.js";

// The world's session in practice A is HELD, has started, and has A's facilitator assigned.
// The viewer's role is refused by the route's declaration; practice B's manager gets 404.
// The POST body is empty: a final save that fails validation (400) and changes nothing.
const outcome = (ok: number) => ({ anonymous: 303, VIEWER: 403, FACILITATOR: ok, MANAGER: ok, otherManager: 404 });

export const rows: MatrixRow[] = [
  { method: "GET", path: "/sessions/:id/outcome", url: (w) => `/sessions/${w.a.sessionId}/outcome`, expect: outcome(200) },
  { method: "POST", path: "/sessions/:id/outcome", url: (w) => `/sessions/${w.a.sessionId}/outcome`, body: () => ({}), expect: outcome(400) },
  // The autosave: an empty body has no draft version, so it is refused (400) and saves nothing.
  { method: "POST", path: "/sessions/:id/outcome/draft", url: (w) => `/sessions/${w.a.sessionId}/outcome/draft`, body: () => ({}), expect: outcome(400) },
];
