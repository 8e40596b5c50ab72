// Putting an e-mail on the queue: a MailMessage row (what, to whom) and a
// pg-boss job carrying its id, written in the caller's transaction, so a change
// and its e-mail are committed together or not at all. The worker (worker.ts)
// sends it later; nothing here talks to a mail server.
import PgBoss from "pg-boss";
import type { Prisma } from "../../generated/prisma/client.js";
import type { MailKind } from "../../generated/prisma/enums.js";

export const SEND_QUEUE = "mail-send";
export const REMINDER_QUEUE = "mail-reminders";
export const DIGEST_QUEUE = "mail-digest";
export const BOSS_SCHEMA = "pgboss";

/** What pg-boss calls a database: one function that runs a statement. */
export interface BossDb {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

type Tx = Prisma.TransactionClient;

/** pg-boss statements run in a Prisma transaction (objects go as JSON text, as node-pg would send them). */
export function txDb(tx: Tx): BossDb {
  return {
    async executeSql(text, values = []) {
      const args = values.map((v) => (v === undefined ? null : v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v));
      return { rows: await tx.$queryRawUnsafe<unknown[]>(text, ...args) };
    },
  };
}

// Only used to build jobs; every call passes the transaction's db, so this one is never opened.
const builder = new PgBoss({
  schema: BOSS_SCHEMA,
  db: {
    executeSql: () => Promise.reject(new Error("mail queue: send without a transaction")),
  },
});

export interface MailRequest {
  practiceId: string;
  /** The recipient: a user of the practice. Their address and preferences are read when sending. */
  userId: string;
  kind: MailKind;
  params?: Record<string, string | number | boolean | null>;
  /** Queued at most once per key (reminders, digests). */
  dedupKey?: string;
}

/** Queues e-mails in the caller's transaction; returns how many were new (a dedupKey seen before is skipped). */
export async function queueMail(tx: Tx, requests: MailRequest[]): Promise<number> {
  if (requests.length === 0) return 0;
  const created = await tx.mailMessage.createManyAndReturn({
    data: requests.map((r) => ({ practiceId: r.practiceId, userId: r.userId, kind: r.kind, params: r.params ?? {}, dedupKey: r.dedupKey ?? null })),
    skipDuplicates: true,
    select: { id: true },
  });
  if (created.length === 0) return 0;
  await queueSendJobs(tx, created.map((m) => m.id));
  return created.length;
}

/** A send job for each message, in the caller's transaction. */
export async function queueSendJobs(tx: Tx, messageIds: string[]): Promise<void> {
  await builder.insert(
    messageIds.map((messageId) => ({ name: SEND_QUEUE, data: { messageId } })),
    { db: txDb(tx) } as PgBoss.InsertOptions,
  );
}
