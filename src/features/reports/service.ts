// Report figures for one practice and one date range. All counting happens in
// Postgres (GROUP BY, FILTER, percentile_cont); every query is scoped by
// practiceId; a page runs a fixed number of queries whatever the data size.
// Raw SQL is only ever a tagged template (parameters, never concatenation).
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { IdeaStatus } from "../../generated/prisma/enums.js";
import type { DateRange } from "./range.js";
import { queryRows, type SqlClient } from "../../db/client.js";
// Statuses and their words: one list for every staff view.
import { IDEA_STATUSES, STATUS_LABELS } from "../../lib/vocabulary.js";
import { nextDeadlineSql } from "../ideas/service.js";
import { finalOutcome } from "../outcomes/service.js";
import { boardSql } from "../../lib/visibility.js";
import { loopCellsSql, loopFiguresOf, loopMedianSql } from "../report-back/figures.js";

export { IDEA_STATUSES, STATUS_LABELS };
export const OVERDUE_LIST_SIZE = 20;

export interface SessionsCell {
  groupId: string;
  groupName: string;
  partnerName: string | null;
  /** "2026-03" (London calendar month). */
  month: string;
  sessions: number;
  attendance: number;
}

export interface DeadlineFigures {
  /** Ideas raised in the period whose deadline has passed or that have been answered. */
  counted: number;
  onTime: number;
  late: number;
  unansweredPastDue: number;
  notYetDue: number;
  total: number;
  /** onTime / counted, 0..1; null when nothing counts. */
  share: number | null;
  medianDaysToFirstResponse: number | null;
  medianDaysToDone: number | null;
  answeredCount: number;
  doneCount: number;
  /** When the practice's next unanswered idea passes its deadline (whatever the range): these figures and the overdue list can change by the clock then. */
  nextDueAt: Date | null;
}

/** Held sessions in the range, per group and London month, with attendance summed. */
export async function sessionsByGroupAndMonth(prisma: PrismaClient, practiceId: string, range: DateRange): Promise<SessionsCell[]> {
  return prisma.$queryRaw<SessionsCell[]>(sessionsByGroupAndMonthSql(practiceId, range));
}

function sessionsByGroupAndMonthSql(practiceId: string, range: DateRange): Prisma.Sql {
  return Prisma.sql`
    select s."groupId" as "groupId", g.name as "groupName", p.name as "partnerName",
           to_char(date_trunc('month', s."startsAt" at time zone 'Europe/London'), 'YYYY-MM') as month,
           count(*)::int as sessions,
           coalesce(sum(o."attendanceCount"), 0)::int as attendance
    from "CommunitySession" s
    join "CommunityGroup" g on g.id = s."groupId" and g."practiceId" = s."practiceId"
    left join "PartnerOrganisation" p on p.id = g."partnerId" and p."practiceId" = g."practiceId"
    left join "SessionOutcome" o on o."sessionId" = s.id and o."practiceId" = s."practiceId" and not o."isDraft"
    where s."practiceId" = ${practiceId}::uuid
      and s.status = 'HELD'
      and s."startsAt" >= ${range.start} and s."startsAt" < ${range.endExclusive}
    group by s."groupId", g.name, p.name, month
    order by g.name, s."groupId", month`;
}

/**
 * Ideas raised in the range, per theme (only themes with ideas), most first.
 * Counted over the range's ideas alone (one range scan of the practice's
 * createdAt index), then the few themes looked up: joining first made Postgres
 * probe the ideas once per theme, on an estimate of a handful of rows each.
 */
export async function ideasByTheme(prisma: PrismaClient, practiceId: string, range: DateRange) {
  return prisma.$queryRaw<ThemeCount[]>(ideasByThemeSql(practiceId, range));
}

type ThemeCount = { themeId: string; name: string; count: number };

function ideasByThemeSql(practiceId: string, range: DateRange): Prisma.Sql {
  return Prisma.sql`
    select t.id as "themeId", t.name, c.count
    from (
      select i."themeId", count(*)::int as count
      from "Idea" i
      where i."practiceId" = ${practiceId}::uuid
        and i."createdAt" >= ${range.start} and i."createdAt" < ${range.endExclusive}
      group by i."themeId"
    ) c
    join "Theme" t on t.id = c."themeId" and t."practiceId" = ${practiceId}::uuid
    order by c.count desc, t.position, t.name`;
}

