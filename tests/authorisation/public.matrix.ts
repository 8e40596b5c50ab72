// Public pages: everyone gets 200, signed in or not, from any practice.
import type { MatrixRow, Who } from "./matrix.js";

const everyone = (status = 200): Record<Who, number> => ({ anonymous: status, VIEWER: status, FACILITATOR: status, MANAGER: status, otherManager: status });

export const rows: MatrixRow[] = [
  { method: "GET", path: "/boards", url: (w) => `/boards?q=${encodeURIComponent(w.a.practice.name)}`, expect: everyone() },
  { method: "GET", path: "/p/:practiceSlug", url: (w) => `/p/${w.a.practice.slug}`, expect: everyone() },
  { method: "GET", path: "/p/:practiceSlug/ideas/:id", url: (w) => `/p/${w.a.practice.slug}/ideas/${w.a.ideaId}`, expect: everyone() },
  { method: "GET", path: "/p/:practiceSlug/feed.atom", url: (w) => `/p/${w.a.practice.slug}/feed.atom`, expect: everyone() },
  { method: "GET", path: "/p/:practiceSlug/poster", url: (w) => `/p/${w.a.practice.slug}/poster`, expect: everyone() },
  { method: "GET", path: "/g/:token", url: (w) => `/g/${w.a.groupToken}`, expect: everyone() },
  { method: "GET", path: "/g/:token/ideas/:id", url: (w) => `/g/${w.a.groupToken}/ideas/${w.a.ideaId}`, expect: everyone() },
];
