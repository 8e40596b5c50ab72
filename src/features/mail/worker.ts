// The mail worker: pg-boss on the app's own pg pool (so on the embedded
// database it shares the one connection; pg-boss polls and needs no LISTEN
// connection), sending queued messages with retries and back-off, and the two
// scheduled scans (reminders every 15 minutes, the digest on Monday mornings).
// Several app processes may each run one: a job is fetched by exactly one of
// them (SELECT ... FOR UPDATE SKIP LOCKED), and a message already marked sent
// is never sent again.
import { setTimeout as sleep } from "node:timers/promises";
import PgBoss from "pg-boss";
import type pg from "pg";
import type { PrismaClient } from "../../generated/prisma/client.js";
import type { Logger } from "../../logger.js";
import {
  digestMail, invitationMail, reminderMail, sessionCancelledMail, sessionChangedMail, sessionUnassignedMail, type Composed,
} from "./compose.js";
import { BOSS_SCHEMA, DIGEST_QUEUE, REMINDER_QUEUE, SEND_QUEUE, type BossDb } from "./queue.js";
import {
  digestCounts, invitationStillUsable, markAttemptFailed, markSent, markSkipped, messageForSending, queueDueReminders,
  queueWeeklyDigests, recipient, sessionForMail, type MessageForSending,
} from "./service.js";
import type { Transport } from "./transport.js";

export interface MailWorkerOptions {
  prisma: PrismaClient;
  pool: pg.Pool;
  transport: Transport;
  /** Origin of the links in e-mails (config.publicUrl). */
  publicUrl: string;
  logger: Logger;
  /** How often an idle worker looks for work (seconds; pg-boss's minimum is 0.5). */
  pollingIntervalSeconds?: number;
  /** Run the cron schedules (reminders, digest); default true. */
  schedule?: boolean;
}

export interface MailWorker {
  boss: PgBoss;
  /** Stops fetching, waits (up to timeoutMs) for sends in flight. */
  stop(timeoutMs?: number): Promise<void>;
}

/** pg-boss on an existing pool: the app's, shared with Prisma and the session store. */
export function poolDb(pool: pg.Pool): BossDb {
  return { executeSql: (text, values) => pool.query(text, values as unknown[]) };
}

const ROLE_NAMES: Record<string, string> = { MANAGER: "practice manager", FACILITATOR: "facilitator", VIEWER: "read-only user" };

type Outcome = { send: Composed } | { skip: string };

/** What to send for one message now, or why not. */
async function compose(o: MailWorkerOptions, m: MessageForSending, who: NonNullable<Awaited<ReturnType<typeof recipient>>>): Promise<Outcome> {
  const params = (m.params ?? {}) as Record<string, string>;
  const base = o.publicUrl;
  const practiceName = m.practice.name;
  if (m.kind === "INVITATION") {
    const expiresAt = new Date(params.expiresAt ?? 0);
    if (!params.token || !(await invitationStillUsable(o.prisma, m.practiceId, m.userId, expiresAt))) return { skip: "the invitation was used, replaced or has expired" };
    return { send: invitationMail({ practiceName, link: `${base}/invitations/${params.token}`, expiresAt, roleName: ROLE_NAMES[params.role ?? ""] ?? "member" }) };
  }
  if (!who.active) return { skip: "the person is no longer an active member of the practice" };
  if (m.kind === "WEEKLY_DIGEST") {
    if (!who.emailDigest) return { skip: "the person turned the weekly summary off" };
    if (who.role !== "MANAGER") return { skip: "the person is no longer a manager" };
    const counts = await digestCounts(o.prisma, m.practiceId);
    if (counts.overdueIdeas === 0 && counts.awaitingOutcome === 0) return { skip: "nothing overdue and no outcome waiting this week" };
    return { send: digestMail({ practiceName, base, ...counts }) };
  }
  const session = await sessionForMail(o.prisma, m.practiceId, params.sessionId ?? "");
  if (!session) return { skip: "the session no longer exists" };
  if (m.kind === "SESSION_CHANGED" && params.removed === "yes") {
    // Taken off the session by an edit: told whatever their reminder choice (a change notice), unless assigned again since.
    if (session.facilitatorIds.includes(m.userId)) return { skip: "the person was assigned to the session again" };
    return { send: sessionUnassignedMail({ practiceName, session: session.facts, base }) };
  }
  if (!session.facilitatorIds.includes(m.userId)) return { skip: "the person is no longer assigned to the session" };
  if (m.kind === "SESSION_REMINDER") {
    if (!who.emailReminders) return { skip: "the person turned reminders off" };
    if (session.facts.status !== "SCHEDULED" || session.facts.startsAt.toISOString() !== params.startsAt) return { skip: "the session was moved, cancelled or postponed since" };
    if (session.facts.startsAt.getTime() <= Date.now()) return { skip: "the session has started" };
    return { send: reminderMail({ practiceName, session: session.facts, base }) };
  }
  if (m.kind === "SESSION_CHANGED") {
    return { send: sessionChangedMail({ practiceName, session: session.facts, base, changed: (params.changed ?? "").split(", ").filter(Boolean) }) };
  }
  // The status the notice was queued for (queueSessionStatusNotice): cancelled or postponed.
  const status = params.status === "CANCELLED" || params.status === "POSTPONED" ? params.status : session.facts.status;
  return { send: sessionCancelledMail({ practiceName, session: { ...session.facts, status }, base }) };
}

