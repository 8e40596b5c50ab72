// Who may see what: the one module. Every query, view and test that decides
// whether an idea or a response can be seen asks here (the rule is written
// once, as SQL for raw queries, as a Prisma where clause, and as a plain
// predicate for tests and views, all three built from the same facts).
//
// Audiences:
//   - the public (/p/:slug, its idea pages, the feed, the poster):
//     ideas with consent PUBLIC that a manager has published;
//   - a group's own board (/g/:token): that group's ideas with consent PUBLIC
//     (published or not yet: the group said them and agreed to share them at
//     least this widely) or GROUP_ONLY;
//   - staff: managers and viewers see the whole practice; facilitators see the
//     ideas of the sessions they are assigned to (everything about them), plus
//     exactly what the public sees of the rest, and nothing more.
//   Everyone outside the practice sees only *public* responses; the public
//   status of an idea is the status of its latest public response (kept on the
//   idea by the trigger of migration idea_public_status), never Idea.status.
//   PRACTICE_ONLY never leaves the signed-in pages.
//
// The words for consent, statuses and verdicts, and the values themselves, are in
// lib/vocabulary.ts (re-exported here for the modules that import them from here).
import { Prisma } from "../generated/prisma/client.js";
import type { Consent, IdeaStatus, Role, SessionStatus, VerdictKind } from "../generated/prisma/enums.js";

import { REOPENING_VERDICTS } from "./vocabulary.js";

export {
  CONSENT_HINTS, CONSENT_LABELS, CONSENT_RANK, CONSENTS, IDEA_STATUSES, PUBLIC_ROLE_LABELS, STATUS_LABELS, STATUS_TAG_CLASSES, WAITING, type PublicStatus,
  REOPENING_VERDICTS, VERDICT_KINDS, VERDICT_LABELS, VERDICT_TAG_CLASSES,
} from "./vocabulary.js";

// ---------------------------------------------------------------------------
// Public board and group board

export interface IdeaFacts {
  practiceId: string;
  groupId: string;
  consent: Consent;
  publishedAt: Date | null;
}

export type BoardScope = { kind: "practice"; practiceId: string } | { kind: "group"; practiceId: string; groupId: string };

/** On the practice's public board (and its idea pages, feed and poster). */
export function isPublic(i: Pick<IdeaFacts, "consent" | "publishedAt">): boolean {
  return i.consent === "PUBLIC" && i.publishedAt !== null;
}

/** On a board (practice or group). */
export function isOnBoard(scope: BoardScope, i: IdeaFacts): boolean {
  if (i.practiceId !== scope.practiceId) return false;
  if (scope.kind === "practice") return isPublic(i);
  return i.groupId === scope.groupId && (i.consent === "PUBLIC" || i.consent === "GROUP_ONLY");
}

/** The same rule as SQL over an "Idea" alias. */
export function boardSql(scope: BoardScope, alias = "i"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  if (scope.kind === "practice") {
    return Prisma.sql`${a}."practiceId" = ${scope.practiceId}::uuid and ${a}.consent = 'PUBLIC' and ${a}."publishedAt" is not null`;
  }
  return Prisma.sql`${a}."practiceId" = ${scope.practiceId}::uuid and ${a}."groupId" = ${scope.groupId}::uuid and ${a}.consent in ('PUBLIC', 'GROUP_ONLY')`;
}

/** The same rule as a Prisma where clause on Idea. */
export function boardWhere(scope: BoardScope): Prisma.IdeaWhereInput {
  if (scope.kind === "practice") return { practiceId: scope.practiceId, consent: "PUBLIC", publishedAt: { not: null } };
  return { practiceId: scope.practiceId, groupId: scope.groupId, consent: { in: ["PUBLIC", "GROUP_ONLY"] } };
}

/** Responses anyone outside the practice may see (of an idea they may see). */
export function publicResponseWhere(practiceId: string): Prisma.ResponseWhereInput {
  return { practiceId, isPublic: true };
}

/** An idea's latest public response among its responses (by date, then id), as the trigger keeps it. */
export function latestPublicResponse<R extends { isPublic: boolean; createdAt: Date; id: string }>(responses: R[]): R | undefined {
  let best: R | undefined;
  for (const r of responses) {
    if (!r.isPublic) continue;
    if (!best || r.createdAt > best.createdAt || (r.createdAt.getTime() === best.createdAt.getTime() && r.id > best.id)) best = r;
  }
  return best;
}

// ---------------------------------------------------------------------------
// Staff

export interface StaffViewer {
  practiceId: string;
  userId: string;
  role: Role;
}

