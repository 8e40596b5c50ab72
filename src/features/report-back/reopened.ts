// Ideas the group says are not answered yet (issue 18): the group's latest
// verdict is "partly" or "not yet", no public response has come since, and a
// public response can reach the group (not PRACTICE_ONLY; the rule is
// lib/visibility.ts reopeningVerdict, its SQL for /ideas reopenedSql). They
// are back on the practice's list of ideas needing a response, with the
// group's words. A facilitator sees those of the sessions they are assigned to
// (lib/visibility.ts). One statement, from the verdicts (never a scan of ideas).
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import type { VerdictKind } from "../../generated/prisma/enums.js";
import { answersVerdictSql, assignedSql, publicResponseReachesGroupSql, type StaffViewer } from "../../lib/visibility.js";
import { REOPENING_VERDICTS } from "../../lib/vocabulary.js";

export interface ReopenedIdea {
  id: string;
  text: string;
  groupName: string;
  kind: VerdictKind;
  words: string;
  saidAt: Date;
}

export async function reopenedIdeas(prisma: PrismaClient, viewer: StaffViewer, take = 10): Promise<{ ideas: ReopenedIdea[]; total: number }> {
  const reopening = Prisma.join(REOPENING_VERDICTS.map((k) => Prisma.sql`${k}::"VerdictKind"`), ", ");
  const rows = await prisma.$queryRaw<(ReopenedIdea & { total: number })[]>`
    select i.id, i.text, g.name as "groupName", v.kind::text as kind, v.words, v."saidAt", count(*) over ()::int as total
    from "Verdict" v
    join "Idea" i on i.id = v."ideaId" and i."practiceId" = v."practiceId"
    join "CommunityGroup" g on g.id = i."groupId" and g."practiceId" = i."practiceId"
    left join "Response" r on r.id = i."latestPublicResponseId" and r."practiceId" = i."practiceId"
    where v."practiceId" = ${viewer.practiceId}::uuid and v.kind in (${reopening})
      and not exists (select 1 from "Verdict" w where w."practiceId" = v."practiceId" and w."ideaId" = v."ideaId" and w.kind <> 'NOT_DISCUSSED'
                      and (w."createdAt", w.id) > (v."createdAt", v.id))
      and (r.id is null or not ${answersVerdictSql(Prisma.sql`r."createdAt"`, Prisma.sql`v."createdAt"`)})
      and ${publicResponseReachesGroupSql("i")}
      and ${assignedSql(viewer, "i")}
    order by v."createdAt" asc, v.id asc
    limit ${take}`;
  return { ideas: rows.map(({ total: _t, ...r }) => r), total: rows[0]?.total ?? 0 };
}
