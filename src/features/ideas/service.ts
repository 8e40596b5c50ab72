// Ideas for staff: the list with its filters, one idea with its timeline,
// publishing and managers' corrections. Every query is scoped by practiceId.
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { Consent, IdeaStatus } from "../../generated/prisma/enums.js";
import { isUuid } from "../../lib/routing.js";
import { PAGE_SIZE } from "../../lib/pagination.js";
import { NotFoundError } from "../../lib/errors.js";
import { ok, refused, type Result } from "../../lib/result.js";
import { recordAudit } from "../audit/service.js";
import { redactIdentifyingDetails, type IdentifyingKind } from "../../lib/identifying-details.js";
import { queryRows, type SqlClient, type Tx } from "../../db/client.js";
import { CONSENTS, CONSENT_RANK, IDEA_STATUSES } from "../../lib/vocabulary.js";
import { assignedSql, assignedWhere, latestPublicResponse, reopenedSql, seesWholePractice, staffIdeaSql, staffIdeaWhere, staffStatusSql, type StaffViewer } from "../../lib/visibility.js";

export type { StaffViewer };

export type IdeaSort = "newest" | "oldest" | "due" | "support";
export const SORTS: readonly IdeaSort[] = ["newest", "oldest", "due", "support"];
/** What each sort is called in the filter form and in "Showing ideas with ...". */
export const SORT_LABELS: Record<IdeaSort, string> = {
  newest: "Newest logged first",
  oldest: "Oldest logged first",
  due: "Earliest due first",
  support: "Most supported",
};

export interface IdeaFilters {
  status?: IdeaStatus;
  theme?: string;
  group?: string;
  session?: string;
  consent?: Consent;
  overdue?: boolean;
  /** The group says the answer does not address it yet (issue 18: features/report-back/reopened.ts). */
  reopened?: boolean;
  sort: IdeaSort;
}

/** Only recognised values survive; anything else is ignored (never an error). */
export function parseIdeaFilters(query: Record<string, unknown>): IdeaFilters {
  const str = (k: string) => (typeof query[k] === "string" ? (query[k] as string) : undefined);
  const status = str("status");
  const consent = str("consent");
  const sort = str("sort");
  return {
    status: IDEA_STATUSES.includes(status as IdeaStatus) ? (status as IdeaStatus) : undefined,
    consent: CONSENTS.includes(consent as Consent) ? (consent as Consent) : undefined,
    theme: isUuid(str("theme")) ? str("theme") : undefined,
    group: isUuid(str("group")) ? str("group") : undefined,
    session: isUuid(str("session")) ? str("session") : undefined,
    overdue: str("overdue") === "yes" ? true : undefined,
    reopened: str("reopened") === "yes" ? true : undefined,
    sort: SORTS.includes(sort as IdeaSort) ? (sort as IdeaSort) : "newest",
  };
}

/** An idea is overdue when it has had no response and its due date has passed. */
export function overdueWhere(now: Date) {
  return { firstResponseAt: null, dueAt: { lt: now } } as const;
}

/**
 * When the practice's next unanswered idea passes its deadline (a scalar subquery,
 * null when none will): the instant a cached staff page can change by the clock
 * alone (lib/practice-cache.ts validUntil).
 */
export function nextDeadlineSql(practiceId: string, now: Date): Prisma.Sql {
  return Prisma.sql`(select min(x."dueAt") from "Idea" x
    where x."practiceId" = ${practiceId}::uuid and x."firstResponseAt" is null and x."dueAt" >= ${now})`;
}

export function isOverdue(idea: { firstResponseAt: Date | null; dueAt: Date }, now = new Date()): boolean {
  return idea.firstResponseAt === null && idea.dueAt < now;
}

const ORDER: Record<IdeaSort, Prisma.Sql> = {
  newest: Prisma.sql`i."createdAt" desc, i.position asc, i.id asc`,
  oldest: Prisma.sql`i."createdAt" asc, i.position asc, i.id asc`,
  due: Prisma.sql`i."dueAt" asc, i."createdAt" asc, i.position asc, i.id asc`,
  support: Prisma.sql`i.support desc, i."createdAt" desc, i.id asc`,
};

/**
 * The filters as SQL over "Idea" i (every value a parameter), within what the
 * viewer may see (lib/visibility.ts): a facilitator's status filter and
 * overdue filter use only what they may know of an idea.
 */
