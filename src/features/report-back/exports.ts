// verdicts.csv (issue 18): every verdict given at a session in the range,
// oldest first, with the idea, its group and theme, and the response the group
// was answering. Read in batches (keyset pagination), like the other exports.
import type { PrismaClient } from "../../generated/prisma/client.js";
import { VERDICT_LABELS, CONSENT_LABELS } from "../../lib/vocabulary.js";
import type { CsvCell } from "../reports/csv.js";
import { afterWhere, BATCH_SIZE, keyset, stamp, type CsvExport } from "../reports/exports.js";
import type { DateRange } from "../reports/range.js";

export function verdictsExport(prisma: PrismaClient, practiceId: string, range: DateRange, batchSize = BATCH_SIZE): CsvExport {
  const columns = ["Verdict ID", "Idea ID", "Idea", "Group", "Theme", "Consent", "Session", "Said at", "Verdict", "The group's words", "Response answered", "Response date"];
  async function* rows(): AsyncGenerator<CsvCell[]> {
    // Each batch of verdicts, then the responses they answered in one more query (two statements a batch).
    const verdicts = keyset(
      async (after) => {
        const batch = await prisma.verdict.findMany({
          where: { practiceId, saidAt: { gte: range.start, lt: range.endExclusive }, ...afterWhere("saidAt", after) },
          orderBy: [{ saidAt: "asc" }, { id: "asc" }],
          take: batchSize,
          select: {
            id: true, kind: true, words: true, saidAt: true, responseId: true,
            session: { select: { title: true } },
            idea: { select: { id: true, text: true, consent: true, group: { select: { name: true } }, theme: { select: { name: true } } } },
          },
        });
        const ids = [...new Set(batch.map((v) => v.responseId).filter((x): x is string => !!x))];
        const responses = ids.length ? await prisma.response.findMany({ where: { practiceId, id: { in: ids } }, select: { id: true, text: true, createdAt: true } }) : [];
        const byId = new Map(responses.map((r) => [r.id, r]));
        return batch.map((v) => ({ ...v, response: v.responseId ? byId.get(v.responseId) ?? null : null }));
      },
      (v) => v.saidAt,
      batchSize,
    );
    for await (const v of verdicts) {
      yield [
        v.id, v.idea.id, v.idea.text, v.idea.group.name, v.idea.theme.name, CONSENT_LABELS[v.idea.consent], v.session.title, v.saidAt,
        VERDICT_LABELS[v.kind], v.words, v.response?.text ?? "", v.response?.createdAt ?? null,
      ];
    }
  }
  return { filename: `verdicts-${stamp(range)}.csv`, columns, rows: rows() };
}
