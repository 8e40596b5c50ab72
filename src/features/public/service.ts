// Data for the public pages: the practice's "you said, we did" board, one
// idea's public timeline, a group's own board (behind its private link), the
// Atom feed and the poster. No express here.
//
// Privacy rules enforced in every query below (never by the views):
// - the practice board shows ideas with consent PUBLIC that a manager has
//   published (publishedAt not null);
// - a group's board shows that group's published PUBLIC ideas and its
//   GROUP_ONLY ideas (these need no publishing step: the group's consent
//   already limits them to the holders of the group's private link);
// - only responses with isPublic are ever read, and only their status, text,
//   date, target date and author ROLE (never the author);
// - an idea's "public status" is the status of its latest public response,
//   never Idea.status (which may come from a private response).
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { IdeaStatus, Role } from "../../generated/prisma/enums.js";
import { PAGE_SIZE } from "../../lib/pagination.js";

export const IDEA_STATUSES = ["RECEIVED", "UNDER_CONSIDERATION", "PLANNED", "IN_PROGRESS", "DONE", "NOT_POSSIBLE"] as const satisfies readonly IdeaStatus[];
/** Filter value for ideas with no public response yet. */
export const WAITING = "WAITING";
export type PublicStatusFilter = IdeaStatus | typeof WAITING;

/** A uuid that never matches a row: lets a miss run exactly the same queries as a hit. */
export const NO_ID = "00000000-0000-0000-0000-000000000000";

export type Scope = { kind: "practice"; practiceId: string } | { kind: "group"; practiceId: string; groupId: string };

export interface BoardFilters {
  themeId?: string;
  groupId?: string;
  status?: PublicStatusFilter;
}

export interface BoardIdea {
  id: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  createdAt: Date;
  themeId: string;
  themeName: string;
  groupId: string;
  groupName: string;
  /** Latest public response, if any. */
  response: { status: IdeaStatus; text: string; createdAt: Date; targetDate: Date | null; authorRole: Role } | null;
}

export interface Board {
  ideas: BoardIdea[];
  /** Ideas matching the filters. */
  total: number;
  page: number;
  /** Whole board (no filters): total and per public status (WAITING for none yet). */
  counts: { total: number; byStatus: Record<PublicStatusFilter, number> };
  themes: { id: string; name: string }[];
  groups: { id: string; name: string }[];
  /** Newest public change on the board, for Last-Modified. */
  lastModified: Date | null;
}

