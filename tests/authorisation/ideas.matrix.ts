// Ideas and responses (staff side). Allowed POSTs get an empty body, so they
// are refused by validation (400) and change nothing.
import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord, staffPage, staffRecord } from "./matrix.js";

export const rows: MatrixRow[] = [
  { method: "GET", path: "/ideas", url: () => "/ideas", expect: staffPage() },
  { method: "GET", path: "/ideas/:id", url: (w) => `/ideas/${w.a.ideaId}`, expect: staffRecord() },
  // Who may see what (lib/visibility.ts): a facilitator sees only the ideas of their own sessions, plus the public board.
  { method: "GET", path: "/ideas/:id", url: (w) => `/ideas/${w.a.unassignedIdeaId}`, expect: { ...staffRecord(), FACILITATOR: 404 } },
  { method: "GET", path: "/ideas/:id/publish", url: (w) => `/ideas/${w.a.ideaId}/publish`, expect: managerRecord() },
  { method: "POST", path: "/ideas/:id/publish", url: (w) => `/ideas/${w.a.ideaId}/publish`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/ideas/:id/unpublish", url: (w) => `/ideas/${w.a.ideaId}/unpublish`, body: () => ({}), expect: managerRecord(400) },
  { method: "GET", path: "/ideas/:id/edit", url: (w) => `/ideas/${w.a.ideaId}/edit`, expect: managerRecord() },
  { method: "POST", path: "/ideas/:id/edit", url: (w) => `/ideas/${w.a.ideaId}/edit`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/ideas/:id/responses", url: (w) => `/ideas/${w.a.ideaId}/responses`, body: () => ({}), expect: managerRecord(400) },
];

// The practice's response deadline: each manager changes their own practice's.
rows.push(
  { method: "GET", path: "/ideas/deadline", url: () => "/ideas/deadline", expect: managerPage() },
  { method: "POST", path: "/ideas/deadline", url: () => "/ideas/deadline", body: () => ({}), expect: managerPage(400) },
);
