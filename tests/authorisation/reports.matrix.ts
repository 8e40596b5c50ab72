// /reports and its exports: practice managers only. Each is about the signed-in
// manager's own practice, so practice B's manager gets B's (empty) report: 200.
import type { MatrixRow } from "./matrix.js";
import { managerPage } from "./matrix.js";

export const rows: MatrixRow[] = [
  { method: "GET", path: "/reports", url: () => "/reports", expect: managerPage() },
  { method: "GET", path: "/reports/evidence", url: () => "/reports/evidence", expect: managerPage() },
  { method: "GET", path: "/reports/ideas.csv", url: () => "/reports/ideas.csv", expect: managerPage() },
  { method: "GET", path: "/reports/sessions.csv", url: () => "/reports/sessions.csv", expect: managerPage() },
  { method: "GET", path: "/reports/responses.csv", url: () => "/reports/responses.csv", expect: managerPage() },
  { method: "GET", path: "/reports/verdicts.csv", url: () => "/reports/verdicts.csv", expect: managerPage() },
  { method: "GET", path: "/reports/translations.csv", url: () => "/reports/translations.csv", expect: managerPage() },
];
