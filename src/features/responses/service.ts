// Responses ("we did"): append-only. There is no update or delete here, on
// purpose: a correction is a new response, and the timeline keeps them all.
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Tx } from "../../db/client.js";
import { alreadyCreated, rememberCreated, RESUBMIT_WINDOW_MS } from "../../lib/idempotency.js";
import type { Consent, IdeaStatus, Role, VerdictKind } from "../../generated/prisma/enums.js";
import { NotFoundError } from "../../lib/errors.js";
import type { FieldErrors } from "../../lib/forms.js";
import { invalid, ok, type Result } from "../../lib/result.js";
import { isUuid } from "../../lib/routing.js";
import { latestPublicResponse, reopeningVerdict } from "../../lib/visibility.js";
import { REOPENING_VERDICTS } from "../../lib/vocabulary.js";
import { recordAudit } from "../audit/service.js";
import { normaliseForCheck, type IdentifyingKind } from "../../lib/identifying-details.js";
import type { ResponseInput } from "./schemas.js";

export interface ResponseActor {
  id: string;
  role: Role;
}

/** Saved (or already saved by the same form), or refused by the rules of a reopened idea ("invalid", with field errors). */
export type CreateResponseResult = Result<{ created: true; responseId: string } | { created: false; responseId: string | null }, "invalid">;

// ---------------------------------------------------------------------------
// A response to a reopened idea (issue 18): the group's latest verdict is
// "partly" or "not yet", no public response has come since, and the idea's
// consent lets a public response reach the group (lib/visibility.ts
// reopeningVerdict: an idea narrowed to PRACTICE_ONLY is not reopened, since a
// public answer would reach nobody). The next response must say what changes:
//
// (a) It must be public. Only a public response reaches the group, and only a
//     public response closes the loop (reopened.ts): a staff-only note would
//     leave the group unanswered and the idea still reopened. No status
//     exempts it: every status (RECEIVED ... NOT_POSSIBLE) is one the group
//     can be told, and there is no status that is staff-only by nature, so a
//     staff-only note on a reopened idea waits until the public answer is saved.
// (b) Its text must not repeat the practice's latest public response (the
//     answer the group judged): compared after folding case, digits, Unicode
//     forms, whitespace and punctuation (comparableText), so "We will book
//     interpreters." and "we will  BOOK interpreters" are the same answer.
//     The status alone changing does not count: the words must say what changes.
//
// The route shows these before asking to confirm identifying details or the
// reading age (the text has to change anyway); createResponse checks them
// again in its transaction, against the idea as it is then (a verdict saved
// after the form was opened counts).

interface VerdictFacts { id: string; kind: VerdictKind; words: string; saidAt: Date; createdAt: Date }
interface ResponseFacts { id: string; text: string; status: IdeaStatus; isPublic: boolean; createdAt: Date }

/** What a response to a reopened idea answers: the group's verdict, and the practice's previous public response (null: none yet). */
export interface ReopenedContext {
  verdict: VerdictFacts;
  previous: ResponseFacts | null;
}

export const MUST_BE_PUBLIC = "Make this response public: the group said this is not answered yet, so it must be able to see what the practice does next";
export const SAY_WHAT_CHANGES = "Say what changes: this is the same as the practice's last answer";

/** The idea's reopening verdict and its previous public response, or null when the idea is not reopened. */
export function reopenedContext(idea: { consent: Consent; responses: ResponseFacts[]; verdicts?: VerdictFacts[] }): ReopenedContext | null {
  const verdict = reopeningVerdict(idea);
  return verdict ? { verdict, previous: latestPublicResponse(idea.responses) ?? null } : null;
}

/** A text as the repeat check compares it: NFKC, digits folded, lower case, only letters, marks and digits (no whitespace, punctuation or symbols). */
export function comparableText(text: string): string {
  return normaliseForCheck(text).text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}]+/gu, "");
}

/** Field errors of a response to a reopened idea ({} when the idea is not reopened or the response says what changes). */
export function reopenedResponseErrors(context: ReopenedContext | null, input: { text: string; isPublic: boolean }): FieldErrors {
  if (!context) return {};
  const errors: FieldErrors = {};
  if (!input.isPublic) errors.isPublic = MUST_BE_PUBLIC;
  if (context.previous && comparableText(input.text) === comparableText(context.previous.text)) errors.text = SAY_WHAT_CHANGES;
  return errors;
}

/** reopenedContext, read inside a transaction: the idea's latest verdict and latest public response (two indexed reads); `consent` as the idea is now. */
async function reopenedContextIn(tx: Tx, practiceId: string, ideaId: string, consent: Consent): Promise<ReopenedContext | null> {
  const verdict = await tx.verdict.findFirst({
    where: { practiceId, ideaId, kind: { not: "NOT_DISCUSSED" } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, kind: true, words: true, saidAt: true, createdAt: true },
  });
  if (!verdict || !REOPENING_VERDICTS.includes(verdict.kind)) return null;
  const previous = await tx.response.findFirst({
    where: { practiceId, ideaId, isPublic: true },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, text: true, status: true, isPublic: true, createdAt: true },
  });
  return reopenedContext({ consent, responses: previous ? [previous] : [], verdicts: [verdict] });
}

