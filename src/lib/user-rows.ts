// The signed-in user's row and memberships, as SQL: read by loadCurrentUser
// (middleware/auth.ts) and, in the same statement as the session, by the
// session store (lib/session-store.ts).
import type { Role } from "../generated/prisma/enums.js";

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

export const USER_ROWS = `${userRowsSql("$1::uuid")} order by "membershipCreatedAt" asc`;

/**
 * User rows read together with the session (by the session store), waiting for
 * this request's loadCurrentUser; see lib/session-store.ts.
 */
export interface PrefetchedUsers {
  take(sid: string, userId: string): UserRow[] | undefined;
}