function sqlWhereFor(viewer: StaffViewer, f: IdeaFilters, now: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [staffIdeaSql(viewer, "i")];
  if (f.status) parts.push(Prisma.sql`${staffStatusSql(viewer, "i")} = ${f.status}::"IdeaStatus"`);
  if (f.consent) parts.push(Prisma.sql`i.consent = ${f.consent}::"Consent"`);
  if (f.theme) parts.push(Prisma.sql`i."themeId" = ${f.theme}::uuid`);
  if (f.group) parts.push(Prisma.sql`i."groupId" = ${f.group}::uuid`);
  if (f.session) parts.push(Prisma.sql`i."sessionId" = ${f.session}::uuid`);
  if (f.overdue) parts.push(Prisma.sql`i."firstResponseAt" is null and i."dueAt" < ${now} and ${assignedSql(viewer, "i")}`);
  if (f.reopened) parts.push(Prisma.sql`${reopenedSql("i")} and ${assignedSql(viewer, "i")}`);
  return Prisma.join(parts, " and ");
}

interface IdeaListRow {
  id: string; text: string; support: number; consent: Consent; status: IdeaStatus | null; dueAt: Date; firstResponseAt: Date | null; publishedAt: Date | null; createdAt: Date;
  groupName: string; themeName: string; sessionTitle: string; sessionStartsAt: Date; total: number; assigned: boolean;
}

/** One page of ideas (the filters' SQL over "Idea" i), with their group, theme and session names and the filtered total. */
function ideaPageSql(viewer: StaffViewer, filters: IdeaFilters, where: Prisma.Sql, page: number): Prisma.Sql {
  // The page of ideas is chosen first (over the Idea table alone), then only its
  // 50 rows look up their group, theme and session by primary key: joining first
  // made Postgres hash every session, group and theme of every practice.
  return Prisma.sql`
    select i.id, i.text, i.support, i.consent::text as consent, i."visibleStatus"::text as status, i."dueAt", i."firstResponseAt", i."publishedAt", i."createdAt", i.assigned,
           (select g.name from "CommunityGroup" g where g.id = i."groupId" and g."practiceId" = i."practiceId") as "groupName",
           (select t.name from "Theme" t where t.id = i."themeId" and t."practiceId" = i."practiceId") as "themeName",
           s.title as "sessionTitle", s."startsAt" as "sessionStartsAt", i.total
    from (
      select i.*, count(*) over ()::int as total, ${assignedSql(viewer, "i")} as assigned, ${staffStatusSql(viewer, "i")} as "visibleStatus"
      from "Idea" i
      where ${where}
      order by ${ORDER[filters.sort]}
      offset ${(page - 1) * PAGE_SIZE} limit ${PAGE_SIZE}
    ) i
    cross join lateral (
      select s.title, s."startsAt" from "CommunitySession" s where s.id = i."sessionId" and s."practiceId" = i."practiceId"
    ) s
    order by ${ORDER[filters.sort]}`;
}

/** The page's rows as the list shows them. */
function ideaListOf(rows: IdeaListRow[]) {
  // An idea a facilitator sees only as the public does: its public status, no
  // session, no support count, no deadline (lib/visibility.ts).
  return rows.map((r) =>
    r.assigned
      ? {
          id: r.id, text: r.text, support: r.support as number | null, consent: r.consent, status: r.status as IdeaStatus | null, dueAt: r.dueAt, firstResponseAt: r.firstResponseAt, publishedAt: r.publishedAt, createdAt: r.createdAt,
          group: { name: r.groupName }, theme: { name: r.themeName }, session: { title: r.sessionTitle, startsAt: r.sessionStartsAt } as { title: string; startsAt: Date } | null, publicOnly: false,
        }
      : {
          id: r.id, text: r.text, support: null, consent: r.consent, status: r.status as IdeaStatus | null, dueAt: r.dueAt, firstResponseAt: null, publishedAt: r.publishedAt, createdAt: r.createdAt,
          group: { name: r.groupName }, theme: { name: r.themeName }, session: null, publicOnly: true,
        },
  );
}

/**
 * One page of ideas with their group, theme and session, and the number that
 * match: one statement (the count is a window over the filtered rows), plus a
 * count only when the page asked for is past the last one (then clamped to it).
 * `first` is the requested page's rows when they were read already (listIdeasWithOptions).
 */
