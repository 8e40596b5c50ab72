// Data for the public pages: the practice's "you said, we did" board, one
// idea's public timeline, a group's own board (behind its private link), the
// Atom feed and the poster. No express here.
//
// Which ideas and responses appear is decided by lib/visibility.ts (the one
// "who may see what" module), never here and never by the views: every query
// below takes its where clause from there. Only responses with isPublic are
// ever read, and only their status, text, date, target date and author ROLE
// (never the author). An idea's "public status" is the status of its latest
// public response, never Idea.status (which may come from a private response).
import type { Pool } from "pg";
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { IdeaStatus, Role, TranslatorRole, VerdictKind } from "../../generated/prisma/enums.js";
import { PAGE_SIZE } from "../../lib/pagination.js";
import { direction, isLanguage } from "../../i18n.js";
import { boardSql, boardVerdictSql, boardVerdictWhere, boardWhere, IDEA_STATUSES, publicResponseWhere, WAITING, type BoardScope, type PublicStatus } from "../../lib/visibility.js";

export { IDEA_STATUSES, WAITING };
export type PublicStatusFilter = PublicStatus;

/**
 * The public statuses in the order a reader follows an idea: no answer yet, then the practice's answers from
 * "received" to "done", then "not possible". The board's status filter uses this order.
 */
export const PUBLIC_STATUS_ORDER: readonly PublicStatusFilter[] = [WAITING, ...IDEA_STATUSES];

/** A uuid that never matches a row: lets a miss run exactly the same queries as a hit. */
export const NO_ID = "00000000-0000-0000-0000-000000000000";

export type Scope = BoardScope;

export interface BoardFilters {
  themeId?: string;
  groupId?: string;
  status?: PublicStatusFilter;
}

export interface BoardIdea {
  id: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  /** Published on the practice's public board (a group board also shows its PUBLIC ideas before that). */
  published: boolean;
  createdAt: Date;
  themeId: string;
  themeName: string;
  groupId: string;
  groupName: string;
  /** Latest public response, if any. */
  response: { status: IdeaStatus; text: string; createdAt: Date; targetDate: Date | null; authorRole: Role; translation?: PublicTranslation | null } | null;
  /** What the group said last about the answers (issue 18), where the board may show it (lib/visibility.ts). */
  verdict?: PublicVerdict | null;
}

/** A person-written translation of a response into the visitor's language (issue 18; features/translations). */
export interface PublicTranslation {
  language: string;
  /** Its direction, for dir on the element itself. */
  dir: "ltr" | "rtl";
  text: string;
  role: TranslatorRole;
}

export interface PublicVerdict {
  kind: Exclude<VerdictKind, "NOT_DISCUSSED">;
  words: string;
  saidAt: Date;
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

export interface PublicPractice {
  id: string;
  name: string;
  slug: string;
  /** Practice."dataVersion": the public page cache serves only pages of this version (page-cache.ts). */
  dataVersion: string;
}

/**
 * The practice behind a public URL, with its data version. Every public request
 * runs this (the page cache serves a page only for the version read now), so it
 * is one named statement on the pool, prepared once per connection, rather than
 * a Prisma query: the query engine's own work was most of a cached page's cost.
 */
export async function practiceBySlug(pool: Pool, slug: string): Promise<PublicPractice | null> {
  if (typeof slug !== "string" || !/^[a-z0-9-]{1,80}$/.test(slug)) return null;
  const { rows } = await pool.query<PublicPractice>({
    name: "public-practice-by-slug",
    text: `select id, name, slug, "dataVersion"::text as "dataVersion" from "Practice" where slug = $1`,
    values: [slug],
  });
  return rows[0] ?? null;
}

/** How long a practice's next read waits for its previous one at most. */
const MAX_WAIT_FOR_PREVIOUS_MS = 250;

/**
 * practiceBySlug for many concurrent requests at once. Requests for one
 * practice that arrive while no statement is waiting share the next one, and
 * that statement is sent after all of them arrived (at the next turn of the
 * event loop, and not before the practice's previous statement has answered:
 * normally one in flight per practice, so on the embedded database's single
 * connection requests do not queue a statement each; a statement that hangs
 * holds the next back for at most 250 ms). The answer is therefore
 * never older than any of the requests it serves: a change committed before a
 * request arrived (a withdrawal) is seen by it, as with a statement of its own,
 * on every process, with no messages between processes. Under load a
 * page-cache hit costs a fraction of a statement instead of one.
 */
export function practiceReader(pool: Pool): (slug: string) => Promise<PublicPractice | null> {
  const bySlug = new Map<string, { inFlight?: Promise<unknown>; next?: Promise<PublicPractice | null> }>();
  return (slug) => {
    let s = bySlug.get(slug);
    if (!s) bySlug.set(slug, (s = {}));
    if (s.next) return s.next;
    const state = s;
    // Waiting for the previous statement only saves statements (exactness does not depend on it), so a
    // statement that hangs (a connection lost mid-query) holds the next one back for at most a moment.
    const previous = state.inFlight
      ? Promise.race([state.inFlight.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, MAX_WAIT_FOR_PREVIOUS_MS).unref())])
      : undefined;
    const turn = new Promise<void>((resolve) => setImmediate(resolve));
    const read = Promise.all([previous, turn]).then(() => {
      // Requests arriving from now on wait for a statement sent after them.
      state.next = undefined;
      const query = practiceBySlug(pool, slug);
      state.inFlight = query;
      query
        .catch(() => undefined)
        .finally(() => {
          if (state.inFlight !== query) return;
          state.inFlight = undefined;
          if (!state.next && bySlug.get(slug) === state) bySlug.delete(slug);
        });
      return query;
    });
    state.next = read;
    return read;
  };
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

