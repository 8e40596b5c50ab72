// CSV exports, read in batches with keyset pagination (createdAt/startsAt, id)
// so a large practice's export never holds more than one batch in memory.
// What is left out, on purpose: facilitators' private reflections and the
// process reflection (facilitators' own words about the session), facilitator
// and author names, e-mail addresses, the safeguarding lead's name and the
// group's private-link token. A response's author appears by role only.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { DateRange } from "./range.js";
import { csvDate, type CsvCell } from "./csv.js";
import { CONSENT_EXPORT_LABELS as CONSENT_LABELS, ROLE_LABELS, STATUS_LABELS } from "../../lib/vocabulary.js";
import { finalOutcome } from "../outcomes/service.js";

export const BATCH_SIZE = 500;


export interface CsvExport {
  filename: string;
  columns: string[];
  rows: AsyncGenerator<CsvCell[]>;
}

/** Pages through a table by (time, id) until a batch comes back short. */
export async function* keyset<T extends { id: string }>(
  fetch: (after: { at: Date; id: string } | undefined) => Promise<T[]>,
  timeOf: (row: T) => Date,
  batchSize = BATCH_SIZE,
): AsyncGenerator<T> {
  let after: { at: Date; id: string } | undefined;
  for (;;) {
    const batch = await fetch(after);
    for (const row of batch) yield row;
    if (batch.length < batchSize) return;
    const last = batch[batch.length - 1]!;
    after = { at: timeOf(last), id: last.id };
  }
}

export function afterWhere(field: string, after: { at: Date; id: string } | undefined) {
  return after ? { OR: [{ [field]: { gt: after.at } }, { [field]: after.at, id: { gt: after.id } }] } : {};
}

export function stamp(range: DateRange): string {
  const f = (x: { year: number; month: number; day: number }) => `${x.year}-${String(x.month).padStart(2, "0")}-${String(x.day).padStart(2, "0")}`;
  return `${f(range.from)}-to-${f(range.to)}`;
}

/** Ideas raised in the range, with their latest response (public or not). */
export function ideasExport(prisma: PrismaClient, practiceId: string, range: DateRange, now = new Date(), batchSize = BATCH_SIZE): CsvExport {
  const columns = [
    "Idea ID", "Raised", "Group", "Session", "Session ended", "Theme", "Idea (participants' words)", "Support in the room",
    "Consent to share", "Published", "Status", "Response due", "First response", "Answered within deadline", "Overdue", "Done",
    "Latest response date", "Latest response status", "Latest response", "Latest response public", "Latest response by",
  ];
  async function* rows(): AsyncGenerator<CsvCell[]> {
    const ideas = keyset(
      (after) =>
        prisma.idea.findMany({
          where: { practiceId, createdAt: { gte: range.start, lt: range.endExclusive }, ...afterWhere("createdAt", after) },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take: batchSize,
          select: {
            id: true, createdAt: true, text: true, support: true, consent: true, status: true, dueAt: true,
            firstResponseAt: true, doneAt: true, publishedAt: true,
            group: { select: { name: true } },
            theme: { select: { name: true } },
            session: { select: { title: true, endsAt: true } },
            responses: {
              orderBy: [{ createdAt: "desc" }, { id: "desc" }],
              take: 1,
              select: { createdAt: true, status: true, text: true, isPublic: true, authorRole: true },
            },
          },
        }),
      (i) => i.createdAt,
      batchSize,
    );
    for await (const i of ideas) {
      const r = i.responses[0];
      yield [
        i.id, i.createdAt, i.group.name, i.session.title, i.session.endsAt, i.theme.name, i.text, i.support,
        CONSENT_LABELS[i.consent], i.publishedAt ?? "", STATUS_LABELS[i.status], i.dueAt, i.firstResponseAt ?? "",
        i.firstResponseAt ? i.firstResponseAt <= i.dueAt : "", !i.firstResponseAt && i.dueAt < now, i.doneAt ?? "",
        r?.createdAt ?? "", r ? STATUS_LABELS[r.status] : "", r?.text ?? "", r ? r.isPublic : "", r ? ROLE_LABELS[r.authorRole] : "",
      ];
    }
  }
  return { filename: `ideas-${stamp(range)}.csv`, columns, rows: rows() };
}

