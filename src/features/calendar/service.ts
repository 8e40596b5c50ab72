// The calendar across groups: a month of sessions (scoped by lib/visibility.ts),
// gaps per group, clashes of a facilitator's sessions, and the gap setting.
// All database access of the calendar feature is here and in feeds.ts.
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { SessionStatus } from "../../generated/prisma/enums.js";
import { seesGroupGaps, staffSessionWhere, type StaffViewer } from "../../lib/visibility.js";
import { recordAudit } from "../audit/service.js";
import { facilitatorNames } from "../sessions/service.js";
import { monthRange, type Month } from "./month.js";

/** A month never shows more than this many sessions (a practice plans a few dozen); the page says when it is cut. */
export const MONTH_LIMIT = 500;
/** Gaps are listed for at most this many active groups (the groups page's own choice lists stop at 500 too). */
export const GAPS_LIMIT = 500;

export const calendarSessionSelect = {
  id: true, title: true, startsAt: true, endsAt: true, status: true, online: true, venueName: true,
  group: { select: { id: true, name: true } },
} as const;

export async function monthSessions(prisma: PrismaClient, viewer: StaffViewer, month: Month) {
  const { from, to } = monthRange(month);
  const rows = await prisma.communitySession.findMany({
    where: { ...staffSessionWhere(viewer), startsAt: { gte: from, lt: to } },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: MONTH_LIMIT + 1,
    select: calendarSessionSelect,
  });
  return { sessions: rows.slice(0, MONTH_LIMIT), truncated: rows.length > MONTH_LIMIT };
}
export type CalendarSession = Awaited<ReturnType<typeof monthSessions>>["sessions"][number];

// ---------------------------------------------------------------------------
// Gaps per group

export interface GroupGap {
  groupId: string;
  name: string;
  lastHeld: Date | null;
  nextPlanned: Date | null;
  /** Not met (no held session) for longer than the practice's setting; a group never met counts from when it was added. */
  overdue: boolean;
}

/** `since - months`, by calendar months (31 March minus one month is 28 or 29 February). */
export function monthsBefore(since: Date, months: number): Date {
  const d = new Date(since.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export function isOverdue(g: { lastHeld: Date | null; createdAt: Date }, months: number, now: Date): boolean {
  return (g.lastHeld ?? g.createdAt).getTime() < monthsBefore(now, months).getTime();
}

/**
 * Each active group's last held session and next planned (scheduled, not yet
 * started) one, in one statement. `groupIds` narrows it to one page of groups.
 */
export async function groupGaps(prisma: PrismaClient, practiceId: string, opts: { groupIds?: string[]; now?: Date } = {}): Promise<{ months: number; gaps: GroupGap[] }> {
  const now = opts.now ?? new Date();
  if (opts.groupIds && opts.groupIds.length === 0) return { months: await gapMonths(prisma, practiceId), gaps: [] };
  const only = opts.groupIds ? Prisma.sql`and g.id = any(${opts.groupIds}::uuid[])` : Prisma.empty;
  const [months, rows] = await Promise.all([
    gapMonths(prisma, practiceId),
    prisma.$queryRaw<{ id: string; name: string; createdAt: Date; lastHeld: Date | null; nextPlanned: Date | null }[]>`
      select g.id, g.name, g."createdAt",
        max(s."startsAt") filter (where s.status = 'HELD') as "lastHeld",
        min(s."startsAt") filter (where s.status = 'SCHEDULED' and s."startsAt" > ${now}) as "nextPlanned"
      from "CommunityGroup" g
      left join "CommunitySession" s on s."practiceId" = g."practiceId" and s."groupId" = g.id
      where g."practiceId" = ${practiceId}::uuid and g."archivedAt" is null ${only}
      group by g.id
      order by coalesce(max(s."startsAt") filter (where s.status = 'HELD'), g."createdAt") asc, g.name asc, g.id asc
      limit ${GAPS_LIMIT}`,
  ]);
  return {
    months,
    gaps: rows.map((r) => ({ groupId: r.id, name: r.name, lastHeld: r.lastHeld, nextPlanned: r.nextPlanned, overdue: isOverdue(r, months, now) })),
  };
}

/** The gaps a viewer may see on the calendar: none for facilitators (they are practice-wide facts). */
export async function calendarGaps(prisma: PrismaClient, viewer: StaffViewer, now = new Date()) {
  if (!seesGroupGaps(viewer)) return undefined;
  return groupGaps(prisma, viewer.practiceId, { now });
}

export async function gapMonths(prisma: PrismaClient, practiceId: string): Promise<number> {
  const p = await prisma.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { gapAlertMonths: true } });
  return p.gapAlertMonths;
}

export async function setGapMonths(prisma: PrismaClient, practiceId: string, actorId: string, months: number): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const p = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { gapAlertMonths: true } });
    if (p.gapAlertMonths === months) return false;
    await tx.practice.update({ where: { id: practiceId }, data: { gapAlertMonths: months } });
    await recordAudit(tx, {
      practiceId, actorId, action: "practice.gap-alert", entityType: "Practice", entityId: practiceId,
      details: { field: "gapAlertMonths", previous: p.gapAlertMonths, new: months },
    });
    return true;
  });
}

// ---------------------------------------------------------------------------
// Clashes

/** Sessions whose time is no longer taken: a cancelled one, or a postponed one (its date is to be fixed). */
const NOT_TAKING_TIME: SessionStatus[] = ["CANCELLED", "POSTPONED"];

export interface Clash {
  id: string;
  title: string;
  groupName: string;
  startsAt: Date;
  endsAt: Date;
  facilitators: { id: string; name: string }[];
}

/**
 * Other sessions of this practice that overlap this one in time and share a
 * facilitator with it. A warning only: planning is never blocked.
 */
export async function findClashes(
  prisma: PrismaClient,
  practiceId: string,
  session: { id: string; startsAt: Date; endsAt: Date; status: SessionStatus; facilitators: { userId: string }[] },
): Promise<Clash[]> {
  const ids = session.facilitators.map((f) => f.userId);
  if (ids.length === 0 || NOT_TAKING_TIME.includes(session.status)) return [];
  const others = await prisma.communitySession.findMany({
    where: {
      practiceId,
      id: { not: session.id },
      status: { notIn: NOT_TAKING_TIME },
      startsAt: { lt: session.endsAt },
      endsAt: { gt: session.startsAt },
      facilitators: { some: { practiceId, userId: { in: ids } } },
    },
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    take: 20,
    select: { id: true, title: true, startsAt: true, endsAt: true, group: { select: { name: true } }, facilitators: { where: { userId: { in: ids } }, select: { userId: true } } },
  });
  if (others.length === 0) return [];
  const names = await facilitatorNames(prisma, practiceId, [...new Set(others.flatMap((o) => o.facilitators.map((f) => f.userId)))]);
  return others.map((o) => ({
    id: o.id, title: o.title, groupName: o.group.name, startsAt: o.startsAt, endsAt: o.endsAt,
    facilitators: names.filter((n) => o.facilitators.some((f) => f.userId === n.id)),
  }));
}
