// translations.csv (issue 18): every translation written in the range, oldest
// first, with the response it translates and who wrote it (a role). Batches by
// keyset pagination, like the other exports.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { CsvCell } from "../reports/csv.js";
import { afterWhere, BATCH_SIZE, keyset, stamp, type CsvExport } from "../reports/exports.js";
import type { DateRange } from "../reports/range.js";
import { languageName, TRANSLATOR_ROLE_LABELS } from "./service.js";

export function translationsExport(prisma: PrismaClient, practiceId: string, range: DateRange, batchSize = BATCH_SIZE): CsvExport {
  const columns = ["Translation ID", "Response ID", "Idea ID", "Idea", "Group", "Response", "Response date", "Language", "Translation", "Translated by", "Date"];
  async function* rows(): AsyncGenerator<CsvCell[]> {
    const translations = keyset(
      (after) =>
        prisma.responseTranslation.findMany({
          where: { practiceId, createdAt: { gte: range.start, lt: range.endExclusive }, ...afterWhere("createdAt", after) },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take: batchSize,
          select: {
            id: true, language: true, text: true, translatorRole: true, createdAt: true,
            response: { select: { id: true, text: true, createdAt: true, idea: { select: { id: true, text: true, group: { select: { name: true } } } } } },
          },
        }),
      (t) => t.createdAt,
      batchSize,
    );
    for await (const t of translations) {
      yield [
        t.id, t.response.id, t.response.idea.id, t.response.idea.text, t.response.idea.group.name, t.response.text, t.response.createdAt,
        languageName(t.language), t.text, TRANSLATOR_ROLE_LABELS[t.translatorRole], t.createdAt,
      ];
    }
  }
  return { filename: `translations-${stamp(range)}.csv`, columns, rows: rows() };
}