export async function listIdeas(db: SqlClient, viewer: StaffViewer, filters: IdeaFilters, requestedPage: number, now = new Date(), first?: IdeaListRow[]) {
  const where = sqlWhereFor(viewer, filters, now);
  const pageOf = (page: number) => queryRows<IdeaListRow>(db, ideaPageSql(viewer, filters, where, page));
  let page = Math.max(1, requestedPage);
  let rows = first ?? (await pageOf(page));
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && page > 1) {
    const [c] = await queryRows<{ total: number }>(db, Prisma.sql`select count(*)::int as total from "Idea" i where ${where}`);
    total = c!.total;
    page = Math.max(1, Math.ceil(total / PAGE_SIZE));
    if (total > 0) rows = await pageOf(page);
  }
  return { ideas: ideaListOf(rows), total, page };
}

/**
 * The choices for the filter form and the practice's response deadline, in one
 * statement: themes (retired last), groups, the latest 100 sessions that have
 * ideas (and the selected one even if older), and when the next unanswered idea
 * becomes overdue. Every subquery is scoped by practiceId.
 */
export async function filterOptions(prisma: PrismaClient, viewer: StaffViewer, selectedSession?: string, now = new Date()) {
  const [row] = await prisma.$queryRaw<FilterOptionsRow[]>(filterOptionsSql(viewer, selectedSession, now));
  return filterOptionsOf(row!);
}

interface FilterOptionsRow {
  themes: { id: string; name: string; retiredAt: string | null }[] | null;
  groups: { id: string; name: string }[] | null;
  sessions: { id: string; title: string; startsAt: string }[] | null;
  deadlineDays: number;
  nextDueAt: Date | null;
}

function filterOptionsSql(viewer: StaffViewer, selectedSession: string | undefined, now: Date): Prisma.Sql {
  const practiceId = viewer.practiceId;
  // Facilitators: only sessions assigned to them (session titles are never public).
  const selected = selectedSession ? Prisma.sql`or s.id = ${selectedSession}::uuid` : Prisma.empty;
  const sessionScope = seesWholePractice(viewer)
    ? Prisma.sql`true`
    : Prisma.sql`exists (select 1 from "SessionFacilitator" sf where sf."practiceId" = s."practiceId" and sf."sessionId" = s.id and sf."userId" = ${viewer.userId}::uuid)`;
  // Facilitators: only groups with an idea they may see.
  const groupScope = seesWholePractice(viewer)
    ? Prisma.sql`true`
    : Prisma.sql`exists (select 1 from "Idea" i where i."practiceId" = g."practiceId" and i."groupId" = g.id and ${staffIdeaSql(viewer, "i")})`;
  return Prisma.sql`
    select
      (select json_agg(x) from (
         select t.id, t.name, t."retiredAt" from "Theme" t where t."practiceId" = ${practiceId}::uuid
         order by t."retiredAt" asc nulls first, t.position asc limit 200) x) as themes,
      (select json_agg(x) from (
         select g.id, g.name from "CommunityGroup" g where g."practiceId" = ${practiceId}::uuid and ${groupScope}
         order by g.name asc limit 500) x) as groups,
      (select json_agg(x) from (
         select s.id, s.title, s."startsAt" from "CommunitySession" s
         where s."practiceId" = ${practiceId}::uuid and ${sessionScope}
           and (exists (select 1 from "Idea" i where i."practiceId" = ${practiceId}::uuid and i."sessionId" = s.id) ${selected})
         order by s."startsAt" desc limit 100) x) as sessions,
      (select p."responseDeadlineDays" from "Practice" p where p.id = ${practiceId}::uuid) as "deadlineDays",
      ${nextDeadlineSql(practiceId, now)} as "nextDueAt"`;
}

function filterOptionsOf(r: FilterOptionsRow) {
  return {
    themes: (r.themes ?? []).map((t) => ({ id: t.id, name: t.name, retiredAt: t.retiredAt ? new Date(t.retiredAt) : null })),
    groups: r.groups ?? [],
    sessions: (r.sessions ?? []).map((s) => ({ id: s.id, title: s.title, startsAt: new Date(s.startsAt) })),
    deadlineDays: r.deadlineDays,
    /** When the next unanswered idea passes its deadline (becomes overdue): the list can change by the clock then. */
    nextDueAt: r.nextDueAt,
  };
}