/** The ideas visible in a scope, as SQL over the alias `i` (lib/visibility.ts). */
function scopeSql(scope: Scope): Prisma.Sql {
  return boardSql(scope, "i");
}

// An idea's latest public response is kept on the idea itself
// (latestPublicResponseId, publicStatus, publicRespondedAt), by a database
// trigger on Response: see prisma/migrations/*_idea_public_status. So the board
// filters, counts and orders on plain columns of Idea, and reads responses only
// for the ideas on the page.

/** The newest public change of an idea over the alias `i`: its latest public response, its publication, or its creation (on a group board, before publication). */
const CHANGED_AT = Prisma.sql`greatest(i."publicRespondedAt", i."publishedAt", i."createdAt")`;

/** The ideas of a scope with their theme and group (same practice), over the aliases i, th, g. */
function boardFrom(scope: Scope): Prisma.Sql {
  return Prisma.sql`from "Idea" i
    join "Theme" th on th.id = i."themeId" and th."practiceId" = i."practiceId"
    join "CommunityGroup" g on g.id = i."groupId" and g."practiceId" = i."practiceId"
    where ${scopeSql(scope)}`;
}

function filterSql(f: BoardFilters): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`true`];
  if (f.themeId) parts.push(Prisma.sql`i."themeId" = ${f.themeId}::uuid`);
  if (f.groupId) parts.push(Prisma.sql`i."groupId" = ${f.groupId}::uuid`);
  if (f.status === WAITING) parts.push(Prisma.sql`i."publicStatus" is null`);
  else if (f.status) parts.push(Prisma.sql`i."publicStatus" = ${f.status}::"IdeaStatus"`);
  return Prisma.join(parts, " and ");
}

interface BoardRow {
  id: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  published: boolean;
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
  translationText: string | null;
  translationRole: TranslatorRole | null;
  translationLanguage: string | null;
  verdictKind: PublicVerdict["kind"] | null;
  verdictWords: string | null;
  verdictSaidAt: Date | null;
}

function toBoardIdea(r: BoardRow): BoardIdea {
  return {
    id: r.id, text: r.text, consent: r.consent, published: r.published, createdAt: r.createdAt, themeId: r.themeId, themeName: r.themeName, groupId: r.groupId, groupName: r.groupName,
    response: r.responseStatus
      ? {
          status: r.responseStatus, text: r.responseText ?? "", createdAt: r.respondedAt!, targetDate: r.targetDate, authorRole: r.authorRole!,
          translation: r.translationText !== null && isLanguage(r.translationLanguage) ? { language: r.translationLanguage, dir: direction(r.translationLanguage), text: r.translationText, role: r.translationRole! } : null,
        }
      : null,
    verdict: r.verdictKind ? { kind: r.verdictKind, words: r.verdictWords ?? "", saidAt: r.verdictSaidAt! } : null,
  };
}

