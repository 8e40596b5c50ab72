import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord } from "./matrix.js";

// Allowed POSTs get an empty body, so they stop at validation (400): the
// group's private link in the world is never rotated by the matrix.
export const rows: MatrixRow[] = [
  { method: "GET", path: "/groups", url: () => "/groups", expect: managerPage() },
  { method: "GET", path: "/groups/new", url: () => "/groups/new", expect: managerPage() },
  { method: "POST", path: "/groups", url: () => "/groups", body: () => ({}), expect: managerPage(400) },
  { method: "GET", path: "/groups/:id", url: (w) => `/groups/${w.a.groupId}`, expect: managerRecord() },
  { method: "GET", path: "/groups/:id/edit", url: (w) => `/groups/${w.a.groupId}/edit`, expect: managerRecord() },
  { method: "POST", path: "/groups/:id/edit", url: (w) => `/groups/${w.a.groupId}/edit`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/groups/:id/archive", url: (w) => `/groups/${w.a.groupId}/archive`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/groups/:id/link", url: (w) => `/groups/${w.a.groupId}/link`, body: () => ({}), expect: managerRecord(400) },
];