/**
 * listIdeas and filterOptions in one statement (what /ideas shows): the page of
 * ideas aggregated to JSON beside the filter choices. Two statements cost two
 * round trips, two plans and two passes through Prisma's query compiler. A page
 * past the last one falls back to listIdeas's count and clamp. Prepared (named):
 * planned once per pooled connection, a third of what Postgres spent on it.
 */
export async function listIdeasWithOptions(db: SqlClient, viewer: StaffViewer, filters: IdeaFilters, requestedPage: number, now = new Date()) {
  const where = sqlWhereFor(viewer, filters, now);
  const [row] = await queryRows<FilterOptionsRow & { rows: (Omit<IdeaListRow, DateField> & Record<DateField, string | null>)[] | null }>(db, Prisma.sql`
    select (select json_agg(x) from (${ideaPageSql(viewer, filters, where, Math.max(1, requestedPage))}) x) as rows, o.*
    from (${filterOptionsSql(viewer, filters.session, now)}) o`, { prepared: true });
  const r = row!;
  // json_agg writes dates as ISO 8601 text: back to Date, as the row query returns them.
  const date = (v: string | null) => (v === null ? null : new Date(v));
  const rows = (r.rows ?? []).map((x) => ({
    ...x, dueAt: date(x.dueAt)!, firstResponseAt: date(x.firstResponseAt), publishedAt: date(x.publishedAt), createdAt: date(x.createdAt)!, sessionStartsAt: date(x.sessionStartsAt)!,
  }));
  const [list, options] = [await listIdeas(db, viewer, filters, requestedPage, now, rows), filterOptionsOf(r)];
  return { ...list, options };
}
type DateField = "dueAt" | "firstResponseAt" | "publishedAt" | "createdAt" | "sessionStartsAt";