export async function practiceBySlug(prisma: PrismaClient, slug: string) {
  if (typeof slug !== "string" || !/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  return prisma.practice.findUnique({ where: { slug }, select: { id: true, name: true, slug: true } });
}

/**
 * The group behind a private-link token, or null. Archived groups' links no
 * longer work. The token is only ever compared by the database's unique index.
 * A miss runs the same two queries as a hit (the second against an id that
 * matches nothing), so the answer takes the same time.
 */
export async function groupByToken(prisma: PrismaClient, token: string) {
  const t = typeof token === "string" ? token.slice(0, 200) : "";
  const group = await prisma.communityGroup.findUnique({ where: { linkToken: t }, select: { id: true, name: true, practiceId: true, archivedAt: true } });
  const live = group && !group.archivedAt ? group : null;
  const practice = await prisma.practice.findUnique({ where: { id: live?.practiceId ?? NO_ID }, select: { id: true, name: true, slug: true } });
  if (!live || !practice) return null;
  return { id: live.id, name: live.name, practice };
}

/** The ideas visible in a scope, as SQL over the alias `i`. */
function scopeSql(scope: Scope): Prisma.Sql {
  if (scope.kind === "practice") {
    return Prisma.sql`i."practiceId" = ${scope.practiceId}::uuid and i.consent = 'PUBLIC' and i."publishedAt" is not null`;
  }
  return Prisma.sql`i."practiceId" = ${scope.practiceId}::uuid and i."groupId" = ${scope.groupId}::uuid
    and ((i.consent = 'PUBLIC' and i."publishedAt" is not null) or i.consent = 'GROUP_ONLY')`;
}

/** Each visible idea with its latest public response (one lateral join, no query per idea). */
function boardCte(scope: Scope): Prisma.Sql {
  return Prisma.sql`with board as (
    select i.id, i.text, i.consent::text as consent, i."createdAt", i."themeId", i."groupId", i."publishedAt", i."publicUpdatedAt",
           th.name as "themeName", g.name as "groupName",
           r.status::text as "responseStatus", r.text as "responseText", r."createdAt" as "respondedAt",
           r."targetDate", r."authorRole"::text as "authorRole",
           greatest(r."createdAt", i."publishedAt", case when i.consent = 'GROUP_ONLY' then i."createdAt" end) as "changedAt"
    from "Idea" i
    join "Theme" th on th.id = i."themeId" and th."practiceId" = i."practiceId"
    join "CommunityGroup" g on g.id = i."groupId" and g."practiceId" = i."practiceId"
    left join lateral (
      select r.status, r.text, r."createdAt", r."targetDate", r."authorRole"
      from "Response" r
      where r."practiceId" = i."practiceId" and r."ideaId" = i.id and r."isPublic"
      order by r."createdAt" desc, r.id desc
      limit 1
    ) r on true
    where ${scopeSql(scope)}
  )`;
}

function filterSql(f: BoardFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`true`];
  if (f.themeId) parts.push(Prisma.sql`"themeId" = ${f.themeId}::uuid`);
  if (f.groupId) parts.push(Prisma.sql`"groupId" = ${f.groupId}::uuid`);
  if (f.status === WAITING) parts.push(Prisma.sql`"responseStatus" is null`);
  else if (f.status) parts.push(Prisma.sql`"responseStatus" = ${f.status}`);
  return Prisma.join(parts, " and ");
}

interface BoardRow {
  id: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  createdAt: Date;
  themeId: string;
  groupId: string;
  themeName: string;
  groupName: string;
  responseStatus: IdeaStatus | null;
  responseText: string | null;
  respondedAt: Date | null;
  targetDate: Date | null;
  authorRole: Role | null;
}

function toBoardIdea(r: BoardRow): BoardIdea {
  return {
    id: r.id, text: r.text, consent: r.consent, createdAt: r.createdAt, themeId: r.themeId, themeName: r.themeName, groupId: r.groupId, groupName: r.groupName,
    response: r.responseStatus ? { status: r.responseStatus, text: r.responseText ?? "", createdAt: r.respondedAt!, targetDate: r.targetDate, authorRole: r.authorRole! } : null,
  };
}

/**
 * One page of a board, its counts and its filter options: four queries
 * whatever the number of ideas. An out-of-range page is clamped to the last.
 */
export async function loadBoard(prisma: PrismaClient, scope: Scope, filters: BoardFilters, requestedPage: number, pageSize = PAGE_SIZE): Promise<Board> {
  const cte = boardCte(scope);
  // 1. Counts by public status, the filter options and the newest change, over the whole board.
  const summary = await prisma.$queryRaw<{ status: string | null; n: bigint; last: Date | null }[]>`
    ${cte} select "responseStatus" as status, count(*) as n, max("changedAt") as last from board group by "responseStatus"`;
  const options = await prisma.$queryRaw<{ kind: string; id: string; name: string; position: number | null }[]>`
    ${cte}
    select distinct 'theme' as kind, b."themeId" as id, b."themeName" as name, th.position from board b join "Theme" th on th.id = b."themeId"
    union all
    select distinct 'group' as kind, b."groupId" as id, b."groupName" as name, null::int as position from board b
    order by kind, position nulls last, name`;
  // 2. The filtered total, then the page (clamped to the last page).
  const where = filterSql(filters);
  const counted = await prisma.$queryRaw<{ n: bigint }[]>`${cte} select count(*) as n from board where ${where}`;
  const total = Number(counted[0]?.n ?? 0);
  const last = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requestedPage), last);
  const rows = await prisma.$queryRaw<BoardRow[]>`
    ${cte} select * from board where ${where}
    order by "changedAt" desc nulls last, id
    limit ${pageSize} offset ${(page - 1) * pageSize}`;

  const byStatus = Object.fromEntries([...IDEA_STATUSES, WAITING].map((s) => [s, 0])) as Record<PublicStatusFilter, number>;
  let all = 0;
  let lastModified: Date | null = null;
  for (const s of summary) {
    const n = Number(s.n);
    all += n;
    byStatus[(s.status ?? WAITING) as PublicStatusFilter] += n;
    if (s.last && (!lastModified || s.last > lastModified)) lastModified = s.last;
  }
  return {
    ideas: rows.map(toBoardIdea),
    total,
    page,
    counts: { total: all, byStatus },
    themes: options.filter((o) => o.kind === "theme").map(({ id, name }) => ({ id, name })),
    groups: options.filter((o) => o.kind === "group").map(({ id, name }) => ({ id, name })),
    lastModified,
  };
}

