// Loads the signed-in user and the practice they are working in, once per
// request. Everything downstream reads res.locals.currentUser.
import type { NextFunction, Request, Response } from "express";
import type { Pool } from "pg";
import type { Role } from "../generated/prisma/enums.js";
import { isUuid } from "../lib/routing.js";
import { USER_ROWS, type PrefetchedUsers, type UserRow } from "../lib/user-rows.js";

export interface CurrentUser {
  id: string;
  name: string;
  email: string;
  /** The practice the user is working in now, and their role there. */
  practice: {
    id: string;
    name: string;
    slug: string;
    /** Practice."dataVersion" when this request began: the key of cached page fragments (lib/practice-cache.ts). */
    dataVersion: string;
  };
  role: Role;
  memberships: { practiceId: string; practiceName: string; role: Role }[];
}

/** Idle timeout (rolling cookie; the default of SESSION_IDLE_MINUTES) and absolute timeout for staff sessions. */
export const IDLE_TIMEOUT_MS = 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export function loadCurrentUser(pool: Pool, prefetched?: PrefetchedUsers) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (!userId) return next();
    if (!req.session.signedInAt || Date.now() - req.session.signedInAt > ABSOLUTE_TIMEOUT_MS) {
      await new Promise<void>((resolve) => req.session.regenerate(() => resolve()));
      return next();
    }
    // Usually read in the same statement as the session; otherwise one statement here.
    const rows = !isUuid(userId)
      ? []
      : prefetched?.take(req.sessionID, userId) ?? (await pool.query<UserRow>({ name: "user-rows", text: USER_ROWS, values: [userId] })).rows;
    const first = rows[0];
    const memberships = rows.filter((r) => r.role && r.practiceId);
    if (!first || !first.active || memberships.length === 0) {
      await new Promise<void>((resolve) => req.session.regenerate(() => resolve()));
      return next();
    }
    const current = memberships.find((m) => m.practiceId === req.session.practiceId) ?? memberships[0]!;
    req.session.practiceId = current.practiceId!;
    res.locals.currentUser = {
      id: first.id,
      name: first.name,
      email: first.email,
      practice: { id: current.practiceId!, name: current.practiceName!, slug: current.practiceSlug!, dataVersion: current.dataVersion! },
      role: current.role!,
      memberships: memberships.map((m) => ({ practiceId: m.practiceId!, practiceName: m.practiceName!, role: m.role! })),
    };
    next();
  };
}

/** The signed-in user; only call behind requireAccess. */
export function currentUser(res: Response): CurrentUser {
  const u = res.locals.currentUser;
  if (!u) throw new Error("currentUser() called on a route without access control");
  return u;
}