/** One idea of the practice with where it came from and its whole timeline (newest first). */
export async function getIdeaDetail(prisma: PrismaClient, practiceId: string, id: string) {
  if (!isUuid(id)) throw new NotFoundError();
  const idea = await prisma.idea.findFirst({
    where: { id, practiceId },
    include: {
      group: { select: { id: true, name: true } },
      theme: { select: { id: true, name: true, retiredAt: true } },
      session: { select: { id: true, title: true, startsAt: true, endsAt: true } },
      // Scoped by practice as well as by idea: read through the (practiceId, ideaId, createdAt) index, not a scan of every practice's responses.
      responses: {
        where: { practiceId },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        // Person-written translations (issue 18), newest first.
        include: { translations: { where: { practiceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, language: true, text: true, translatorRole: true, createdAt: true } } },
      },
      // What the group said about the answers at later sessions (issue 18), shown between the responses.
      verdicts: { where: { practiceId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { id: true, kind: true, words: true, saidAt: true, createdAt: true, sessionId: true } },
    },
  });
  if (!idea) throw new NotFoundError();
  const staffIds = [...new Set([...idea.responses.map((r) => r.authorId), idea.publishedById].filter((x): x is string => !!x))];
  const staff = staffIds.length
    ? await prisma.user.findMany({ where: { id: { in: staffIds } }, select: { id: true, name: true } })
    : [];
  const names = new Map(staff.map((u) => [u.id, u.name]));
  return {
    ...idea,
    responses: idea.responses.map((r) => ({ ...r, authorName: r.authorId ? names.get(r.authorId) ?? "" : "" })),
    publishedByName: idea.publishedById ? names.get(idea.publishedById) ?? "" : "",
  };
}
export type IdeaDetail = Awaited<ReturnType<typeof getIdeaDetail>>;

/**
 * One idea as this staff member may see it (lib/visibility.ts): managers and
 * viewers, and a facilitator assigned to its session, see it whole; another
 * facilitator sees a published PUBLIC idea as the public does (its public
 * timeline, no names), and nothing else (404).
 */
export async function getIdeaForViewer(prisma: PrismaClient, viewer: StaffViewer, id: string): Promise<{ access: "whole"; idea: IdeaDetail } | { access: "public"; idea: IdeaDetail }> {
  if (!isUuid(id)) throw new NotFoundError();
  if (seesWholePractice(viewer)) return { access: "whole", idea: await getIdeaDetail(prisma, viewer.practiceId, id) };
  const found = await prisma.idea.findFirst({ where: { AND: [{ id }, staffIdeaWhere(viewer)] }, select: { id: true } });
  if (!found) throw new NotFoundError();
  const assigned = await prisma.idea.count({ where: { AND: [{ id }, assignedWhere(viewer)] } });
  const idea = await getIdeaDetail(prisma, viewer.practiceId, id);
  if (assigned) return { access: "whole", idea };
  // What the public sees: public responses only, no staff names, the public status.
  const latest = latestPublicResponse(idea.responses);
  return {
    access: "public",
    idea: {
      ...idea,
      status: latest?.status ?? idea.status,
      responses: idea.responses.filter((r) => r.isPublic).map((r) => ({ ...r, authorId: null, authorName: "" })),
      publishedById: null,
      publishedByName: "",
    },
  };
}

/** The version a form carries: the idea's version counter (every save increments it), as for sessions. */
export function versionOf(idea: { version: number }): string {
  return String(idea.version);
}

function parseVersion(version: string): number | undefined {
  return /^\d{1,9}$/.test(version) ? Number(version) : undefined;
}

/** Refused "conflict" when the idea changed after the manager saw the preview. */
export type PublishResult = Result<{ alreadyPublished: boolean }, "conflict" | "not-public">;

/** Publishes a PUBLIC idea, provided it has not changed since the manager saw the preview. */
export async function publishIdea(prisma: PrismaClient, practiceId: string, id: string, actorId: string, version: string, now = new Date()): Promise<PublishResult> {
  return prisma.$transaction(async (tx) => {
    const idea = await tx.idea.findFirst({ where: { id, practiceId } });
    if (!idea) throw new NotFoundError();
    if (idea.consent !== "PUBLIC") return refused("not-public");
    if (idea.publishedAt) return ok({ alreadyPublished: true });
    const seen = parseVersion(version);
    const updated = seen !== undefined
      ? await tx.idea.updateMany({ where: { id, practiceId, version: seen, consent: "PUBLIC", publishedAt: null }, data: { publishedAt: now, publishedById: actorId, publicUpdatedAt: now, version: { increment: 1 } } })
      : { count: 0 };
    if (updated.count !== 1) return refused("conflict");
    await recordAudit(tx, { practiceId, actorId, action: "idea.publish", entityType: "Idea", entityId: id, details: { previous: { publishedAt: null } } });
    return ok({ alreadyPublished: false });
  });
}

export async function unpublishIdea(prisma: PrismaClient, practiceId: string, id: string, actorId: string, now = new Date()): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const idea = await tx.idea.findFirst({ where: { id, practiceId } });
    if (!idea) throw new NotFoundError();
    if (!idea.publishedAt) return false;
    await tx.idea.update({ where: { id }, data: { publishedAt: null, publishedById: null, publicUpdatedAt: now, version: { increment: 1 } } });
    await recordAudit(tx, {
      practiceId, actorId, action: "idea.unpublish", entityType: "Idea", entityId: id,
      details: { previous: { publishedAt: idea.publishedAt.toISOString(), publishedById: idea.publishedById } },
    });
    return true;
  });
}

export function isNarrowing(from: Consent, to: Consent): boolean {
  return CONSENT_RANK[to] >= CONSENT_RANK[from];
}

export interface Correction {
  text: string;
  themeId: string;
  consent: Consent;
  version: string;
}

export type CorrectionResult = Result<{ changed: string[]; unpublished: boolean }, "conflict" | "widened" | "unknown-theme">;

/**
 * A manager's correction, in one transaction: the correction with its audit
 * rows (applyCorrection) and, when the manager confirmed identifying details
 * the new text contains (lib/text-check.ts), the audit row of that
 * confirmation. Neither is saved without the other.
 */
export async function correctIdea(
  prisma: PrismaClient, practiceId: string, id: string, actorId: string, c: Correction, opts: { confirmedKinds?: IdentifyingKind[] } = {}, now = new Date(),
): Promise<CorrectionResult> {
  return prisma.$transaction(async (tx) => {
    const result = await applyCorrection(tx, practiceId, id, actorId, c, now);
    if (result.ok && opts.confirmedKinds) {
      await recordAudit(tx, { practiceId, actorId, action: "idea.identifying-details-confirmed", entityType: "Idea", entityId: id, details: { kinds: opts.confirmedKinds } });
    }
    return result;
  });
}

/**
 * A manager's correction of an idea's text, theme or consent, inside the
 * caller's transaction. Each changed field gets an audit row with its previous
 * value; consent may only narrow, and narrowing away from PUBLIC unpublishes.
 * The version check refuses an edit made on a stale page instead of
 * overwriting someone else's change.
 */