/** Ideas raised in the range, per status; every status present (zero when none). */
export async function ideasByStatus(prisma: PrismaClient, practiceId: string, range: DateRange) {
  return everyStatus(await prisma.$queryRaw<StatusCount[]>(ideasByStatusSql(practiceId, range)));
}

type StatusCount = { status: IdeaStatus; count: number };

function ideasByStatusSql(practiceId: string, range: DateRange): Prisma.Sql {
  return Prisma.sql`
    select i.status::text as status, count(*)::int as count
    from "Idea" i
    where i."practiceId" = ${practiceId}::uuid
      and i."createdAt" >= ${range.start} and i."createdAt" < ${range.endExclusive}
    group by i.status`;
}

function everyStatus(rows: StatusCount[]) {
  const by = new Map(rows.map((r) => [r.status, r.count]));
  return IDEA_STATUSES.map((status) => ({ status, label: STATUS_LABELS[status], count: by.get(status) ?? 0 }));
}

/**
 * The deadline share and the medians, in one query, for ideas raised in the range.
 * Counted for the share: ideas whose deadline (dueAt) has passed by `now`, or that
 * have had a first response (so an idea still within its deadline and unanswered
 * is neither a success nor a failure yet). On time: first response at or before dueAt.
 * Medians: days from the end of the idea's session to its first response, and to
 * its being marked done, over the ideas that have one.
 */
export async function deadlineFigures(prisma: PrismaClient, practiceId: string, range: DateRange, now: Date): Promise<DeadlineFigures> {
  const [row] = await prisma.$queryRaw<Omit<DeadlineFigures, "share">[]>(deadlineFiguresSql(practiceId, range, now));
  return withShare(row!);
}

function withShare(r: Omit<DeadlineFigures, "share">): DeadlineFigures {
  return { ...r, share: r.counted > 0 ? r.onTime / r.counted : null };
}

function deadlineFiguresSql(practiceId: string, range: DateRange, now: Date): Prisma.Sql {
  // The range's ideas are read once (one range scan of the practice's createdAt
  // index) and joined to the practice's sessions by hash. Joined directly,
  // Postgres estimated a few dozen rows and probed the ideas once per session
  // (2,300 buffers for 1,000 ideas where this reads 75).
  return Prisma.sql`
    with i as materialized (
      select i."sessionId", i."firstResponseAt", i."dueAt", i."doneAt" from "Idea" i
      where i."practiceId" = ${practiceId}::uuid
        and i."createdAt" >= ${range.start} and i."createdAt" < ${range.endExclusive}
    )
    select
      count(*)::int as total,
      count(*) filter (where i."firstResponseAt" is not null or i."dueAt" <= ${now})::int as counted,
      count(*) filter (where i."firstResponseAt" is not null and i."firstResponseAt" <= i."dueAt")::int as "onTime",
      count(*) filter (where i."firstResponseAt" is not null and i."firstResponseAt" > i."dueAt")::int as late,
      count(*) filter (where i."firstResponseAt" is null and i."dueAt" <= ${now})::int as "unansweredPastDue",
      count(*) filter (where i."firstResponseAt" is null and i."dueAt" > ${now})::int as "notYetDue",
      count(i."firstResponseAt")::int as "answeredCount",
      count(i."doneAt")::int as "doneCount",
      percentile_cont(0.5) within group (order by (extract(epoch from (i."firstResponseAt" - s."endsAt")) / 86400.0)::float8) as "medianDaysToFirstResponse",
      percentile_cont(0.5) within group (order by (extract(epoch from (i."doneAt" - s."endsAt")) / 86400.0)::float8) as "medianDaysToDone",
      ${nextDeadlineSql(practiceId, now)} as "nextDueAt"
    from i
    join "CommunitySession" s on s.id = i."sessionId" and s."practiceId" = ${practiceId}::uuid`;
}

/**
 * Ideas overdue now (no first response and past their deadline), whatever the range: oldest deadline first.
 * One statement: the first `take` with their group and theme, and how many there are (a window count).
 */
