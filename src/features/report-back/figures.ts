// "Closing the loop" (issue 18): of the ideas the groups have given a verdict
// on in a period (each idea counted once, by its latest verdict in the period;
// "not discussed" is not a verdict), how many the groups say were answered,
// partly answered, not yet answered, or no longer matter; per group and per
// theme; and the median days from the session where an idea was raised to
// the session where the group first said "this answers what we said".
// Two statements whatever the data size; every one scoped by practiceId.
import { Prisma } from "../../generated/prisma/client.js";
import { queryRows, type SqlClient } from "../../db/client.js";
import type { VerdictKind } from "../../generated/prisma/enums.js";
import { VERDICT_LABELS } from "../../lib/vocabulary.js";

export type CountedKind = Exclude<VerdictKind, "NOT_DISCUSSED">;
export const COUNTED_KINDS: readonly CountedKind[] = ["ANSWERS", "PARTLY", "NOT_YET", "NO_LONGER_MATTERS"];

export interface LoopRow {
  id: string;
  name: string;
  counts: Record<CountedKind, number>;
  total: number;
  /** Shares 0..1 of total, per kind (null when total is 0). */
  shares: Record<CountedKind, number | null>;
}

export interface LoopFigures {
  overall: LoopRow;
  byGroup: LoopRow[];
  byTheme: LoopRow[];
  /** Median days from the idea's session (its end) to the group's first "this answers what we said" (the session's start), for first such verdicts in the period. */
  medianDaysToAnswered: number | null;
  answeredCount: number;
  labels: Record<VerdictKind, string>;
}

const zero = (): Record<CountedKind, number> => ({ ANSWERS: 0, PARTLY: 0, NOT_YET: 0, NO_LONGER_MATTERS: 0 });

function row(id: string, name: string, counts: Record<CountedKind, number>): LoopRow {
  const total = COUNTED_KINDS.reduce((s, k) => s + counts[k], 0);
  const shares = Object.fromEntries(COUNTED_KINDS.map((k) => [k, total ? counts[k] / total : null])) as Record<CountedKind, number | null>;
  return { id, name, counts, total, shares };
}

type LoopCell = { groupId: string; groupName: string; themeId: string; themeName: string; kind: CountedKind; n: number };
type LoopMedian = { median: number | null; n: number };

/**
 * Verdict counts per group, theme and kind (each idea by its latest verdict in the range).
 * Counted from the verdicts (a few hundred a year) joined to their ideas, and
 * only then named: joined the other way round, the planner read the practice's
 * ideas group by group, guessed one idea per group (the practice and group
 * columns taken as independent: 400 in the region set) and compared every idea
 * with every verdict (414,000 comparisons, 100 ms at 2,000,000 ideas).
 */
export function loopCellsSql(practiceId: string, range: { start: Date; endExclusive: Date }): Prisma.Sql {
  return Prisma.sql`
      with latest as (
        select distinct on (v."ideaId") v."ideaId", v.kind
        from "Verdict" v
        where v."practiceId" = ${practiceId}::uuid and v.kind <> 'NOT_DISCUSSED'
          and v."saidAt" >= ${range.start} and v."saidAt" < ${range.endExclusive}
        order by v."ideaId", v."saidAt" desc, v."createdAt" desc, v.id desc
      ), cells as materialized (
        select i."groupId", i."themeId", l.kind, count(*)::int as n
        from latest l
        join "Idea" i on i.id = l."ideaId" and i."practiceId" = ${practiceId}::uuid
        group by i."groupId", i."themeId", l.kind
      )
      select c."groupId", g.name as "groupName", c."themeId", t.name as "themeName", c.kind::text as kind, c.n
      from cells c
      join "CommunityGroup" g on g.id = c."groupId" and g."practiceId" = ${practiceId}::uuid
      join "Theme" t on t.id = c."themeId" and t."practiceId" = ${practiceId}::uuid
      order by g.name, c."groupId", t.position, t.name, c.kind`;
}

/** The median days to the first "this answers what we said", over first such verdicts in the range. */
export function loopMedianSql(practiceId: string, range: { start: Date; endExclusive: Date }): Prisma.Sql {
  return Prisma.sql`
      select percentile_cont(0.5) within group (order by (extract(epoch from (f."saidAt" - s."endsAt")) / 86400.0)::float8) as median, count(*)::int as n
      from (
        select v."ideaId", min(v."saidAt") as "saidAt" from "Verdict" v
        where v."practiceId" = ${practiceId}::uuid and v.kind = 'ANSWERS'
        group by v."ideaId"
      ) f
      join "Idea" i on i.id = f."ideaId" and i."practiceId" = ${practiceId}::uuid
      join "CommunitySession" s on s.id = i."sessionId" and s."practiceId" = i."practiceId"
      where f."saidAt" >= ${range.start} and f."saidAt" < ${range.endExclusive}`;
}

export async function loopFigures(db: SqlClient, practiceId: string, range: { start: Date; endExclusive: Date }): Promise<LoopFigures> {
  const [cells, median] = await Promise.all([
    queryRows<LoopCell>(db, loopCellsSql(practiceId, range)),
    queryRows<LoopMedian>(db, loopMedianSql(practiceId, range)),
  ]);
  return loopFiguresOf(cells, median[0]);
}

/** The figures from the two statements' rows (loopFigures, or reportWithLoop in reports/service.ts which reads them as JSON beside the report). */
export function loopFiguresOf(cells: LoopCell[], m: LoopMedian | undefined): LoopFigures {
  const groups = new Map<string, { name: string; counts: Record<CountedKind, number> }>();
  const themes = new Map<string, { name: string; counts: Record<CountedKind, number> }>();
  const overall = zero();
  for (const c of cells) {
    const g = groups.get(c.groupId) ?? { name: c.groupName, counts: zero() };
    g.counts[c.kind] += c.n;
    groups.set(c.groupId, g);
    const t = themes.get(c.themeId) ?? { name: c.themeName, counts: zero() };
    t.counts[c.kind] += c.n;
    themes.set(c.themeId, t);
    overall[c.kind] += c.n;
  }
  return {
    overall: row("all", "All groups", overall),
    byGroup: [...groups.entries()].map(([id, g]) => row(id, g.name, g.counts)),
    byTheme: [...themes.entries()].map(([id, t]) => row(id, t.name, t.counts)).sort((a, b) => b.total - a.total),
    medianDaysToAnswered: m?.median === null || m?.median === undefined ? null : Number(m.median),
    answeredCount: m?.n ?? 0,
    labels: VERDICT_LABELS,
  };
}

/** "40%" */
export function percent(share: number | null): string {
  return share === null ? "–" : `${Math.round(share * 100)}%`;
}