export async function applyCorrection(tx: Tx, practiceId: string, id: string, actorId: string, c: Correction, now = new Date()): Promise<CorrectionResult> {
  const idea = await tx.idea.findFirst({ where: { id, practiceId } });
  if (!idea) throw new NotFoundError();
  const seen = parseVersion(c.version);
  if (seen === undefined || seen !== idea.version) return { ok: false, reason: "conflict" };
  if (!isNarrowing(idea.consent, c.consent)) return { ok: false, reason: "widened" };
  if (c.themeId !== idea.themeId) {
    const theme = await tx.theme.findFirst({ where: { id: c.themeId, practiceId, retiredAt: null }, select: { id: true } });
    if (!theme) return { ok: false, reason: "unknown-theme" };
  }
  const changed: string[] = [];
  const data: Prisma.IdeaUpdateManyMutationInput & { themeId?: string } = {};
  const audits: { action: string; details: Prisma.InputJsonValue }[] = [];
  if (c.text !== idea.text) {
    data.text = c.text;
    changed.push("text");
    // A correction often takes identifying details out: the audit log must not keep them in "previous".
    audits.push({ action: "idea.correct-text", details: { field: "text", previous: redactIdentifyingDetails(idea.text), new: c.text } });
  }
  if (c.themeId !== idea.themeId) {
    data.themeId = c.themeId;
    changed.push("theme");
    audits.push({ action: "idea.correct-theme", details: { field: "themeId", previous: idea.themeId, new: c.themeId } });
  }
  let unpublished = false;
  if (c.consent !== idea.consent) {
    data.consent = c.consent;
    changed.push("consent");
    audits.push({ action: "idea.narrow-consent", details: { field: "consent", previous: idea.consent, new: c.consent } });
    if (idea.consent === "PUBLIC" && idea.publishedAt) {
      data.publishedAt = null;
      data.publishedById = null;
      data.publicUpdatedAt = now;
      unpublished = true;
      audits.push({ action: "idea.unpublish", details: { reason: "consent narrowed", previous: { publishedAt: idea.publishedAt.toISOString(), publishedById: idea.publishedById } } });
    }
  } else if (idea.publishedAt && changed.length) {
    data.publicUpdatedAt = now;
  }
  if (changed.length === 0) return { ok: true, changed, unpublished };
  // The version check again, atomically: a concurrent edit between the read and here updates nothing.
  const res = await tx.idea.updateMany({ where: { id, practiceId, version: idea.version }, data: { ...data, version: { increment: 1 } } });
  if (res.count !== 1) return { ok: false, reason: "conflict" };
  for (const a of audits) await recordAudit(tx, { practiceId, actorId, action: a.action, entityType: "Idea", entityId: id, details: a.details });
  return { ok: true, changed, unpublished };
}

/** Themes a manager may choose for an idea: the current ones, plus the idea's own even if retired. */
export async function themeChoices(prisma: PrismaClient, practiceId: string, currentThemeId?: string) {
  return prisma.theme.findMany({
    where: { practiceId, OR: [{ retiredAt: null }, ...(currentThemeId ? [{ id: currentThemeId }] : [])] },
    orderBy: { position: "asc" },
    select: { id: true, name: true, retiredAt: true },
    take: 200,
  });
}

export async function getResponseDeadline(prisma: PrismaClient, practiceId: string): Promise<number> {
  const p = await prisma.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { responseDeadlineDays: true } });
  return p.responseDeadlineDays;
}

/**
 * Changes the practice's response deadline. It applies to ideas logged from
 * now on (their due date is set when they are created); ideas already logged
 * keep the due date they were given, so nothing becomes overdue retroactively.
 */
export async function setResponseDeadline(prisma: PrismaClient, practiceId: string, actorId: string, days: number): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const p = await tx.practice.findUniqueOrThrow({ where: { id: practiceId }, select: { responseDeadlineDays: true } });
    if (p.responseDeadlineDays === days) return false;
    await tx.practice.update({ where: { id: practiceId }, data: { responseDeadlineDays: days } });
    await recordAudit(tx, {
      practiceId, actorId, action: "practice.response-deadline", entityType: "Practice", entityId: practiceId,
      details: { field: "responseDeadlineDays", previous: p.responseDeadlineDays, new: days },
    });
    return true;
  });
}
