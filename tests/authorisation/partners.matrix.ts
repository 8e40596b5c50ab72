import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord } from "./matrix.js";

// Allowed POSTs get an empty body, so they stop at validation (400) and change nothing.
export const rows: MatrixRow[] = [
  { method: "GET", path: "/partners", url: () => "/partners", expect: managerPage() },
  { method: "GET", path: "/partners/new", url: () => "/partners/new", expect: managerPage() },
  { method: "POST", path: "/partners", url: () => "/partners", body: () => ({}), expect: managerPage(400) },
  { method: "GET", path: "/partners/:id/edit", url: (w) => `/partners/${w.a.partnerId}/edit`, expect: managerRecord() },
  { method: "POST", path: "/partners/:id/edit", url: (w) => `/partners/${w.a.partnerId}/edit`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/partners/:id/archive", url: (w) => `/partners/${w.a.partnerId}/archive`, body: () => ({}), expect: managerRecord(400) },
];
