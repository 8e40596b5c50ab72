import type { MatrixRow } from "./matrix.js";
import { staffRecord } from "./matrix.js";

// The report-back sheet of a session: whoever may read the session's briefing (facilitators: their own sessions).
export const rows: MatrixRow[] = [
  { method: "GET", path: "/sessions/:id/report-back", url: (w) => `/sessions/${w.a.sessionId}/report-back`, expect: staffRecord() },
];
