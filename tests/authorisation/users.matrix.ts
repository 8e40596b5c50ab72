// Users, invitations, own password and the audit log. Allowed POSTs get bodies
// that fail validation (or an unknown invitation token), so nothing changes.
import type { MatrixRow } from "./matrix.js";
import { managerPage, managerRecord, staffPage } from "./matrix.js";

const anyone = (status: number) => ({ anonymous: status, VIEWER: status, FACILITATOR: status, MANAGER: status, otherManager: status });
const UNKNOWN_TOKEN = "no-such-invitation-token-0123456789abcdef";

export const rows: MatrixRow[] = [
  { method: "GET", path: "/users", url: () => "/users", expect: managerPage() },
  { method: "GET", path: "/users/new", url: () => "/users/new", expect: managerPage() },
  { method: "POST", path: "/users", url: () => "/users", body: () => ({ name: "", email: "not-an-email" }), expect: managerPage(400) },
  { method: "GET", path: "/users/:id", url: (w) => `/users/${w.a.viewer.id}`, expect: managerRecord() },
  { method: "POST", path: "/users/:id/role", url: (w) => `/users/${w.a.viewer.id}/role`, body: () => ({ role: "OWNER" }), expect: managerRecord(400) },
  // The only manager deactivating themselves: refused by the last-manager rule (400), nothing changes.
  { method: "POST", path: "/users/:id/deactivate", url: (w) => `/users/${w.a.manager.id}/deactivate`, expect: managerRecord(400) },
  // Already active: nothing to do, a redirect, nothing changes.
  { method: "POST", path: "/users/:id/reactivate", url: (w) => `/users/${w.a.viewer.id}/reactivate`, expect: managerRecord(303) },
  // The viewer already has a password, so a new invitation is refused (400).
  { method: "POST", path: "/users/:id/invitation", url: (w) => `/users/${w.a.viewer.id}/invitation`, expect: managerRecord(400) },
  { method: "GET", path: "/invitations/:token", url: () => `/invitations/${UNKNOWN_TOKEN}`, expect: anyone(404) },
  { method: "POST", path: "/invitations/:token", url: () => `/invitations/${UNKNOWN_TOKEN}`, body: () => ({ newPassword: "", confirmPassword: "" }), expect: anyone(404) },
  { method: "POST", path: "/invitations/:token/accept", url: () => `/invitations/${UNKNOWN_TOKEN}/accept`, body: () => ({}), expect: staffPage(404) },
  { method: "GET", path: "/account/password", url: () => "/account/password", expect: staffPage() },
  { method: "POST", path: "/account/password", url: () => "/account/password", body: () => ({ currentPassword: "" }), expect: staffPage(400) },
  { method: "GET", path: "/audit", url: () => "/audit", expect: managerPage() },
];
