// Verdicts (issue 18): in a session's outcome, what the group said about the
// practice's answers to the ideas on its report-back list. Posted as
// verdicts[<ideaId>][kind|words|confirmSafe], kept in the outcome's draft like
// everything else typed, saved with the final save in its transaction.
import type { Prisma } from "../../generated/prisma/client.js";
import type { VerdictKind } from "../../generated/prisma/enums.js";
import type { FieldErrors } from "../../lib/forms.js";
import { isUuid } from "../../lib/routing.js";
import { checkField, checkMessage, type CheckKey, type FieldCheck } from "../../lib/text-check.js";
import { VERDICT_KINDS } from "../../lib/vocabulary.js";
import { recordAudit } from "../audit/service.js";
import type { ReportBack } from "./service.js";

export const MAX_VERDICT_WORDS = 2000;
const MAX_POSTED = 100;

/** What was typed for one idea, as typed. */
export interface VerdictValue {
  ideaId: string;
  kind: string;
  words: string;
  /** The confirmation token of the identifying-details check on the words. */
  confirmSafe: string;
}

export interface VerdictInput {
  ideaId: string;
  kind: VerdictKind;
  words: string;
  responseId: string | null;
}

const str = (v: unknown): string => (typeof v === "string" ? v : Array.isArray(v) && typeof v[0] === "string" ? v[0] : "");

/** The posted verdicts (or a draft's), strings only; keys that are not ids are dropped. */
export function verdictValues(raw: unknown): VerdictValue[] {
  if (!raw || typeof raw !== "object") return [];
  const out: VerdictValue[] = [];
  const entries = Array.isArray(raw) ? raw.map((v) => [str((v as Record<string, unknown>)?.ideaId), v] as const) : Object.entries(raw as Record<string, unknown>);
  for (const [ideaId, v] of entries) {
    if (out.length >= MAX_POSTED) break;
    const o = (v && typeof v === "object" ? v : {}) as Record<string, unknown>;
    out.push({ ideaId: String(ideaId), kind: str(o.kind), words: str(o.words), confirmSafe: str(o.confirmSafe) });
  }
  return out;
}

/** Nothing chosen and nothing typed: not recorded. */
const isBlank = (v: VerdictValue) => !v.kind && !v.words.trim();

export const wordsField = (ideaId: string) => `verdict-${ideaId}-words`;
export const kindField = (ideaId: string) => `verdict-${ideaId}-kind`;

/** The identifying-details check on each verdict's words (they may reach the boards). */
export function verdictChecks(key: CheckKey, values: VerdictValue[]): Record<string, FieldCheck> {
  const checks: Record<string, FieldCheck> = {};
  for (const v of values) {
    if (!isUuid(v.ideaId)) continue;
    const c = checkField(key, wordsField(v.ideaId), v.words.trim(), v.confirmSafe);
    if (c) checks[wordsField(v.ideaId)] = c;
  }
  return checks;
}

function shortText(text: string, max = 60): string {
  return text.length > max ? text.slice(0, max - 1).trimEnd() + "…" : text;
}

/**
 * Checks the verdicts against the session's report-back list. A verdict on an
 * idea that is not on the list (another group's, another practice's, one the
 * group may not see, or no idea at all) refuses the whole save: nothing is saved.
 */
export function validateVerdicts(values: VerdictValue[], list: ReportBack, checks: Record<string, FieldCheck>, errors: FieldErrors) {
  const onList = new Map(list.items.map((i) => [i.ideaId, i]));
  const verdicts: VerdictInput[] = [];
  const confirmations: { field: string; kinds: string[]; ideaId: string }[] = [];
  const seen = new Set<string>();
  for (const v of values) {
    if (isBlank(v)) continue;
    const item = onList.get(v.ideaId);
    if (!item || seen.has(v.ideaId)) {
      errors.verdicts ??= "A verdict was given on an idea that is not on this group's report-back list, so nothing was saved. Record verdicts only for the ideas listed under \"What the group said about the practice's answers\".";
      continue;
    }
    seen.add(v.ideaId);
    const what = `“${shortText(item.text)}”`;
    if (!(VERDICT_KINDS as readonly string[]).includes(v.kind)) {
      errors[kindField(v.ideaId)] = `Select what the group said about the answer to ${what}`;
      continue;
    }
    const words = v.words.trim();
    if (words.length > MAX_VERDICT_WORDS) {
      errors[wordsField(v.ideaId)] = `The group's words about ${what} must be 2,000 characters or fewer`;
      continue;
    }
    const check = checks[wordsField(v.ideaId)];
    if (check && !check.confirmed) {
      errors[wordsField(v.ideaId)] = checkMessage(`The group's words about ${what}`, check);
      continue;
    }
    if (check) confirmations.push({ field: check.field, kinds: check.kinds, ideaId: v.ideaId });
    verdicts.push({ ideaId: v.ideaId, kind: v.kind as VerdictKind, words, responseId: item.response?.id ?? null });
  }
  return { verdicts, confirmations };
}

/** Saves the verdicts of one session (inside the outcome's final save), with the audit trail. */
export async function recordVerdicts(
  tx: Prisma.TransactionClient,
  actor: { practiceId: string; userId: string },
  session: { id: string; groupId: string; startsAt: Date },
  verdicts: VerdictInput[],
  confirmations: { field: string; kinds: string[]; ideaId: string }[],
): Promise<void> {
  if (!verdicts.length) return;
  const rows = await tx.verdict.createManyAndReturn({
    data: verdicts.map((v) => ({
      practiceId: actor.practiceId, ideaId: v.ideaId, sessionId: session.id, groupId: session.groupId, kind: v.kind, words: v.words,
      responseId: v.responseId, saidAt: session.startsAt, createdById: actor.userId,
    })),
    select: { id: true, ideaId: true, kind: true },
  });
  for (const r of rows) {
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "verdict.create", entityType: "Verdict", entityId: r.id,
      details: { ideaId: r.ideaId, sessionId: session.id, kind: r.kind },
    });
  }
  if (confirmations.length) {
    await recordAudit(tx, {
      practiceId: actor.practiceId, actorId: actor.userId, action: "verdict.identifying-details-confirmed", entityType: "CommunitySession", entityId: session.id,
      details: { fields: confirmations.map((c) => ({ field: c.field, kinds: c.kinds, ideaId: c.ideaId })) },
    });
  }
}

/** The verdicts recorded at one session (the saved outcome's read-only view). */
export async function sessionVerdicts(db: Prisma.TransactionClient | import("../../generated/prisma/client.js").PrismaClient, practiceId: string, sessionId: string) {
  return db.verdict.findMany({
    where: { practiceId, sessionId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { id: true, kind: true, words: true, idea: { select: { id: true, text: true } } },
  });
}