/** Managers and viewers see the whole practice; facilitators only what they were assigned, plus the public board. */
export function seesWholePractice(v: StaffViewer): boolean {
  return v.role !== "FACILITATOR";
}

/** SQL: the idea's session is assigned to the viewer (always true for managers and viewers). */
export function assignedSql(v: StaffViewer, alias = "i"): Prisma.Sql {
  if (seesWholePractice(v)) return Prisma.sql`true`;
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`exists (select 1 from "SessionFacilitator" sf
    where sf."practiceId" = ${a}."practiceId" and sf."sessionId" = ${a}."sessionId" and sf."userId" = ${v.userId}::uuid)`;
}

/** SQL: the ideas this staff member may see at all. */
export function staffIdeaSql(v: StaffViewer, alias = "i"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  if (seesWholePractice(v)) return Prisma.sql`${a}."practiceId" = ${v.practiceId}::uuid`;
  return Prisma.sql`${a}."practiceId" = ${v.practiceId}::uuid and (${assignedSql(v, alias)} or (${boardSql({ kind: "practice", practiceId: v.practiceId }, alias)}))`;
}

/**
 * SQL: the status this viewer may see: Idea.status for an idea they see
 * whole; otherwise the public status (null: no public response yet).
 */
export function staffStatusSql(v: StaffViewer, alias = "i"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  if (seesWholePractice(v)) return Prisma.sql`${a}.status`;
  return Prisma.sql`(case when ${assignedSql(v, alias)} then ${a}.status else ${a}."publicStatus" end)`;
}

/** Prisma: the ideas of sessions assigned to the viewer. */
export function assignedWhere(v: StaffViewer): Prisma.IdeaWhereInput {
  if (seesWholePractice(v)) return { practiceId: v.practiceId };
  return { practiceId: v.practiceId, session: { practiceId: v.practiceId, facilitators: { some: { userId: v.userId, practiceId: v.practiceId } } } };
}

/** Prisma: the ideas this staff member may see at all. */
export function staffIdeaWhere(v: StaffViewer): Prisma.IdeaWhereInput {
  if (seesWholePractice(v)) return { practiceId: v.practiceId };
  return { practiceId: v.practiceId, OR: [assignedWhere(v), boardWhere({ kind: "practice", practiceId: v.practiceId })] };
}

/** The plain predicate (for tests): may this staff member see this idea, and all of it? */
export function staffAccess(v: StaffViewer, i: IdeaFacts & { facilitatorIds: string[] }): "whole" | "public" | "none" {
  if (i.practiceId !== v.practiceId) return "none";
  if (seesWholePractice(v) || i.facilitatorIds.includes(v.userId)) return "whole";
  return isPublic(i) ? "public" : "none";
}

/**
 * What scopes a staff page's content, for page-cache keys: two viewers with
 * the same key see the same thing. Facilitators each see their own sessions.
 */
export function staffViewKey(v: StaffViewer): string {
  return seesWholePractice(v) ? v.role : `${v.role}:${v.userId}`;
}

// ---------------------------------------------------------------------------
// Sessions (the calendar and the private calendar feeds)

/** Prisma: the sessions this staff member sees: the practice's for managers and viewers, the assigned ones for facilitators. */
export function staffSessionWhere(v: StaffViewer): Prisma.CommunitySessionWhereInput {
  if (seesWholePractice(v)) return { practiceId: v.practiceId };
  return assignedSessionWhere(v);
}

/** Prisma: the sessions the viewer is assigned to (whatever their role). */
export function assignedSessionWhere(v: Pick<StaffViewer, "practiceId" | "userId">): Prisma.CommunitySessionWhereInput {
  return { practiceId: v.practiceId, facilitators: { some: { userId: v.userId, practiceId: v.practiceId } } };
}

/**
 * Prisma: the sessions in a private calendar feed. Its holder's assigned
 * sessions; the whole practice only for a feed a manager asked for, while they
 * are still a manager. No feed shows more than its holder may see signed in.
 */
export function feedSessionWhere(feed: { practiceId: string; userId: string; scope: "ASSIGNED" | "PRACTICE" }, role: Role): Prisma.CommunitySessionWhereInput {
  const notDraft = { status: { not: "DRAFT" as const } }; // staff-only sessions never leave the staff pages (below)
  if (feed.scope === "PRACTICE" && role === "MANAGER") return { practiceId: feed.practiceId, ...notDraft };
  return { ...assignedSessionWhere(feed), ...notDraft };
}

/** Gaps per group (last held, next planned: practice-wide facts) are for those who see the whole practice. */
export function seesGroupGaps(v: Pick<StaffViewer, "role">): boolean {
  return v.role !== "FACILITATOR";
}