/**
 * Some of a board's ideas in an order (`orderSql` over i and "changedAt"),
 * then their latest public response, theme and group: the responses are read
 * only for the rows returned.
 */
async function boardRows(prisma: PrismaClient, scope: Scope, where: Prisma.Sql, orderSql: Prisma.Sql, take: number, skip: number, lang = ""): Promise<BoardRow[]> {
  return prisma.$queryRaw<BoardRow[]>`
    with page as (
      select i.id, i.text, i.consent::text as consent, (i."publishedAt" is not null) as published, i."createdAt", i."themeId", i."groupId", i."latestPublicResponseId", i."publicStatus",
             th.name as "themeName", g.name as "groupName", ${CHANGED_AT} as "changedAt"
      ${boardFrom(scope)} and ${where}
      order by ${orderSql}
      limit ${take} offset ${skip}
    )
    select i.id, i.text, i.consent, i.published, i."createdAt", i."themeId", i."groupId", i."themeName", i."groupName",
           r.status::text as "responseStatus", r.text as "responseText", r."createdAt" as "respondedAt",
           r."targetDate", r."authorRole"::text as "authorRole",
           v.kind::text as "verdictKind", v.words as "verdictWords", v."saidAt" as "verdictSaidAt",
           tr.text as "translationText", tr."translatorRole"::text as "translationRole", tr.language as "translationLanguage"
    from page i
    left join "Response" r on r.id = i."latestPublicResponseId" and r."practiceId" = ${scope.practiceId}::uuid and r."ideaId" = i.id and r."isPublic"
    left join lateral (
      select t.text, t."translatorRole", t.language from "ResponseTranslation" t
      where t."practiceId" = ${scope.practiceId}::uuid and t."responseId" = r.id and t.language = ${lang}
      order by t."createdAt" desc, t.id desc limit 1
    ) tr on true
    left join lateral (
      select v.kind, v.words, v."saidAt" from "Verdict" v
      where v."practiceId" = ${scope.practiceId}::uuid and v."ideaId" = i.id and ${boardVerdictSql("v")}
      order by v."createdAt" desc, v.id desc limit 1
    ) v on true
    order by ${orderSql}`;
}

const BOARD_ORDER = Prisma.sql`"changedAt" desc nulls last, i.id`;

/**
 * One page of a board, its counts and its filter options: two queries
 * whatever the number of ideas (one aggregate over plain columns, one page of
 * 20 with their responses). An out-of-range page is clamped to the last.
 */
export async function loadBoard(prisma: PrismaClient, scope: Scope, filters: BoardFilters, requestedPage: number, pageSize = PAGE_SIZE, lang = ""): Promise<Board> {
  // 1. The whole board by (public status, theme, group): counts, filter options
  //    (in the database's order: themes by position then name, groups by name),
  //    the newest change, and the filtered total.
  const groups = await prisma.$queryRaw<{ status: IdeaStatus | null; themeId: string; themeName: string; themeRank: bigint; groupId: string; groupName: string; groupRank: bigint; n: bigint; last: Date | null }[]>`
    select i."publicStatus"::text as status, i."themeId", th.name as "themeName", i."groupId", g.name as "groupName",
           count(*) as n, max(${CHANGED_AT}) as last,
           dense_rank() over (order by th.position nulls last, th.name, i."themeId") as "themeRank",
           dense_rank() over (order by g.name, i."groupId") as "groupRank"
    ${boardFrom(scope)}
    group by i."publicStatus", i."themeId", th.name, th.position, i."groupId", g.name`;

  const byStatus = Object.fromEntries([...IDEA_STATUSES, WAITING].map((s) => [s, 0])) as Record<PublicStatusFilter, number>;
  const themes = new Map<string, { id: string; name: string; rank: number }>();
  const groupOptions = new Map<string, { id: string; name: string; rank: number }>();
  let all = 0;
  let total = 0;
  let lastModified: Date | null = null;
  for (const row of groups) {
    const n = Number(row.n);
    const status: PublicStatusFilter = row.status ?? WAITING;
    all += n;
    byStatus[status] += n;
    if (row.last && (!lastModified || row.last > lastModified)) lastModified = row.last;
    themes.set(row.themeId, { id: row.themeId, name: row.themeName, rank: Number(row.themeRank) });
    groupOptions.set(row.groupId, { id: row.groupId, name: row.groupName, rank: Number(row.groupRank) });
    if ((!filters.themeId || filters.themeId === row.themeId) && (!filters.groupId || filters.groupId === row.groupId) && (!filters.status || filters.status === status)) total += n;
  }

  // 2. The page (clamped to the last).
  const last = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, requestedPage), last);
  // Run even when nothing matches: a group link that is a miss runs the same queries as a hit.
  const rows = await boardRows(prisma, scope, filterSql(filters), BOARD_ORDER, pageSize, (page - 1) * pageSize, lang);

  const byRank = (a: { rank: number }, b: { rank: number }) => a.rank - b.rank;
  return {
    ideas: rows.map(toBoardIdea),
    total,
    page,
    counts: { total: all, byStatus },
    themes: [...themes.values()].sort(byRank).map(({ id, name }) => ({ id, name })),
    groups: [...groupOptions.values()].sort(byRank).map(({ id, name }) => ({ id, name })),
    lastModified,
  };
}

