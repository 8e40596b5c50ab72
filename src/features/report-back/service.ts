// The report-back list (issue 18): at a group's next session, every idea the
// group raised that the practice has answered since the group's previous held
// session, or that is still waiting for an answer (with how long). Only what the
// group may see: its PUBLIC and GROUP_ONLY ideas (lib/visibility.ts, the group
// board's rule) and their public responses, with the author as a role.
// One statement whatever the number of ideas; no express here.
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { IdeaStatus, Role, VerdictKind } from "../../generated/prisma/enums.js";
import { answersVerdict, answersVerdictSql, boardSql } from "../../lib/visibility.js";
import { REOPENING_VERDICTS } from "../../lib/vocabulary.js";

type Db = PrismaClient | Prisma.TransactionClient;

/** At most this many ideas on one list (the sheet says how many more there are). */
export const REPORT_BACK_LIMIT = 40;

export interface ReportBackSession {
  id: string;
  practiceId: string;
  groupId: string;
  startsAt: Date;
}

export interface ReportBackItem {
  ideaId: string;
  text: string;
  consent: "PUBLIC" | "GROUP_ONLY";
  themeName: string;
  createdAt: Date;
  /** The latest public response (what the group may see), if any. */
  response: { id: string; status: IdeaStatus; text: string; createdAt: Date; targetDate: Date | null; authorRole: Role } | null;
  /** "answered": a public response since the previous held session; "waiting": none yet, or none since the group said it was not answered. */
  reason: "answered" | "waiting";
  /** Waiting since (the idea's creation, or the session where the group said "not yet"/"partly"). */
  waitingSince: Date | null;
  /** What the group said last time (at an earlier session), if anything. */
  lastVerdict: { kind: VerdictKind; words: string; saidAt: Date } | null;
}

export interface ReportBack {
  /** The group's previous held session, whose start the list counts from (null: none, the list counts from the beginning). */
  previous: { id: string; title: string; startsAt: Date } | null;
  items: ReportBackItem[];
  /** How many ideas are on the list in all (items holds at most REPORT_BACK_LIMIT). */
  total: number;
}

interface Row {
  ideaId: string; text: string; consent: "PUBLIC" | "GROUP_ONLY"; themeName: string; createdAt: Date;
  responseId: string | null; status: IdeaStatus | null; responseText: string | null; respondedAt: Date | null; targetDate: Date | null; authorRole: Role | null;
  verdictKind: VerdictKind | null; verdictWords: string | null; verdictSaidAt: Date | null; verdictAt: Date | null;
  prevId: string | null; prevTitle: string | null; prevStartsAt: Date | null; total: number;
}

/**
 * The list for one session of a group. Counted from the start of the group's
 * previous HELD session (a response given during it may not have been read
 * out). An idea is on it when it came from an earlier session of the group,
 * the group may see it, and either it has a public response since then, or it
 * has none yet, or the group last said "partly"/"not yet" and no public
 * response has come since (it is waiting again). An idea the group last said
 * "no longer matters" to, with nothing new since, is left off. Verdicts given
 * at this same session do not change its list (the list stays what was read out).
 */
export async function reportBackFor(db: Db, session: ReportBackSession): Promise<ReportBack> {
  const scope = boardSql({ kind: "group", practiceId: session.practiceId, groupId: session.groupId }, "i");
  const reopening = Prisma.join(REOPENING_VERDICTS.map((k) => Prisma.sql`${k}::"VerdictKind"`), ", ");
  // The latest public response answers the latest verdict (a response at the same instant does: lib/visibility.ts answersVerdict).
  const answers = answersVerdictSql(Prisma.sql`r."createdAt"`, Prisma.sql`v."createdAt"`);
  const answersListed = answersVerdictSql(Prisma.sql`"respondedAt"`, Prisma.sql`"verdictAt"`);
  const rows = await db.$queryRaw<Row[]>`
    with prev as (
      select s.id, s.title, s."startsAt" from "CommunitySession" s
      where s."practiceId" = ${session.practiceId}::uuid and s."groupId" = ${session.groupId}::uuid
        and s.status = 'HELD' and s.id <> ${session.id}::uuid and s."startsAt" < ${session.startsAt}
      order by s."startsAt" desc, s.id desc limit 1
    ),
    listed as (
      select i.id as "ideaId", i.text, i.consent::text as consent, th.name as "themeName", i."createdAt", i.position,
             r.id as "responseId", r.status::text as status, r.text as "responseText", r."createdAt" as "respondedAt", r."targetDate", r."authorRole"::text as "authorRole",
             v.kind::text as "verdictKind", v.words as "verdictWords", v."saidAt" as "verdictSaidAt", v."createdAt" as "verdictAt",
             src."startsAt" as "sourceStartsAt"
      from "Idea" i
      join "CommunitySession" src on src.id = i."sessionId" and src."practiceId" = i."practiceId"
      join "Theme" th on th.id = i."themeId" and th."practiceId" = i."practiceId"
      left join "Response" r on r.id = i."latestPublicResponseId" and r."practiceId" = i."practiceId" and r."ideaId" = i.id and r."isPublic"
      left join lateral (
        select v.kind, v.words, v."saidAt", v."createdAt" from "Verdict" v
        where v."practiceId" = i."practiceId" and v."ideaId" = i.id and v."sessionId" <> ${session.id}::uuid and v.kind <> 'NOT_DISCUSSED'
        order by v."createdAt" desc, v.id desc limit 1
      ) v on true
      left join prev on true
      where ${scope} and i."sessionId" <> ${session.id}::uuid and src."startsAt" < ${session.startsAt}
        and (
          (r.id is not null and (prev.id is null or r."createdAt" >= prev."startsAt") and (v.kind is null or ${answers}))
          or (r.id is null and (v.kind is null or v.kind in (${reopening})))
          or (v.kind in (${reopening}) and not ${answers})
        )
    )
    select l.*, p.id as "prevId", p.title as "prevTitle", p."startsAt" as "prevStartsAt", (select count(*)::int from listed) as total
    from (select 1) one
    left join prev p on true
    left join lateral (
      select * from listed
      order by ("responseId" is null or ("verdictAt" is not null and not ${answersListed})) asc, "sourceStartsAt" asc, position asc, "ideaId" asc
      limit ${REPORT_BACK_LIMIT}
    ) l on true`;
  const first = rows[0];
  const previous = first?.prevId ? { id: first.prevId, title: first.prevTitle!, startsAt: first.prevStartsAt! } : null;
  const items: ReportBackItem[] = rows
    .filter((r) => r.ideaId)
    .map((r) => {
      const reopened = r.verdictKind !== null && (REOPENING_VERDICTS as readonly string[]).includes(r.verdictKind) && (r.respondedAt === null || !answersVerdict(r.respondedAt, r.verdictAt!));
      const waiting = r.responseId === null || reopened;
      return {
        ideaId: r.ideaId, text: r.text, consent: r.consent, themeName: r.themeName, createdAt: r.createdAt,
        response: r.responseId
          ? { id: r.responseId, status: r.status!, text: r.responseText ?? "", createdAt: r.respondedAt!, targetDate: r.targetDate, authorRole: r.authorRole! }
          : null,
        reason: waiting ? "waiting" : "answered",
        waitingSince: waiting ? (reopened ? r.verdictSaidAt : r.createdAt) : null,
        lastVerdict: r.verdictKind ? { kind: r.verdictKind, words: r.verdictWords ?? "", saidAt: r.verdictSaidAt! } : null,
      };
    });
  return { previous, items, total: first?.total ?? 0 };
}