/**
 * Whose double bookings a session's page warns this viewer of (another
 * session at an overlapping time with the same facilitator): a manager, who
 * plans, of every facilitator of the session; a facilitator assigned to the
 * session, of their own only (their sessions and their name, never another
 * facilitator's); nobody else. The facilitators' ids to look for clashes of.
 */
export function clashFacilitatorIds(v: StaffViewer, sessionFacilitatorIds: string[]): string[] {
  if (v.role === "MANAGER") return sessionFacilitatorIds;
  if (v.role === "FACILITATOR" && sessionFacilitatorIds.includes(v.userId)) return [v.userId];
  return [];
}

// ---------------------------------------------------------------------------
// Sessions being planned
//
// A session being planned is seen on staff pages only:
//   - a SessionDraft (planned step by step, features/sessions/draft.ts) is not
//     a session at all until "Schedule session": no query of sessions sees it;
//   - a CommunitySession with status DRAFT (saved as a draft from the one-page
//     form) is on staff pages, marked Draft, and never on a public page, a
//     group board, a feed or a calendar feed.
// Neither is ever counted as scheduled (upcoming sessions, dashboards, reports).

/** A session only staff may see (never on a public page, a group board, a feed or a calendar feed). */
export function isStaffOnlySession(s: { status: SessionStatus }): boolean {
  return s.status === "DRAFT";
}

/** Counted as scheduled: agreed, and going to happen. */
export function countsAsScheduled(s: { status: SessionStatus }): boolean {
  return s.status === "SCHEDULED";
}

/** Prisma: the practice's scheduled sessions (the same rule as countsAsScheduled). */
export function scheduledSessionWhere(practiceId: string): Prisma.CommunitySessionWhereInput {
  return { practiceId, status: "SCHEDULED" };
}

/** Prisma: the sessions that may appear beyond the staff pages (feeds, calendar feeds, public and group pages). */
export function sessionsBeyondStaffWhere(practiceId: string): Prisma.CommunitySessionWhereInput {
  return { practiceId, status: { not: "DRAFT" } };
}

/** The same rule as SQL over a "CommunitySession" alias. */
export function sessionsBeyondStaffSql(practiceId: string, alias = "s"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`${a}."practiceId" = ${practiceId}::uuid and ${a}.status <> 'DRAFT'`;
}


// ---------------------------------------------------------------------------
// Verdicts (issue 18): what a group said, at a later session, about the
// practice's answer to one of its ideas. A verdict follows its idea's consent:
// it is shown wherever the idea is (a PUBLIC, published idea's on the public
// board and idea page; a GROUP_ONLY idea's on the group's board only), and
// never where the idea is not. "Not discussed" is a note for the practice and
// is shown nowhere outside the signed-in pages. Verdicts are not in the feed.

/** May a verdict be shown on this board? Only where its idea is, and never "not discussed". */
export function isVerdictOnBoard(scope: BoardScope, idea: IdeaFacts, verdict: { kind: VerdictKind }): boolean {
  return verdict.kind !== "NOT_DISCUSSED" && isOnBoard(scope, idea);
}

/** The same rule as SQL over a "Verdict" alias whose idea is already on the board (boardSql). */
export function boardVerdictSql(alias = "v"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`${a}.kind <> 'NOT_DISCUSSED'`;
}

/** Prisma: verdicts shown on a board (of an idea already on it). */
export function boardVerdictWhere(practiceId: string): Prisma.VerdictWhereInput {
  return { practiceId, kind: { not: "NOT_DISCUSSED" } };
}

// ---------------------------------------------------------------------------
// Reopened ideas (issue 18): the group's latest verdict ("not discussed"
// aside) is "partly" or "not yet", no public response has come since, and a
// public response can still reach the group. Then the idea is back on the
// practice's lists (the dashboard, /ideas?reopened=yes), the idea page says
// so, and the next response must be public and say what changes
// (features/responses/service.ts). The rule is written here once: as a
// predicate (isReopened, reopeningVerdict) and as SQL (reopenedSql; the
// dashboard's statement, features/report-back/reopened.ts, is built from
// publicResponseReachesGroupSql), and a test holds them together
// (tests/integration/reopened-agreement.test.ts).
//
// Consent: a public response to a PUBLIC idea reaches the group's board and
// the public board; to a GROUP_ONLY idea, the group's board. A PRACTICE_ONLY
// idea is never shown outside the practice (a manager may narrow an idea's
// consent to it after the verdict), so a public response to it reaches nobody:
// demanding one would only force a meaningless tick. Such an idea is not
// reopened. Its verdicts stay on its staff timeline.

