// CSRF on every state-changing request, then who is signed in, the CSRF token
// and the staff navigation for the views.
import type { Express } from "express";
import type { Pool } from "pg";
import type { PrefetchedUsers } from "../lib/user-rows.js";
import type { RouteSpec } from "../lib/routing.js";
import { loadCurrentUser } from "./auth.js";
import { csrfProtection, exposeCsrfToken } from "./csrf.js";
import { staffNavigation } from "./navigation.js";

export function setUpCsrfAndCurrentUser(app: Express, { pool, prefetchedUsers, registry }: { pool: Pool; prefetchedUsers: PrefetchedUsers; registry: RouteSpec[] }): void {
  app.use(csrfProtection);
  app.use(loadCurrentUser(pool, prefetchedUsers));
  app.use(exposeCsrfToken);
  app.use(staffNavigation(registry));
}
