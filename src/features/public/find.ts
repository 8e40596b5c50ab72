// "Find your practice's board": a visitor who has lost the poster searches by
// the practice's name, town or ODS code. Every word typed must match the start
// of a word of the practice's name, address or ODS code ("river health" finds
// "Riverside Health Centre"; "x99001" its ODS code). One statement, through the
// GIN index "Practice_search_idx" (migration practice_search), bounded: at most
// MAX_WORDS words, FIND_PAGE_SIZE rows a page, and the total from the same scan.
import { Prisma, type PrismaClient } from "../../generated/prisma/client.js";
import { MAX_PAGE } from "../../lib/pagination.js";

export const FIND_PAGE_SIZE = 10;
/** Longer input is cut: nobody's practice needs more. */
export const MAX_QUERY_LENGTH = 100;
const MAX_WORDS = 6;

export interface FoundPractice {
  name: string;
  slug: string;
  odsCode: string;
  address: string;
}

/**
 * The visitor's words as a prefix tsquery ("river:* & health:*"), or null when
 * nothing searchable is left. Only letters and digits survive (in any script),
 * so nothing typed can be tsquery syntax.
 */
export function searchTerms(raw: string): string | null {
  const words = raw
    .normalize("NFKC")
    .slice(0, MAX_QUERY_LENGTH)
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, MAX_WORDS);
  return words.length ? words.map((w) => `${w}:*`).join(" & ") : null;
}

/** The same expression as the index: keep the two identical. */
const DOCUMENT = Prisma.sql`to_tsvector('simple', p."name" || ' ' || p."address" || ' ' || p."odsCode")`;

export async function findPractices(prisma: PrismaClient, raw: string, page: number): Promise<{ practices: FoundPractice[]; total: number; page: number }> {
  const terms = searchTerms(raw);
  if (!terms) return { practices: [], total: 0, page: 1 };
  const wanted = Math.min(Math.max(page, 1), MAX_PAGE);
  const run = (p: number) =>
    prisma.$queryRaw<(FoundPractice & { total: bigint })[]>`
      select p."name", p."slug", p."odsCode", p."address", count(*) over () as total
      from "Practice" p
      where ${DOCUMENT} @@ to_tsquery('simple', ${terms})
      order by p."name", p."id"
      limit ${FIND_PAGE_SIZE} offset ${(p - 1) * FIND_PAGE_SIZE}`;
  let rows = await run(wanted);
  let total = rows.length ? Number(rows[0]!.total) : 0;
  let current = wanted;
  // A page past the end shows the last page (as the boards do): one more statement, only then.
  if (!rows.length && wanted > 1) {
    const count = await prisma.$queryRaw<{ total: bigint }[]>`select count(*) as total from "Practice" p where ${DOCUMENT} @@ to_tsquery('simple', ${terms})`;
    total = Number(count[0]!.total);
    current = Math.max(1, Math.ceil(total / FIND_PAGE_SIZE));
    rows = total ? await run(current) : [];
  }
  return { practices: rows.map(({ total: _t, ...p }) => p), total, page: current };
}