/** The consents under which a public response reaches the group (its board; the public board too for PUBLIC). */
export const CONSENTS_REACHING_GROUP: readonly Consent[] = ["PUBLIC", "GROUP_ONLY"];

/** Does a public response to an idea with this consent reach the group? Not for PRACTICE_ONLY. */
export function publicResponseReachesGroup(consent: Consent): boolean {
  return CONSENTS_REACHING_GROUP.includes(consent);
}

/** The same rule as SQL over an "Idea" alias. */
export function publicResponseReachesGroupSql(alias = "i"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  return Prisma.sql`${a}.consent in (${Prisma.join(CONSENTS_REACHING_GROUP.map((c) => Prisma.sql`${c}::"Consent"`), ", ")})`;
}

/**
 * Does a public response saved at `responseAt` answer a verdict given at
 * `verdictAt`, i.e. come after it? On equal timestamps: yes, the response
 * counts as after the verdict. Why: a verdict judges an answer the group was
 * read back at a session (Verdict.responseId), which existed before the
 * verdict was saved; a response stamped at the very same instant cannot be
 * that answer, so it is the practice's next one. And nothing is lost by
 * reading it so: it is on the group's next report-back list as an answer
 * since the verdict (report-back/service.ts uses this rule too), where the
 * group can say whether it addresses what they said. Every implementation
 * uses this function or answersVerdictSql: the predicate, the /ideas filter,
 * the dashboard, the response rules and the report-back list.
 */
export function answersVerdict(responseAt: Date, verdictAt: Date): boolean {
  return responseAt.getTime() >= verdictAt.getTime();
}

/** The same rule as SQL over two timestamp expressions (a null response time: false or null, never true). */
export function answersVerdictSql(responseAt: Prisma.Sql, verdictAt: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(${responseAt} >= ${verdictAt})`;
}

/** Does this verdict (the idea's latest) keep the idea open, given its latest public response and the idea's consent? */
export function isReopened(verdict: { kind: VerdictKind; createdAt: Date } | null | undefined, latestPublicResponseAt: Date | null | undefined, consent: Consent): boolean {
  if (!verdict || !REOPENING_VERDICTS.includes(verdict.kind)) return false;
  if (!publicResponseReachesGroup(consent)) return false;
  return !latestPublicResponseAt || !answersVerdict(latestPublicResponseAt, verdict.createdAt);
}

/**
 * The verdict that keeps an idea open, or null: the group's latest verdict
 * ("not discussed" aside; in any order, ties by id as latestPublicResponse)
 * when no public response has come since (answersVerdict: one at the same
 * instant counts as since) and one can reach the group
 * (isReopened). The idea page's notice and timeline and the rules of the next
 * response all ask this one question.
 */
export function reopeningVerdict<V extends { id: string; kind: VerdictKind; createdAt: Date }>(
  idea: { consent: Consent; responses: { isPublic: boolean; createdAt: Date; id: string }[]; verdicts?: V[] },
): V | null {
  let latest: V | undefined;
  for (const v of idea.verdicts ?? []) {
    if (v.kind === "NOT_DISCUSSED") continue;
    if (!latest || v.createdAt > latest.createdAt || (v.createdAt.getTime() === latest.createdAt.getTime() && v.id > latest.id)) latest = v;
  }
  return latest && isReopened(latest, latestPublicResponse(idea.responses)?.createdAt, idea.consent) ? latest : null;
}

/** The same rule as SQL over an "Idea" alias (the /ideas filter): reopeningVerdict(idea) is not null. */
export function reopenedSql(alias = "i"): Prisma.Sql {
  const a = Prisma.raw(`"${alias}"`);
  const reopening = Prisma.join(REOPENING_VERDICTS.map((k) => Prisma.sql`${k}::"VerdictKind"`), ", ");
  return Prisma.sql`(${publicResponseReachesGroupSql(alias)} and exists (
    select 1 from (
      select v.kind, v."createdAt" from "Verdict" v
      where v."practiceId" = ${a}."practiceId" and v."ideaId" = ${a}.id and v.kind <> 'NOT_DISCUSSED'
      order by v."createdAt" desc, v.id desc limit 1
    ) lv
    where lv.kind in (${reopening})
      and not exists (select 1 from "Response" r where r."practiceId" = ${a}."practiceId" and r."ideaId" = ${a}.id and r."isPublic"
                      and ${answersVerdictSql(Prisma.sql`r."createdAt"`, Prisma.sql`lv."createdAt"`)})
  ))`;
}