/** Sends one queued message; throws (so the queue retries) when the transport fails. */
export async function deliver(o: MailWorkerOptions, messageId: string, attempt: { retryCount: number; retryLimit: number }): Promise<void> {
  const m = await messageForSending(o.prisma, messageId);
  if (!m || m.status !== "QUEUED") return; // already sent, skipped or given up: never twice
  const who = await recipient(o.prisma, m.practiceId, m.userId);
  if (!who) return markSkipped(o.prisma, m.id, "the person is no longer a member of the practice");
  const outcome = await compose(o, m, who);
  if ("skip" in outcome) {
    o.logger.info({ messageId: m.id, kind: m.kind }, `mail not sent: ${outcome.skip}`);
    return markSkipped(o.prisma, m.id, outcome.skip);
  }
  const { subject, text, headers, attachments } = outcome.send;
  try {
    await o.transport.send(m.id, { to: who.email, subject, text, headers: { ...headers, "X-PPG-Message-Id": m.id }, attachments });
  } catch (err) {
    const final = attempt.retryCount >= attempt.retryLimit;
    const message = (err as Error).message;
    await markAttemptFailed(o.prisma, m.id, message, final);
    // The address is not logged: the message id finds it for a manager.
    o.logger[final ? "error" : "warn"]({ messageId: m.id, kind: m.kind, attempt: attempt.retryCount + 1, final }, `mail not sent: ${message}`);
    throw err;
  }
  await markSent(o.prisma, m.id, { toAddress: who.email, subject });
  o.logger.info({ messageId: m.id, kind: m.kind, via: o.transport.kind }, "mail sent");
}

export async function startMailWorker(o: MailWorkerOptions): Promise<MailWorker> {
  const boss = new PgBoss({
    schema: BOSS_SCHEMA,
    db: poolDb(o.pool),
    // The schema comes with the app's migrations; pg-boss updates it only if a newer version needs it.
    migrate: true,
    supervise: true,
    schedule: o.schedule ?? true,
  });
  boss.on("error", (err: Error) => o.logger.warn({ err: err.message }, "mail queue error"));
  await boss.start();
  // The migration made the queues; a database restored from elsewhere gets them here (never changed if present).
  await boss.createQueue(SEND_QUEUE, { name: SEND_QUEUE, policy: "standard", retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 300, retentionMinutes: 20_160 });
  await boss.createQueue(REMINDER_QUEUE, { name: REMINDER_QUEUE, policy: "standard", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 });
  await boss.createQueue(DIGEST_QUEUE, { name: DIGEST_QUEUE, policy: "standard", retryLimit: 2, retryDelay: 300, retryBackoff: true, expireInSeconds: 600 });
  const pollingIntervalSeconds = o.pollingIntervalSeconds ?? 5;
  // Sends in flight: stop() waits for them, so none outlives the database pool.
  const inFlight = new Set<Promise<void>>();
  await boss.work<{ messageId: string }>(
    SEND_QUEUE,
    { batchSize: 1, includeMetadata: true, pollingIntervalSeconds },
    async ([job]) => {
      if (!job) return;
      const p = deliver(o, job.data.messageId, { retryCount: job.retryCount, retryLimit: job.retryLimit });
      inFlight.add(p);
      try {
        await p;
      } finally {
        inFlight.delete(p);
      }
    },
  );
  // The scans start from cron, so a slow look for their jobs costs nothing (and spares the embedded connection).
  await boss.work(REMINDER_QUEUE, { pollingIntervalSeconds: Math.max(pollingIntervalSeconds, 30) }, async () => {
    const n = await queueDueReminders(o.prisma);
    if (n) o.logger.info({ count: n }, "session reminders queued");
  });
  await boss.work(DIGEST_QUEUE, { pollingIntervalSeconds: Math.max(pollingIntervalSeconds, 30) }, async () => {
    const n = await queueWeeklyDigests(o.prisma);
    if (n) o.logger.info({ count: n }, "weekly digests queued");
  });
  if (o.schedule ?? true) {
    await boss.schedule(REMINDER_QUEUE, "*/15 * * * *", undefined, { tz: "Europe/London" });
    await boss.schedule(DIGEST_QUEUE, "0 8 * * 1", undefined, { tz: "Europe/London" });
  }
  return {
    boss,
    async stop(timeoutMs = 10_000) {
      await boss.stop({ graceful: true, timeout: timeoutMs, wait: true, close: false });
      // A fetch that was under way when stop() began can still start a send: let it finish (and record it).
      const deadline = Date.now() + timeoutMs;
      while (inFlight.size > 0 && Date.now() < deadline) {
        await Promise.race([Promise.allSettled([...inFlight]), sleep(100)]);
        await sleep(50); // pg-boss then marks the job completed or failed
      }
    },
  };
}