/** The latest items of a board, for the poster. */
export async function latestItems(prisma: PrismaClient, scope: Scope, take: number): Promise<BoardIdea[]> {
  const rows = await prisma.$queryRaw<BoardRow[]>`
    ${boardCte(scope)} select * from board order by ("responseStatus" is null), "changedAt" desc nulls last, id limit ${take}`;
  return rows.map(toBoardIdea);
}

export interface PublicIdea {
  id: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  createdAt: Date;
  themeName: string;
  groupName: string;
  timeline: { id: string; status: IdeaStatus; text: string; createdAt: Date; targetDate: Date | null; authorRole: Role }[];
}

/** One idea and its public timeline (oldest first), or null unless visible in the scope. */
export async function loadIdea(prisma: PrismaClient, scope: Scope, ideaId: string): Promise<PublicIdea | null> {
  const visible: Prisma.IdeaWhereInput =
    scope.kind === "practice"
      ? { consent: "PUBLIC", publishedAt: { not: null } }
      : { groupId: scope.groupId, OR: [{ consent: "PUBLIC", publishedAt: { not: null } }, { consent: "GROUP_ONLY" }] };
  const idea = await prisma.idea.findFirst({
    where: { id: ideaId, practiceId: scope.practiceId, ...visible },
    select: {
      id: true, text: true, consent: true, createdAt: true,
      theme: { select: { name: true } },
      group: { select: { name: true } },
      responses: {
        where: { isPublic: true, practiceId: scope.practiceId },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, status: true, text: true, createdAt: true, targetDate: true, authorRole: true },
      },
    },
  });
  if (!idea || idea.consent === "PRACTICE_ONLY") return null;
  return { id: idea.id, text: idea.text, consent: idea.consent, createdAt: idea.createdAt, themeName: idea.theme.name, groupName: idea.group.name, timeline: idea.responses };
}

export interface FeedEntry {
  kind: "published" | "response";
  ideaId: string;
  ideaText: string;
  date: Date;
  status?: IdeaStatus;
  text?: string;
  id: string;
}

/** Recent public updates on the practice board: publications and public responses, newest first. */
export async function recentUpdates(prisma: PrismaClient, practiceId: string, take = 50): Promise<FeedEntry[]> {
  const published = await prisma.idea.findMany({
    where: { practiceId, consent: "PUBLIC", publishedAt: { not: null } },
    orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, text: true, publishedAt: true },
  });
  const responses = await prisma.response.findMany({
    where: { practiceId, isPublic: true, idea: { practiceId, consent: "PUBLIC", publishedAt: { not: null } } },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, status: true, text: true, createdAt: true, idea: { select: { id: true, text: true } } },
  });
  const entries: FeedEntry[] = [
    ...published.map((i) => ({ kind: "published" as const, id: `idea-${i.id}`, ideaId: i.id, ideaText: i.text, date: i.publishedAt! })),
    ...responses.map((r) => ({ kind: "response" as const, id: `response-${r.id}`, ideaId: r.idea.id, ideaText: r.idea.text, date: r.createdAt, status: r.status, text: r.text })),
  ];
  return entries.sort((a, b) => b.date.getTime() - a.date.getTime() || a.id.localeCompare(b.id)).slice(0, take);
}