export async function overdueIdeas(prisma: PrismaClient, practiceId: string, now: Date, take = OVERDUE_LIST_SIZE) {
  return overdueList(await prisma.$queryRaw<OverdueRow[]>(overdueIdeasSql(practiceId, now, take)));
}

type OverdueRow = { id: string; text: string; dueAt: Date; createdAt: Date; groupName: string; themeName: string; total: number };

function overdueIdeasSql(practiceId: string, now: Date, take: number): Prisma.Sql {
  return Prisma.sql`
    select i.id, i.text, i."dueAt", i."createdAt", g.name as "groupName", t.name as "themeName", count(*) over ()::int as total
    from "Idea" i
    join "CommunityGroup" g on g.id = i."groupId" and g."practiceId" = i."practiceId"
    join "Theme" t on t.id = i."themeId" and t."practiceId" = i."practiceId"
    where i."practiceId" = ${practiceId}::uuid and i."firstResponseAt" is null and i."dueAt" < ${now}
    order by i."dueAt" asc, i.id asc
    limit ${take}`;
}

function overdueList(rows: OverdueRow[]) {
  return {
    items: rows.map((r) => ({ id: r.id, text: r.text, dueAt: r.dueAt, createdAt: r.createdAt, group: { name: r.groupName }, theme: { name: r.themeName } })),
    count: rows[0]?.total ?? 0,
  };
}

/** A date as json_agg or row_to_json writes it (ISO 8601 text), or null. */
function dateOf(v: string | Date | null): Date | null {
  return v === null ? null : new Date(v);
}

type ReportRow = {
  sessions: SessionsCell[] | null;
  themes: ThemeCount[] | null;
  statuses: StatusCount[] | null;
  deadline: Omit<DeadlineFigures, "share" | "nextDueAt"> & { nextDueAt: string | null };
  overdue: (Omit<OverdueRow, "dueAt" | "createdAt"> & { dueAt: string; createdAt: string })[] | null;
};

function reportColumnsSql(practiceId: string, range: DateRange, now: Date): Prisma.Sql {
  return Prisma.sql`
      (select json_agg(x) from (${sessionsByGroupAndMonthSql(practiceId, range)}) x) as sessions,
      (select json_agg(x) from (${ideasByThemeSql(practiceId, range)}) x) as themes,
      (select json_agg(x) from (${ideasByStatusSql(practiceId, range)}) x) as statuses,
      (select row_to_json(x) from (${deadlineFiguresSql(practiceId, range, now)}) x) as deadline,
      (select json_agg(x) from (${overdueIdeasSql(practiceId, now, OVERDUE_LIST_SIZE)}) x) as overdue`;
}

function reportOf(r: ReportRow, range: DateRange) {
  return {
    sessions: r.sessions ?? [],
    themes: r.themes ?? [],
    statuses: everyStatus(r.statuses ?? []),
    deadline: withShare({ ...r.deadline, nextDueAt: dateOf(r.deadline.nextDueAt) }),
    overdue: overdueList((r.overdue ?? []).map((o) => ({ ...o, dueAt: new Date(o.dueAt), createdAt: new Date(o.createdAt) }))),
    months: monthsOf(range),
  };
}

/**
 * Everything /reports shows, in one statement: the five queries above, each a
 * subquery aggregated to JSON. Five statements (concurrently, on five pooled
 * connections) cost five round trips, five plans and five passes through
 * Prisma's query compiler; the figures are the same (the functions above run
 * the same SQL alone, and are what the tests check).
 */
export async function reportFor(db: SqlClient, practiceId: string, range: DateRange, now = new Date()) {
  const [row] = await queryRows<ReportRow>(db, Prisma.sql`select ${reportColumnsSql(practiceId, range, now)}`);
  return reportOf(row!, range);
}

/**
 * reportFor and the groups' verdicts on the answers (loopFigures,
 * report-back/figures.ts) in one statement: what the /reports page shows, in
 * one round trip where the two took three (and three pooled connections at once).
 */
