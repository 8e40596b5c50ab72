// Loads the signed-in user and the practice they are working in, once per
// request. Everything downstream reads res.locals.currentUser.
import type { NextFunction, Request, Response } from "express";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Role } from "../generated/prisma/enums.js";
import { isUuid } from "../lib/routing.js";

export interface CurrentUser {
  id: string;
  name: string;
  email: string;
  /** The practice the user is working in now, and their role there. */
  practice: { id: string; name: string; slug: string };
  role: Role;
  memberships: { practiceId: string; practiceName: string; role: Role }[];
}

/** Idle timeout (rolling cookie) and absolute timeout for staff sessions. */
export const IDLE_TIMEOUT_MS = 60 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export function loadCurrentUser(prisma: PrismaClient) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const userId = req.session?.userId;
    if (!userId) return next();
    if (!req.session.signedInAt || Date.now() - req.session.signedInAt > ABSOLUTE_TIMEOUT_MS) {
      await new Promise<void>((resolve) => req.session.regenerate(() => resolve()));
      return next();
    }
    // One statement: the user and their active memberships with each practice, oldest first.
    const rows = !isUuid(userId) ? [] : await prisma.$queryRaw<
      { id: string; name: string; email: string; active: boolean; role: Role | null; practiceId: string | null; practiceName: string | null; practiceSlug: string | null }[]
    >`
      select u.id, u.name, u.email, u.active, m.role::text as role, p.id as "practiceId", p.name as "practiceName", p.slug as "practiceSlug"
      from "User" u
      left join "Membership" m on m."userId" = u.id and m.active
      left join "Practice" p on p.id = m."practiceId"
      where u.id = ${userId}::uuid
      order by m."createdAt" asc`;
    const first = rows[0];
    const user = first && {
      ...first,
      memberships: rows.filter((r) => r.role && r.practiceId).map((r) => ({ role: r.role!, practice: { id: r.practiceId!, name: r.practiceName!, slug: r.practiceSlug! } })),
    };
    if (!user || !user.active || user.memberships.length === 0) {
      await new Promise<void>((resolve) => req.session.regenerate(() => resolve()));
      return next();
    }
    const current =
      user.memberships.find((m) => m.practice.id === req.session.practiceId) ?? user.memberships[0]!;
    req.session.practiceId = current.practice.id;
    res.locals.currentUser = {
      id: user.id,
      name: user.name,
      email: user.email,
      practice: current.practice,
      role: current.role,
      memberships: user.memberships.map((m) => ({
        practiceId: m.practice.id,
        practiceName: m.practice.name,
        role: m.role,
      })),
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