/** Sessions (any status) starting in the range, with attendance and the checklist notes (of a final outcome only: a draft is not yet what happened). */
export function sessionsExport(prisma: PrismaClient, practiceId: string, range: DateRange, batchSize = BATCH_SIZE): CsvExport {
  const columns = [
    "Session ID", "Title", "Group", "Partner organisation", "Starts", "Ends", "Status", "Status reason", "Online", "Venue",
    "Interpreter languages", "Capacity", "Attendance", "Themes discussed", "Ideas",
    "Checklist: safety", "Checklist: trust", "Checklist: choice", "Checklist: collaboration", "Checklist: empowerment", "Checklist: cultural consideration",
  ];
  async function* rows(): AsyncGenerator<CsvCell[]> {
    const sessions = keyset(
      (after) =>
        prisma.communitySession.findMany({
          where: { practiceId, startsAt: { gte: range.start, lt: range.endExclusive }, ...afterWhere("startsAt", after) },
          orderBy: [{ startsAt: "asc" }, { id: "asc" }],
          take: batchSize,
          select: {
            id: true, title: true, startsAt: true, endsAt: true, status: true, statusReason: true, online: true, venueName: true,
            interpreterLanguages: true, capacity: true,
            checklistSafety: true, checklistTrust: true, checklistChoice: true, checklistCollaboration: true, checklistEmpowerment: true, checklistCulture: true,
            group: { select: { name: true, partner: { select: { name: true } } } },
            partner: { select: { name: true } },
            outcome: { select: { attendanceCount: true, themesDiscussed: true, isDraft: true } },
            _count: { select: { ideas: true } },
          },
        }),
      (s) => s.startsAt,
      batchSize,
    );
    for await (const s of sessions) {
      const outcome = finalOutcome(s.outcome);
      yield [
        s.id, s.title, s.group.name, s.partner?.name ?? s.group.partner?.name ?? "", s.startsAt, s.endsAt, s.status.charAt(0) + s.status.slice(1).toLowerCase(),
        s.statusReason, s.online, s.online ? "" : s.venueName, s.interpreterLanguages.join("; "), s.capacity ?? "",
        outcome?.attendanceCount ?? "", outcome?.themesDiscussed ?? "", s._count.ideas,
        s.checklistSafety, s.checklistTrust, s.checklistChoice, s.checklistCollaboration, s.checklistEmpowerment, s.checklistCulture,
      ];
    }
  }
  return { filename: `sessions-${stamp(range)}.csv`, columns, rows: rows() };
}

/** Every response written in the range: the full timeline, oldest first. */
export function responsesExport(prisma: PrismaClient, practiceId: string, range: DateRange, batchSize = BATCH_SIZE): CsvExport {
  const columns = ["Response ID", "Idea ID", "Idea", "Group", "Theme", "Date", "Status", "Response", "Target date", "Public", "By"];
  async function* rows(): AsyncGenerator<CsvCell[]> {
    const responses = keyset(
      (after) =>
        prisma.response.findMany({
          where: { practiceId, createdAt: { gte: range.start, lt: range.endExclusive }, ...afterWhere("createdAt", after) },
          orderBy: [{ createdAt: "asc" }, { id: "asc" }],
          take: batchSize,
          select: {
            id: true, ideaId: true, createdAt: true, status: true, text: true, targetDate: true, isPublic: true, authorRole: true,
            idea: { select: { text: true, group: { select: { name: true } }, theme: { select: { name: true } } } },
          },
        }),
      (r) => r.createdAt,
      batchSize,
    );
    for await (const r of responses) {
      yield [
        r.id, r.ideaId, r.idea.text, r.idea.group.name, r.idea.theme.name, r.createdAt, STATUS_LABELS[r.status], r.text,
        csvDate(r.targetDate), r.isPublic, ROLE_LABELS[r.authorRole],
      ];
    }
  }
  return { filename: `responses-${stamp(range)}.csv`, columns, rows: rows() };
}