/** The latest items of a board, for the poster: those with a public response first. */
export async function latestItems(prisma: PrismaClient, scope: Scope, take: number, lang = ""): Promise<BoardIdea[]> {
  const rows = await boardRows(prisma, scope, Prisma.sql`true`, Prisma.sql`(i."publicStatus" is null), "changedAt" desc nulls last, i.id`, take, 0, lang);
  return rows.map(toBoardIdea);
}

export interface PublicIdea {
  id: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  published: boolean;
  createdAt: Date;
  themeName: string;
  groupName: string;
  timeline: { id: string; status: IdeaStatus; text: string; createdAt: Date; targetDate: Date | null; authorRole: Role; translation: PublicTranslation | null }[];
  /** What the group said about the answers at later sessions, oldest first (lib/visibility.ts: never "not discussed"). */
  verdicts: (PublicVerdict & { id: string; createdAt: Date })[];
}

/** One idea and its public timeline (oldest first), or null unless visible in the scope. */
export async function loadIdea(prisma: PrismaClient, scope: Scope, ideaId: string, lang = ""): Promise<PublicIdea | null> {
  const idea = await prisma.idea.findFirst({
    where: { AND: [{ id: ideaId, practiceId: scope.practiceId }, boardWhere(scope)] },
    select: {
      id: true, text: true, consent: true, createdAt: true, publishedAt: true,
      theme: { select: { name: true } },
      group: { select: { name: true } },
      responses: {
        where: publicResponseWhere(scope.practiceId),
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: {
          id: true, status: true, text: true, createdAt: true, targetDate: true, authorRole: true,
          translations: { where: { practiceId: scope.practiceId, language: lang }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 1, select: { language: true, text: true, translatorRole: true } },
        },
      },
      verdicts: {
        where: boardVerdictWhere(scope.practiceId),
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        select: { id: true, kind: true, words: true, saidAt: true, createdAt: true },
      },
    },
  });
  if (!idea || idea.consent === "PRACTICE_ONLY") return null;
  return { id: idea.id, text: idea.text, consent: idea.consent, published: idea.publishedAt !== null, createdAt: idea.createdAt, themeName: idea.theme.name, groupName: idea.group.name,
    timeline: idea.responses.map(({ translations: [tr], ...r }) => ({ ...r, translation: tr && isLanguage(tr.language) ? { language: tr.language, dir: direction(tr.language), text: tr.text, role: tr.translatorRole } : null })),
    verdicts: idea.verdicts.filter((v): v is typeof v & { kind: PublicVerdict["kind"] } => v.kind !== "NOT_DISCUSSED") };
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
    where: boardWhere({ kind: "practice", practiceId }),
    orderBy: [{ publishedAt: "desc" }, { id: "asc" }],
    take,
    select: { id: true, text: true, publishedAt: true },
  });
  const responses = await prisma.response.findMany({
    where: { ...publicResponseWhere(practiceId), idea: boardWhere({ kind: "practice", practiceId }) },
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
