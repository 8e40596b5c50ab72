import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord } from "./matrix.js";

// Empty bodies: an allowed POST is a 400 (validation) and changes nothing.
export const rows: MatrixRow[] = [
  { method: "GET", path: "/themes", url: () => "/themes", expect: managerPage() },
  { method: "POST", path: "/themes", url: () => "/themes", body: () => ({}), expect: managerPage(400) },
  { method: "GET", path: "/themes/:id/edit", url: (w) => `/themes/${w.a.themeId}/edit`, expect: managerRecord() },
  { method: "POST", path: "/themes/:id/edit", url: (w) => `/themes/${w.a.themeId}/edit`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/themes/:id/move", url: (w) => `/themes/${w.a.themeId}/move`, body: () => ({}), expect: managerRecord(400) },
  { method: "POST", path: "/themes/:id/retire", url: (w) => `/themes/${w.a.themeId}/retire`, body: () => ({}), expect: managerRecord(400) },
];
