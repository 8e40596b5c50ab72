// What needs attention: upcoming sessions, outcomes to log, overdue ideas.
// A fixed number of queries whatever the practice's size.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Role } from "../../generated/prisma/enums.js";
import { assignedWhere, scheduledSessionWhere } from "../../lib/visibility.js";

export interface DashboardScope {
  practiceId: string;
  userId: string;
  role: Role;
}

export async function dashboardFor(prisma: PrismaClient, scope: DashboardScope, now = new Date()) {
  const { practiceId } = scope;
  // Facilitators see the sessions they are assigned to.
  const mine = scope.role === "FACILITATOR" ? { facilitators: { some: { userId: scope.userId } } } : {};
  const sessionSelect = {
    id: true,
    title: true,
    startsAt: true,
    endsAt: true,
    status: true,
    online: true,
    venueName: true,
    group: { select: { name: true } },
  } as const;
  // Overdue ideas: a facilitator's are those of the sessions they are assigned to (lib/visibility.ts).
  const overdueWhere = { ...assignedWhere(scope), firstResponseAt: null, dueAt: { lt: now } };
  // Upcoming means scheduled: a session being planned is never counted as scheduled (lib/visibility.ts).
  // A session under way is still upcoming until it ends (as on /sessions): it is on no other list until then.
  const upcomingWhere = { ...scheduledSessionWhere(practiceId), ...mine, endsAt: { gte: now } };
  const beingPlannedWhere = { practiceId, ...mine, status: "DRAFT" as const, startsAt: { gte: now } };
  const [upcoming, upcomingCount, needingOutcome, needingOutcomeCount, overdue, overdueCount, draftSessions, sessionDrafts] = await Promise.all([
    prisma.communitySession.findMany({
      where: upcomingWhere,
      orderBy: { startsAt: "asc" },
      take: 5,
      select: sessionSelect,
    }),
    prisma.communitySession.count({ where: upcomingWhere }),
    prisma.communitySession.findMany({
      where: { practiceId, ...mine, status: "SCHEDULED", endsAt: { lt: now } },
      orderBy: { endsAt: "asc" },
      take: 10,
      select: sessionSelect,
    }),
    prisma.communitySession.count({ where: { practiceId, ...mine, status: "SCHEDULED", endsAt: { lt: now } } }),
    prisma.idea.findMany({
      where: overdueWhere,
      orderBy: { dueAt: "asc" },
      take: 5,
      select: { id: true, text: true, dueAt: true, createdAt: true, group: { select: { name: true } } },
    }),
    prisma.idea.count({ where: overdueWhere }),
    // Managers plan sessions: how many are still drafts (one-page drafts, and drafts planned step by step).
    scope.role === "MANAGER" ? prisma.communitySession.count({ where: beingPlannedWhere }) : Promise.resolve(0),
    scope.role === "MANAGER" ? prisma.sessionDraft.count({ where: { practiceId } }) : Promise.resolve(0),
  ]);
  return { upcoming, upcomingCount, needingOutcome, needingOutcomeCount, overdue, overdueCount, beingPlanned: draftSessions + sessionDrafts };
}
