import type { MatrixRow } from "./matrix.js";
import { staffPage } from "./matrix.js";

const signedIn = { VIEWER: 303, FACILITATOR: 303, MANAGER: 303, otherManager: 303 };

export const rows: MatrixRow[] = [
  { method: "GET", path: "/", url: () => "/", expect: { anonymous: 200, ...signedIn } },
  { method: "GET", path: "/dashboard", url: () => "/dashboard", expect: staffPage() },
  { method: "GET", path: "/login", url: () => "/login", expect: { anonymous: 200, ...signedIn } },
  { method: "POST", path: "/login", url: () => "/login", body: () => ({}), expect: { anonymous: 400, VIEWER: 400, FACILITATOR: 400, MANAGER: 400, otherManager: 400 } },
  { method: "POST", path: "/logout", url: () => "/logout", expect: { anonymous: 303, ...signedIn }, freshAgent: true },
  { method: "GET", path: "/practice", url: () => "/practice", expect: staffPage() },
  { method: "POST", path: "/practice", url: () => "/practice", body: () => ({}), expect: { anonymous: 303, VIEWER: 400, FACILITATOR: 400, MANAGER: 400, otherManager: 400 } },
];