/** A new response that repeats the idea's latest one: same author, status, text, target date and visibility, within RESUBMIT_WINDOW_MS. */
export function isResubmit(
  latest: { authorId: string | null; status: IdeaStatus; text: string; targetDate: Date | null; isPublic: boolean; createdAt: Date },
  actor: { id: string }, input: ResponseInput, now: Date,
): boolean {
  return latest.authorId === actor.id && latest.status === input.status && latest.text === input.text && latest.isPublic === input.isPublic
    && (latest.targetDate?.getTime() ?? null) === (input.targetDate?.getTime() ?? null)
    && ageWithin(now.getTime() - latest.createdAt.getTime());
}

/** Made at most RESUBMIT_WINDOW_MS before (never after: a response dated later, e.g. by a test's clock, is not this one). */
function ageWithin(ms: number): boolean {
  return ms >= 0 && ms < RESUBMIT_WINDOW_MS;
}

/**
 * Adds a response and brings the idea up to date, in one transaction:
 * the idea's status becomes this status; firstResponseAt is set once;
 * doneAt is set when DONE (and cleared if the idea is reopened);
 * publicUpdatedAt moves when a public response is added to a published idea.
 * `formId` (a uuid from the form) makes a double submit a no-op (lib/idempotency.ts); so does the same
 * response by the same author submitted again after Back (a new formId; isResubmit).
 * A response to a reopened idea that breaks the rules above is refused
 * (`invalid`, field errors) before anything is written.
 * `auditDetails` are added to the response.create audit event (e.g. a confirmed reading age);
 * `confirmedKinds`, identifying details the manager confirmed in a public text,
 * get their own audit event in the same transaction.
 */
export async function createResponse(
  prisma: PrismaClient,
  practiceId: string,
  ideaId: string,
  actor: ResponseActor,
  input: ResponseInput,
  formId: string,
  now = new Date(),
  auditDetails: Record<string, unknown> = {},
  confirmedKinds?: IdentifyingKind[],
): Promise<CreateResponseResult> {
  if (!isUuid(ideaId)) throw new NotFoundError();
  return prisma.$transaction(async (tx) => {
    // Serialise responses to one idea, so two identical submits cannot both pass the check below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${ideaId}))`;
    const idea = await tx.idea.findFirst({ where: { id: ideaId, practiceId }, select: { id: true, firstResponseAt: true, doneAt: true, publishedAt: true, status: true, consent: true } });
    if (!idea) throw new NotFoundError();
    const previous = await alreadyCreated(tx, practiceId, "response.create", formId);
    if (previous) return ok({ created: false as const, responseId: previous });
    // Back, then "Add response" again (a new formId, the same words restored by the browser): the idea's
    // latest response, by the same author, identical, within RESUBMIT_WINDOW_MS, is that response (lib/idempotency.ts).
    const latest = await tx.response.findFirst({
      where: { practiceId, ideaId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      select: { id: true, authorId: true, status: true, text: true, targetDate: true, isPublic: true, createdAt: true },
    });
    if (latest && isResubmit(latest, actor, input, now)) {
      await rememberCreated(tx, practiceId, "response.create", formId, latest.id);
      return ok({ created: false as const, responseId: latest.id });
    }
    const reopened = await reopenedContextIn(tx, practiceId, ideaId, idea.consent);
    const errors = reopenedResponseErrors(reopened, input);
    if (Object.keys(errors).length) return invalid(errors);
    const response = await tx.response.create({
      data: {
        practiceId, ideaId, status: input.status, text: input.text, targetDate: input.targetDate, isPublic: input.isPublic,
        authorId: actor.id, authorRole: actor.role, createdAt: now,
      },
    });
    await rememberCreated(tx, practiceId, "response.create", formId, response.id);
    await tx.idea.update({
      where: { id: ideaId },
      data: {
        status: input.status,
        firstResponseAt: idea.firstResponseAt ?? now,
        doneAt: input.status === "DONE" ? idea.doneAt ?? now : null,
        ...(input.isPublic && idea.publishedAt ? { publicUpdatedAt: now } : {}),
        version: { increment: 1 },
      },
    });
    await recordAudit(tx, {
      practiceId, actorId: actor.id, action: "response.create", entityType: "Response", entityId: response.id,
      details: {
        formId, ideaId, status: input.status, isPublic: input.isPublic, previous: { ideaStatus: idea.status },
        ...(reopened ? { answersVerdict: { id: reopened.verdict.id, kind: reopened.verdict.kind } } : {}), ...auditDetails,
      },
    });
    if (confirmedKinds) {
      await recordAudit(tx, {
        practiceId, actorId: actor.id, action: "response.identifying-details-confirmed", entityType: "Response", entityId: response.id,
        details: { ideaId, kinds: confirmedKinds },
      });
    }
    return ok({ created: true as const, responseId: response.id });
  });
}