export async function reportWithLoop(db: SqlClient, practiceId: string, range: DateRange, now = new Date()) {
  const [row] = await queryRows<ReportRow & { loopCells: Parameters<typeof loopFiguresOf>[0] | null; loopMedian: Parameters<typeof loopFiguresOf>[1] | null }>(db, Prisma.sql`
    select ${reportColumnsSql(practiceId, range, now)},
      (select json_agg(x) from (${loopCellsSql(practiceId, range)}) x) as "loopCells",
      (select row_to_json(x) from (${loopMedianSql(practiceId, range)}) x) as "loopMedian"`);
  const r = row!;
  return { report: reportOf(r, range), loop: loopFiguresOf(r.loopCells ?? [], r.loopMedian ?? undefined) };
}

/** Every London calendar month the range touches, "YYYY-MM". */
export function monthsOf(range: DateRange): string[] {
  const out: string[] = [];
  let y = range.from.year;
  let m = range.from.month;
  while (y < range.to.year || (y === range.to.year && m <= range.to.month)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
/** "2026-03" -> "Mar 2026". */
export function monthLabel(month: string): string {
  const [y, m] = month.split("-");
  return `${MONTH_NAMES[Number(m) - 1]} ${y}`;
}

// ---------------------------------------------------------------- evidence

export const EVIDENCE_LIST_SIZE = 50;
export const HIGHLIGHTS_SIZE = 20;

export const PRINCIPLES = [
  { key: "safety", label: "Safety" },
  { key: "trust", label: "Trust" },
  { key: "choice", label: "Choice" },
  { key: "collaboration", label: "Collaboration" },
  { key: "empowerment", label: "Empowerment" },
  { key: "culture", label: "Cultural consideration" },
] as const;

/** Held sessions in the range that have a note for each trauma-informed principle. */
export async function checklistCoverage(prisma: PrismaClient, practiceId: string, range: DateRange) {
  const [row] = await prisma.$queryRaw<Record<"held" | (typeof PRINCIPLES)[number]["key"], number>[]>`
    select count(*)::int as held,
      count(*) filter (where btrim(s."checklistSafety") <> '')::int as safety,
      count(*) filter (where btrim(s."checklistTrust") <> '')::int as trust,
      count(*) filter (where btrim(s."checklistChoice") <> '')::int as choice,
      count(*) filter (where btrim(s."checklistCollaboration") <> '')::int as collaboration,
      count(*) filter (where btrim(s."checklistEmpowerment") <> '')::int as empowerment,
      count(*) filter (where btrim(s."checklistCulture") <> '')::int as culture
    from "CommunitySession" s
    where s."practiceId" = ${practiceId}::uuid and s.status = 'HELD'
      and s."startsAt" >= ${range.start} and s."startsAt" < ${range.endExclusive}`;
  const r = row!;
  return { held: r.held, principles: PRINCIPLES.map((p) => ({ ...p, count: r[p.key] })) };
}

/**
 * "You said, the practice said" for the period: published PUBLIC ideas with a
 * public response, that were raised in the period or answered publicly in it
 * (an idea raised last year and done this year belongs to this year's
 * report). Each with the latest public response given by the end of the
 * period, and that response's status (not a later one). Ideas with no public
 * response by then are not highlights: they are counted under "Outstanding".
 * Done first, then the most recent response. Which ideas may appear is the
 * public board's rule (lib/visibility.ts).
 */
export async function youSaidWeDid(prisma: PrismaClient, practiceId: string, range: DateRange, take = HIGHLIGHTS_SIZE) {
  return prisma.$queryRaw<
    { id: string; text: string; status: IdeaStatus; theme: string; groupName: string; responseText: string; respondedAt: Date; raisedBefore: boolean; total: number }[]
  >`
    select i.id, i.text, r.status::text as status, t.name as theme, g.name as "groupName",
           r.text as "responseText", r."createdAt" as "respondedAt",
           (i."createdAt" < ${range.start}) as "raisedBefore",
           count(*) over ()::int as total
    from "Idea" i
    join "Theme" t on t.id = i."themeId" and t."practiceId" = i."practiceId"
    join "CommunityGroup" g on g.id = i."groupId" and g."practiceId" = i."practiceId"
    join lateral (
      select x.text, x.status, x."createdAt" from "Response" x
      where x."practiceId" = i."practiceId" and x."ideaId" = i.id and x."isPublic" and x."createdAt" < ${range.endExclusive}
      order by x."createdAt" desc, x.id desc limit 1
    ) r on true
    where ${boardSql({ kind: "practice", practiceId }, "i")}
      and i."createdAt" < ${range.endExclusive}
      and (i."createdAt" >= ${range.start} or r."createdAt" >= ${range.start})
    order by (r.status = 'DONE') desc, r."createdAt" desc, i.id
    limit ${take}`;
}

/** Ideas marked done in the period (whenever they were raised), and how many of them were raised before it. */
export async function doneInPeriod(prisma: PrismaClient, practiceId: string, range: DateRange) {
  const [row] = await prisma.$queryRaw<{ done: number; raisedBefore: number }[]>`
    select count(*)::int as done, count(*) filter (where i."createdAt" < ${range.start})::int as "raisedBefore"
    from "Idea" i
    where i."practiceId" = ${practiceId}::uuid
      and i."doneAt" >= ${range.start} and i."doneAt" < ${range.endExclusive}`;
  return row!;
}

/** Everything the evidence report shows: a fixed number of queries. */
export async function evidenceFor(prisma: PrismaClient, practiceId: string, range: DateRange, now = new Date()) {
  const openWhere = {
    practiceId,
    createdAt: { gte: range.start, lt: range.endExclusive },
    status: { notIn: ["DONE", "NOT_POSSIBLE"] as IdeaStatus[] },
  };
  const overdueWhere = { ...openWhere, firstResponseAt: null, dueAt: { lt: now } };
  const heldWhere = { practiceId, status: "HELD" as const, startsAt: { gte: range.start, lt: range.endExclusive } };
  const [practice, sessionCells, sessionsHeld, checklist, highlights, statuses, openCount, overdue, overdueCount, deadlines, done] = await Promise.all([
    prisma.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { name: true, odsCode: true, address: true, responseDeadlineDays: true } }),
    sessionsByGroupAndMonth(prisma, practiceId, range),
    prisma.communitySession.findMany({
      where: heldWhere,
      orderBy: [{ startsAt: "asc" }, { id: "asc" }],
      take: EVIDENCE_LIST_SIZE,
      select: { id: true, title: true, startsAt: true, online: true, venueName: true, group: { select: { name: true } }, outcome: { select: { attendanceCount: true, isDraft: true } } },
    }),
    checklistCoverage(prisma, practiceId, range),
    youSaidWeDid(prisma, practiceId, range),
    ideasByStatus(prisma, practiceId, range),
    prisma.idea.count({ where: openWhere }),
    prisma.idea.findMany({
      where: overdueWhere,
      orderBy: [{ dueAt: "asc" }, { id: "asc" }],
      take: EVIDENCE_LIST_SIZE,
      select: { id: true, text: true, consent: true, dueAt: true, group: { select: { name: true } }, theme: { select: { name: true } } },
    }),
    prisma.idea.count({ where: overdueWhere }),
    deadlineFigures(prisma, practiceId, range, now),
    doneInPeriod(prisma, practiceId, range),
  ]);
  // Per-group totals from the per-group-and-month counts (a handful of rows, already counted in the database).
  const groups = new Map<string, { name: string; partnerName: string | null; sessions: number; attendance: number }>();
  for (const c of sessionCells) {
    const g = groups.get(c.groupId) ?? { name: c.groupName, partnerName: c.partnerName, sessions: 0, attendance: 0 };
    g.sessions += c.sessions;
    g.attendance += c.attendance;
    groups.set(c.groupId, g);
  }
  const groupList = [...groups.values()];
  return {
    practice,
    groups: groupList,
    sessionsHeldCount: groupList.reduce((s, g) => s + g.sessions, 0),
    attendanceTotal: groupList.reduce((s, g) => s + g.attendance, 0),
    // A session's attendance is its final outcome's: a draft is not yet what happened.
    sessionsHeld: sessionsHeld.map(({ outcome, ...s }) => ({ ...s, outcome: finalOutcome(outcome) })),
    checklist,
    highlights,
    highlightsTotal: highlights[0]?.total ?? 0,
    statuses,
    openCount,
    overdue,
    overdueCount,
    deadlines,
    done,
  };
}
