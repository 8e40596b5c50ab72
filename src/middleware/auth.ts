// Loads the signed-in user and the practice they are working in, once per
// request. Everything downstream reads res.locals.currentUser.
import type { NextFunction, Request, Response } from "express";
import type { Pool } from "pg";
import type { Role } from "../generated/prisma/enums.js";
import { isUuid } from "../lib/routing.js";

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

/** One row per active, accepted membership of the user (oldest first); one row with null membership fields when there is none. */
export interface UserRow {
  id: string;
  name: string;
  email: string;
  active: boolean;
  role: Role | null;
  practiceId: string | null;
  practiceName: string | null;
  practiceSlug: string | null;
  dataVersion: string | null;
}

/**
 * The user with their active memberships, as a lateral subquery over a user id
 * expression (`$USER_ID`): used on its own below, and by the session store to read
 * the session row and its user in one statement (lib/session-store.ts).
 */
export function userRowsSql(userIdExpression: string): string {
  return `
    select u.id, u.name, u.email, u.active, m.role::text as role, p.id as "practiceId", p.name as "practiceName",
           p.slug as "practiceSlug", p."dataVersion"::text as "dataVersion", m."createdAt" as "membershipCreatedAt"
    from "User" u
    left join "Membership" m on m."userId" = u.id and m.active and m."acceptedAt" is not null
    left join "Practice" p on p.id = m."practiceId"
    where u.id = ${userIdExpression}`;
}

const USER_ROWS = `${userRowsSql("$1::uuid")} order by "membershipCreatedAt" asc`;

/**
 * User rows read together with the session (by the session store), waiting for
 * this request's loadCurrentUser; see lib/session-store.ts.
 */
export interface PrefetchedUsers {
  take(sid: string, userId: string): UserRow[] | undefined;
}

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
