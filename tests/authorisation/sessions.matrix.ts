import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord, staffPage, staffRecord } from "./matrix.js";

// The world's session in practice A is HELD, with A's facilitator assigned.
// Allowed POSTs get an empty body, so they stop at validation (400) and change nothing.
export const rows: MatrixRow[] = [
  { method: "GET", path: "/sessions", url: () => "/sessions", expect: staffPage() },
  { method: "GET", path: "/sessions/new", url: () => "/sessions/new", expect: managerPage() },
  { method: "POST", path: "/sessions", url: () => "/sessions", body: () => ({}), expect: managerPage(400) },
  { method: "GET", path: "/sessions/:id.ics", url: (w) => `/sessions/${w.a.sessionId}.ics`, expect: staffRecord() },
  { method: "GET", path: "/sessions/:id", url: (w) => `/sessions/${w.a.sessionId}`, expect: staffRecord() },
  { method: "GET", path: "/sessions/:id/edit", url: (w) => `/sessions/${w.a.sessionId}/edit`, expect: managerRecord() },
  // A session changed one section at a time (edit-routes.ts): /edit is the summary. An empty body has no version: 400, nothing saved.
  { method: "GET", path: "/sessions/:id/edit/:section", url: (w) => `/sessions/${w.a.sessionId}/edit/when-and-where`, expect: managerRecord() },
  { method: "POST", path: "/sessions/:id/edit/:section", url: (w) => `/sessions/${w.a.sessionId}/edit/when-and-where`, body: () => ({}), expect: managerRecord(400) },
  {
    method: "GET", path: "/sessions/:id/preparation", url: (w) => `/sessions/${w.a.sessionId}/preparation`,
    expect: { anonymous: 303, VIEWER: 403, FACILITATOR: 200, MANAGER: 200, otherManager: 404 },
  },
  {
    method: "POST", path: "/sessions/:id/preparation", url: (w) => `/sessions/${w.a.sessionId}/preparation`, body: () => ({}),
    expect: { anonymous: 303, VIEWER: 403, FACILITATOR: 400, MANAGER: 400, otherManager: 404 },
  },
  { method: "POST", path: "/sessions/:id/status", url: (w) => `/sessions/${w.a.sessionId}/status`, body: () => ({}), expect: managerRecord(400) },
  // Sessions planned step by step (draft-routes.ts): managers only; practice B's manager gets 404 for A's draft.
  // Empty bodies: no formId or version, so 400 and nothing saved. The world's draft is not ready, so its check page sends back to the task list.
  { method: "POST", path: "/sessions/drafts", url: () => "/sessions/drafts", body: () => ({}), expect: managerPage(400) },
  { method: "GET", path: "/sessions/drafts/:id", url: (w) => `/sessions/drafts/${w.a.sessionDraftId}`, expect: managerRecord() },
  { method: "GET", path: "/sessions/drafts/:id/check", url: (w) => `/sessions/drafts/${w.a.sessionDraftId}/check`, expect: managerRecord(303) },
  { method: "POST", path: "/sessions/drafts/:id/schedule", url: (w) => `/sessions/drafts/${w.a.sessionDraftId}/schedule`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/sessions/drafts/:id/delete", url: (w) => `/sessions/drafts/${w.a.sessionDraftId}/delete`, body: () => ({}), expect: managerRecord(400) },
  { method: "GET", path: "/sessions/drafts/:id/:section", url: (w) => `/sessions/drafts/${w.a.sessionDraftId}/group`, expect: managerRecord() },
  { method: "POST", path: "/sessions/drafts/:id/:section", url: (w) => `/sessions/drafts/${w.a.sessionDraftId}/group`, body: () => ({}), expect: managerRecord(400) },
];
