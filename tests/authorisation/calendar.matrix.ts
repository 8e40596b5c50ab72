import type { MatrixRow, Who } from "./matrix.js";
import { managerPage, staffPage } from "./matrix.js";

// The calendar, the gap setting and the private calendar feeds.
// Allowed POSTs get an empty body, so they stop at validation (400) and change nothing.
// The feed is public (calendar apps have no session): a well-formed token that opens no feed is 404 for everyone.
const everyone = (status: number): Record<Who, number> => ({ anonymous: status, VIEWER: status, FACILITATOR: status, MANAGER: status, otherManager: status });

export const rows: MatrixRow[] = [
  { method: "GET", path: "/calendar", url: () => "/calendar", expect: staffPage() },
  { method: "GET", path: "/calendar/settings", url: () => "/calendar/settings", expect: managerPage() },
  { method: "POST", path: "/calendar/settings", url: () => "/calendar/settings", body: () => ({}), expect: managerPage(400) },
  { method: "GET", path: "/account/calendar", url: () => "/account/calendar", expect: staffPage() },
  { method: "POST", path: "/account/calendar", url: () => "/account/calendar", body: () => ({}), expect: staffPage(400) },
  { method: "POST", path: "/account/calendar/revoke", url: () => "/account/calendar/revoke", body: () => ({}), expect: staffPage(400) },
  { method: "GET", path: "/calendar/feed/:token.ics", url: () => `/calendar/feed/${"A".repeat(43)}.ics`, expect: everyone(404) },
];
