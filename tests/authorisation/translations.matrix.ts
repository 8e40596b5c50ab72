import type { MatrixRow } from "./matrix.js";
import { managerRecord, staffPage } from "./matrix.js";

// Translations (issue 18). Empty bodies: an allowed POST is a 400 (validation) and changes nothing.
export const rows: MatrixRow[] = [
  { method: "GET", path: "/groups/:id/languages", url: (w) => `/groups/${w.a.groupId}/languages`, expect: managerRecord() },
  { method: "POST", path: "/groups/:id/languages", url: (w) => `/groups/${w.a.groupId}/languages`, body: () => ({ readingLanguages: "xx" }), expect: managerRecord(400) },
  { method: "GET", path: "/ideas/:id/responses/:responseId/translations", url: (w) => `/ideas/${w.a.ideaId}/responses/${w.a.responseId}/translations`, expect: managerRecord() },
  { method: "POST", path: "/ideas/:id/responses/:responseId/translations", url: (w) => `/ideas/${w.a.ideaId}/responses/${w.a.responseId}/translations`, body: () => ({}), expect: managerRecord(400) },
  { method: "GET", path: "/translations", url: () => "/translations", expect: staffPage() },
];
