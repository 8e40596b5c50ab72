// Nothing saved twice on a double submit. Create forms carry a hidden `formId`
// (a uuid made when the form was shown). In the create's transaction,
// `alreadyCreated` claims (practiceId, formId, action) in the IdempotencyKey
// table, whose primary key starts with practiceId: a unique-index lookup, not a
// scan of the audit log. The first submit claims it and returns undefined (go
// ahead, then `rememberCreated`); a second submit of the same form gets the id
// of the record the first one made. Two submits at the same moment: the second
// INSERT waits on the first's uncommitted key, then sees it (or, if the first
// rolled back, claims it itself).
//
// Browser Back, then the same form saved again, is not caught by the formId:
// staff pages are `Cache-Control: no-store` (middleware/flash.ts; they must not
// be kept on a shared computer's disk or shown again after sign-out), so Back
// fetches the form again and the server renders a new formId, while Chrome's
// form restoration puts the typed text back but not the hidden formId (Blink
// restores a hidden input only when script changed it). A formId derived from
// something stable cannot help: the second GET comes after the first save, so
// whatever it derives from (the idea's version, the user) has either moved on or
// would block every later response. So the creates where that happened are
// also checked by what they hold: a new response identical to the idea's latest
// one by the same author (responses/service.ts), a new session with the same
// group, start and title made by the same user (sessions/service.ts), within
// RESUBMIT_WINDOW_MS, is the earlier one: nothing is saved and the user lands
// on it. Outside the window, saying the same again is a deliberate act (a
// manager restating "still in progress" weeks later) and is saved.
import crypto from "node:crypto";
import type { Prisma } from "../generated/prisma/client.js";
import { isUuid } from "./routing.js";

type Tx = Prisma.TransactionClient;

/** How long an identical create by the same person counts as the same form submitted again (Back, then save): 30 minutes. */
export const RESUBMIT_WINDOW_MS = 30 * 60e3;

/** The id made by an earlier submit of this form, or undefined when this submit is the first (the key is now claimed). */
export async function alreadyCreated(tx: Tx, practiceId: string, action: string, formId: string | undefined): Promise<string | undefined> {
  if (!formId || !isUuid(formId)) return undefined;
  const claimed = await tx.$queryRaw<{ claimed: number }[]>`
    insert into "IdempotencyKey" ("practiceId", "formId", "action") values (${practiceId}::uuid, ${formId}::uuid, ${action})
    on conflict do nothing returning 1 as claimed`;
  if (claimed.length > 0) return undefined;
  const earlier = await tx.idempotencyKey.findUnique({
    where: { practiceId_formId_action: { practiceId, formId, action } },
    select: { entityId: true },
  });
  return earlier?.entityId ?? undefined;
}

/** Records what the first submit made, in the same transaction that claimed the key. */
export async function rememberCreated(tx: Tx, practiceId: string, action: string, formId: string | undefined, entityId: string): Promise<void> {
  if (!formId || !isUuid(formId)) return;
  await tx.idempotencyKey.update({ where: { practiceId_formId_action: { practiceId, formId, action } }, data: { entityId } });
}

/**
 * The id an earlier submit of this form made, read without claiming the key: for an update
 * whose row is the lock (a second submit waits for the first, finds the version moved on,
 * then finds the first one's key here; sessions/edit.ts).
 */
export async function earlierSubmit(tx: Tx, practiceId: string, action: string, formId: string | undefined): Promise<string | undefined> {
  if (!formId || !isUuid(formId)) return undefined;
  const earlier = await tx.idempotencyKey.findUnique({ where: { practiceId_formId_action: { practiceId, formId, action } }, select: { entityId: true } });
  return earlier?.entityId ?? undefined;
}

/** The formId a form posted, when it is a uuid. */
export function formIdOf(body: unknown): string | undefined {
  const v = (body as Record<string, unknown> | undefined)?.formId;
  return isUuid(v) ? v : undefined;
}

/** The formId to render a create form with: the one it posted (shown again after an error), or a new one. */
export function formIdFor(body?: unknown): string {
  return formIdOf(body) ?? crypto.randomUUID();
}
