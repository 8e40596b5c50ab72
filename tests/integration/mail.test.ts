// E-mail (issue 19): queued in Postgres with the change that causes it, sent by
// the pg-boss worker to a real SMTP server started here, read back with
// mailparser. Content and headers, nothing about participants, exactly once
// with two workers, retries after refusals, failure after the last retry,
// opt-outs, the outbox folder without SMTP_URL, and the account page choices.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../src/generated/prisma/client.js";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, csrfTokenIn, signInAs, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { makeGroup, makeSession } from "../helpers/sessions.js";
import { eventually, startSmtp, type TestSmtp } from "../helpers/smtp.js";
import { queueMail, SEND_QUEUE } from "../../src/features/mail/queue.js";
import { queueDueReminders, queueWeeklyDigests } from "../../src/features/mail/service.js";
import { createTransport } from "../../src/features/mail/transport.js";
import { startMailWorker, type MailWorker } from "../../src/features/mail/worker.js";
import { changeStatus, getSession, updateSession } from "../../src/features/sessions/service.js";
import type { SessionInput } from "../../src/features/sessions/schemas.js";

const PUBLIC_URL = "https://ppg.example.nhs.uk";
const FROM = "PPG workspace <ppg@example.nhs.uk>";
const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

let smtp: TestSmtp;
let ctx: TestContext;
let a: PracticeFixture;
const workers: MailWorker[] = [];

async function startWorker(opts: { c?: TestContext; outboxDir?: string; pool?: pg.Pool; prisma?: PrismaClient } = {}): Promise<MailWorker> {
  const c = opts.c ?? ctx;
  const transport = createTransport({ smtpUrl: opts.outboxDir ? undefined : smtp.url, from: FROM, outboxDir: opts.outboxDir ?? "/nonexistent" });
  const w = await startMailWorker({ prisma: opts.prisma ?? c.prisma, pool: opts.pool ?? c.db.pool, transport, publicUrl: PUBLIC_URL, logger, pollingIntervalSeconds: 0.5, schedule: false });
  workers.push(w);
  return w;
}

async function stopWorkers() {
  await Promise.all(workers.splice(0).map((w) => w.stop(5_000)));
}

/** Fast retries for the test: two, one second apart (the queue's defaults are 8 with back-off from 60 s). */
async function fastRetries(c: TestContext = ctx) {
  await c.db.pool.query("update pgboss.queue set retry_limit = 2, retry_delay = 1, retry_backoff = false where name = $1", [SEND_QUEUE]);
}

const messagesTo = (email: string) => smtp.received.filter((r) => r.mail.to && "text" in r.mail.to && r.mail.to.text.includes(email));

async function statusOf(id: string) {
  return (await ctx.prisma.mailMessage.findUniqueOrThrow({ where: { id } })).status;
}

beforeAll(async () => {
  smtp = await startSmtp();
  ctx = await createTestContext({ PUBLIC_URL, SMTP_URL: smtp.url, MAIL_FROM: FROM, MAIL_WORKER: "false" });
  a = await createPracticeWithStaff(ctx.prisma, "Mail Practice");
  await fastRetries();
});
afterEach(async () => {
  await stopWorkers();
  smtp.refuse(0);
});
afterAll(async () => {
  await stopWorkers();
  await ctx?.close();
  await smtp?.close();
});

describe("invitations", () => {
  it("queues the e-mail with the invitation, sends it with the link and expiry, and the manager still sees the link", async () => {
    const { agent, csrf } = await signInAs(ctx.app, a.manager.email, a.manager.password);
    const email = `new-${crypto.randomBytes(3).toString("hex")}@example.test`;
    const res = await agent.post("/users").type("form").send({ _csrf: csrf, formId: crypto.randomUUID(), name: "Sam Example", email, role: "FACILITATOR" });
    expect(res.status).toBe(303);
    const page = await agent.get(String(res.headers.location));
    const link = page.text.match(/https:\/\/ppg\.example\.nhs\.uk\/invitations\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();
    // Queued in the same transaction: there before any worker runs.
    const queued = await ctx.prisma.mailMessage.findFirstOrThrow({ where: { practiceId: a.practice.id, kind: "INVITATION", params: { path: ["role"], equals: "FACILITATOR" } }, orderBy: { createdAt: "desc" } });
    expect(queued.status).toBe("QUEUED");

    await startWorker();
    const [got] = await eventually(() => (messagesTo(email).length ? messagesTo(email) : undefined));
    const mail = got!.mail;
    expect(mail.from?.value[0]).toMatchObject({ name: "PPG workspace", address: "ppg@example.nhs.uk" });
    expect(mail.subject).toBe(`You are invited to join ${a.practice.name} on the Patient Participation Group workspace`);
    expect(mail.text).toContain(link);
    expect(mail.text).toMatch(/The link works once, until \w+day \d{1,2} \w+ \d{4} at \d{1,2}:\d\d[ap]m \(UK time\)/);
    expect(mail.html).toBe(false); // plain text only
    expect(mail.headers.get("message-id")).toBeTruthy();
    expect(mail.headers.get("x-ppg-message-id")).toBe(queued.id);
    const sent = await eventually(async () => {
      const m = await ctx.prisma.mailMessage.findUniqueOrThrow({ where: { id: queued.id } });
      return m.status === "SENT" ? m : undefined;
    });
    expect(sent.toAddress).toBe(email);
    // The token is not kept once the e-mail is sent.
    expect(JSON.stringify(sent.params)).not.toContain(link!.split("/").pop());
  });
});

describe("sessions: reminders, changes and cancellations", () => {
  let session: Awaited<ReturnType<typeof makeSession>>;
  let optedOut: PracticeFixture["facilitator"];

  beforeAll(async () => {
    const other = await createPracticeWithStaff(ctx.prisma, "Second");
    // A facilitator of this practice who turned reminders off.
    const u = await ctx.prisma.user.create({ data: { email: `quiet-${crypto.randomBytes(3).toString("hex")}@example.test`, name: "Quiet", emailReminders: false } });
    await ctx.prisma.membership.create({ data: { practiceId: a.practice.id, userId: u.id, role: "FACILITATOR", acceptedAt: new Date() } });
    optedOut = { id: u.id, email: u.email, password: "", role: "FACILITATOR" };
    void other;
    const group = await makeGroup(ctx.prisma, a.practice.id, { name: "Walking group" });
    session = await makeSession(ctx.prisma, a.practice.id, group.id, {
      startsAt: new Date(Date.now() + 36 * 3600e3), title: "Spring listening session", facilitatorIds: [a.facilitator.id, optedOut.id],
    });
  });

  it("reminds assigned facilitators within two days, once, with the briefing link and the calendar file; an opted-out one gets nothing", async () => {
    expect(await queueDueReminders(ctx.prisma)).toBe(2);
    expect(await queueDueReminders(ctx.prisma)).toBe(0); // once per session, person and start time
    await startWorker();
    const [got] = await eventually(() => (messagesTo(a.facilitator.email).some((m) => m.mail.subject?.startsWith("Reminder")) ? messagesTo(a.facilitator.email) : undefined));
    const mail = got!.mail;
    expect(mail.subject).toMatch(/^Reminder: Spring listening session on \w+day \d{1,2} \w+ \d{4}$/);
    expect(mail.text).toContain(`${PUBLIC_URL}/sessions/${session.id}`);
    expect(mail.text).toContain("Walking group");
    expect(mail.headers.get("auto-submitted")).toBe("auto-generated");
    const ics = mail.attachments.find((x) => x.contentType.startsWith("text/calendar"));
    expect(ics?.content.toString()).toContain(`UID:${session.id}@ppg-coproduction`);
    // The very event the briefing's download gives (calendar/ics.ts): same UID, SEQUENCE, UTC times; only the stamp of making it differs.
    const staff = await signInAs(ctx.app, a.manager.email, a.manager.password);
    const download = await staff.agent.get(`/sessions/${session.id}.ics`);
    expect(download.status).toBe(200);
    const unstamped = (file: string) => file.replace(/\r?\nDTSTAMP:[^\r\n]*/, "");
    expect(unstamped(ics!.content.toString())).toBe(unstamped(download.text));
    expect(ics?.filename).toBe(/filename="([^"]+)"/.exec(String(download.headers["content-disposition"]))![1]);
    const skipped = await eventually(async () => {
      const m = await ctx.prisma.mailMessage.findFirst({ where: { userId: optedOut.id, kind: "SESSION_REMINDER" } });
      return m?.status === "SKIPPED" ? m : undefined;
    });
    expect(skipped.lastError).toMatch(/turned reminders off/);
    expect(messagesTo(optedOut.email)).toHaveLength(0);
  });

  it("tells the other assigned facilitators when a session is moved, then when it is cancelled, without the reason, and the one taken off that they are no longer assigned", async () => {
    const before = await getSession(ctx.prisma, a.practice.id, session.id);
    const { id: _i, practiceId: _p, group: _g, partner: _pa, facilitators: _f, outcome: _o, version: _v, status: _s, statusReason: _r, createdAt: _c, updatedAt: _u, ...columns } = before;
    const input = {
      ...columns, facilitatorIds: [a.facilitator.id], venueName: "Community hall",
      startsAt: new Date(before.startsAt.getTime() + 3600e3), endsAt: new Date(before.endsAt.getTime() + 3600e3),
    } as unknown as SessionInput;
    expect(await updateSession(ctx.prisma, a.practice.id, a.manager.id, before, before.version, input)).toEqual({ ok: true });
    const moved = await getSession(ctx.prisma, a.practice.id, session.id);
    expect(await changeStatus(ctx.prisma, a.practice.id, a.manager.id, moved, moved.version, "CANCELLED", "Venue flooded; contact Jane on 07700 900123")).toEqual({ ok: true });
    await startWorker();
    const mails = await eventually(() => {
      const m = messagesTo(a.facilitator.email).filter((x) => /^(Changed|Cancelled):/.test(x.mail.subject ?? ""));
      return m.length === 2 ? m : undefined;
    });
    const changed = mails.find((m) => m.mail.subject!.startsWith("Changed"))!.mail;
    expect(changed.text).toContain("(time, place)");
    expect(changed.text).toContain("Community hall");
    const cancelled = mails.find((m) => m.mail.subject!.startsWith("Cancelled"))!.mail;
    expect(cancelled.text).toContain(`${PUBLIC_URL}/sessions/${session.id}`);
    expect(cancelled.text).not.toContain("Jane");
    expect(cancelled.text).not.toContain("07700");
    expect(cancelled.attachments[0]?.content.toString()).toContain("STATUS:CANCELLED");
    // The person who made the change is not told about it.
    expect(messagesTo(a.manager.email).filter((x) => /^(Changed|Cancelled):/.test(x.mail.subject ?? ""))).toHaveLength(0);
    // The facilitator the edit took off is told once that they are no longer assigned (though they turned reminders off),
    // without the briefing link, the reason or anything of the ideas; not of the move or the cancellation.
    const [removed] = await eventually(() => {
      const m = messagesTo(optedOut.email);
      return m.length > 0 ? m : undefined;
    });
    expect(removed!.mail.subject).toMatch(/^Changed: you are no longer assigned to Spring listening session on \w+day \d{1,2} \w+ \d{4}$/);
    expect(removed!.mail.text).toContain("You are no longer assigned to a protected community session with Walking group");
    expect(removed!.mail.text).not.toContain(`/sessions/${session.id}`);
    expect(removed!.mail.text).not.toContain("07700");
    expect(removed!.mail.attachments).toHaveLength(0);
    const toRemoved = await ctx.prisma.mailMessage.findMany({ where: { userId: optedOut.id, kind: { in: ["SESSION_CHANGED", "SESSION_CANCELLED"] } } });
    expect(toRemoved.map((m) => [m.kind, m.status, m.params])).toEqual([["SESSION_CHANGED", "SENT", { sessionId: session.id, removed: "yes" }]]);
    expect(messagesTo(optedOut.email)).toHaveLength(1);
  });

  it("does not tell a facilitator taken off a session who was assigned to it again before the e-mail went", async () => {
    const group = await makeGroup(ctx.prisma, a.practice.id, { name: "Back again group" });
    const s = await makeSession(ctx.prisma, a.practice.id, group.id, {
      startsAt: new Date(Date.now() + 10 * 24 * 3600e3), title: "Autumn listening session", facilitatorIds: [a.facilitator.id, optedOut.id],
    });
    const edit = async (facilitatorIds: string[]) => {
      const before = await getSession(ctx.prisma, a.practice.id, s.id);
      const { id: _i, practiceId: _p, group: _g, partner: _pa, facilitators: _f, outcome: _o, version: _v, status: _s, statusReason: _r, createdAt: _c, updatedAt: _u, ...columns } = before;
      expect(await updateSession(ctx.prisma, a.practice.id, a.manager.id, before, before.version, { ...columns, facilitatorIds } as unknown as SessionInput)).toEqual({ ok: true });
    };
    await edit([a.facilitator.id]);
    await edit([a.facilitator.id, optedOut.id]);
    await startWorker();
    const skipped = await eventually(async () => {
      const m = await ctx.prisma.mailMessage.findFirst({ where: { userId: optedOut.id, kind: "SESSION_CHANGED", params: { path: ["sessionId"], equals: s.id } } });
      return m?.status === "SKIPPED" ? m : undefined;
    });
    expect(skipped.lastError).toMatch(/assigned to the session again/);
    expect(messagesTo(optedOut.email).filter((x) => x.mail.subject?.includes("Autumn listening session"))).toHaveLength(0);
  });
});

describe("the weekly digest", () => {
  it("goes to managers with counts and links only (no idea text), once a week, and not to one who turned it off", async () => {
    const p = await createPracticeWithStaff(ctx.prisma, "Digest");
    const quiet = await ctx.prisma.user.create({ data: { email: `quiet-manager-${crypto.randomBytes(3).toString("hex")}@example.test`, name: "Quiet manager", emailDigest: false } });
    await ctx.prisma.membership.create({ data: { practiceId: p.practice.id, userId: quiet.id, role: "MANAGER", acceptedAt: new Date() } });
    const group = await makeGroup(ctx.prisma, p.practice.id, { name: "Digest group" });
    const past = await makeSession(ctx.prisma, p.practice.id, group.id, { startsAt: new Date(Date.now() - 10 * 864e5), status: "SCHEDULED", facilitatorIds: [p.facilitator.id] });
    const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: p.practice.id } });
    await ctx.prisma.idea.create({
      data: { practiceId: p.practice.id, sessionId: past.id, groupId: group.id, themeId: theme.id, text: "Secret words from the room", consent: "PRACTICE_ONLY", dueAt: new Date(Date.now() - 864e5) },
    });
    const first = await queueWeeklyDigests(ctx.prisma);
    expect(first).toBeGreaterThanOrEqual(1);
    expect(await queueWeeklyDigests(ctx.prisma)).toBe(0);
    await startWorker();
    const [got] = await eventually(async () => {
      return messagesTo(p.manager.email).length ? messagesTo(p.manager.email) : undefined;
    });
    expect(got!.mail.subject).toBe(`This week at ${p.practice.name}: 1 overdue idea, 1 session waiting for an outcome`);
    expect(got!.mail.text).toContain(`${PUBLIC_URL}/ideas?overdue=yes`);
    expect(got!.raw).not.toContain("Secret words");
    // Turned off: not queued at all (and if queued before the change, skipped when sending).
    expect(await ctx.prisma.mailMessage.count({ where: { userId: quiet.id, kind: "WEEKLY_DIGEST" } })).toBe(0);
    expect(messagesTo(quiet.email)).toHaveLength(0);
  });
});

/** n change notices for the facilitator, queued directly (the worker does not care why). */
async function queueNotices(n: number): Promise<string[]> {
  const group = await makeGroup(ctx.prisma, a.practice.id);
  const s = await makeSession(ctx.prisma, a.practice.id, group.id, { startsAt: new Date(Date.now() + 20 * 864e5), facilitatorIds: [a.facilitator.id] });
  await ctx.prisma.$transaction((tx) =>
    queueMail(tx, Array.from({ length: n }, () => ({ practiceId: a.practice.id, userId: a.facilitator.id, kind: "SESSION_CHANGED" as const, params: { sessionId: s.id, changed: "time" } }))),
  );
  const rows = await ctx.prisma.mailMessage.findMany({ where: { params: { path: ["sessionId"], equals: s.id } }, select: { id: true } });
  return rows.map((r) => r.id);
}

describe("queueing", () => {
  it("is part of the change's transaction: a rolled-back change leaves neither the message nor its job", async () => {
    const jobsBefore = Number((await ctx.db.pool.query("select count(*) from pgboss.job where name = $1", [SEND_QUEUE])).rows[0].count);
    const marker = crypto.randomUUID();
    await expect(
      ctx.prisma.$transaction(async (tx) => {
        await queueMail(tx, [{ practiceId: a.practice.id, userId: a.facilitator.id, kind: "SESSION_CHANGED", params: { sessionId: marker, changed: "time" } }]);
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await ctx.prisma.mailMessage.count({ where: { params: { path: ["sessionId"], equals: marker } } })).toBe(0);
    expect(Number((await ctx.db.pool.query("select count(*) from pgboss.job where name = $1", [SEND_QUEUE])).rows[0].count)).toBe(jobsBefore);
  });

  it("honours an opt-out made after the reminder was queued", async () => {
    const group = await makeGroup(ctx.prisma, a.practice.id);
    const s = await makeSession(ctx.prisma, a.practice.id, group.id, { startsAt: new Date(Date.now() + 40 * 3600e3), facilitatorIds: [a.viewer.id] });
    await queueDueReminders(ctx.prisma);
    const queued = await ctx.prisma.mailMessage.findFirstOrThrow({ where: { kind: "SESSION_REMINDER", params: { path: ["sessionId"], equals: s.id } } });
    expect(queued.status).toBe("QUEUED");
    await ctx.prisma.user.update({ where: { id: a.viewer.id }, data: { emailReminders: false } });
    await startWorker();
    await eventually(async () => (await statusOf(queued.id)) === "SKIPPED");
    expect(messagesTo(a.viewer.email).filter((m) => m.mail.subject?.startsWith("Reminder"))).toHaveLength(0);
  });
});

describe("delivery", () => {
  it("sends each message exactly once with two workers (two pg-boss instances on separate pools)", async () => {
    const ids = await queueNotices(12);
    // A second pool and Prisma client on the same database, as a second app process has.
    const second = new pg.Pool({ connectionString: ctx.databaseUrl, max: 2 });
    const secondPrisma = new PrismaClient({ adapter: new PrismaPg(second) });
    await startWorker();
    await startWorker({ pool: second, prisma: secondPrisma });
    await eventually(async () => (await ctx.prisma.mailMessage.count({ where: { id: { in: ids }, status: "SENT" } })) === 12);
    await new Promise((r) => setTimeout(r, 1500)); // time for any duplicate to arrive
    const seen = smtp.received.map((r) => r.mail.headers.get("x-ppg-message-id")).filter((id): id is string => ids.includes(String(id)));
    expect(seen.sort()).toEqual([...ids].sort());
    await stopWorkers();
    await secondPrisma.$disconnect();
    await second.end();
  });

  it("retries after the server refuses, then sends", async () => {
    const [id] = await queueNotices(1);
    smtp.refuse(2);
    await startWorker();
    await eventually(async () => (await statusOf(id!)) === "SENT");
    const m = await ctx.prisma.mailMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(m.attempts).toBe(3);
    expect(smtp.received.filter((r) => r.mail.headers.get("x-ppg-message-id") === id)).toHaveLength(1);
  });

  it("marks the message failed after the last retry and shows it on /outbox", async () => {
    const [id] = await queueNotices(1);
    smtp.refuse(Infinity);
    await startWorker();
    await eventually(async () => (await statusOf(id!)) === "FAILED");
    const m = await ctx.prisma.mailMessage.findUniqueOrThrow({ where: { id: id! } });
    expect(m.attempts).toBe(3); // the first try and two retries
    expect(m.lastError).toMatch(/451/);
    const { agent } = await signInAs(ctx.app, a.manager.email, a.manager.password);
    const page = await agent.get("/outbox");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Failed");
    expect(page.text).toContain(`/outbox/${id}`);

    // Listed for managers in every environment, and tried again on request.
    const failed = await agent.get("/emails/failed");
    expect(failed.text).toContain(`/emails/${id}/retry`);
    expect(failed.text).toContain("451");
    expect(failed.text).not.toContain(a.facilitator.email); // the person's name, not their address
    await stopWorkers();
    smtp.refuse(0);
    const retry = await agent.post(`/emails/${id}/retry`).type("form").send({ _csrf: csrfTokenIn(failed.text) });
    expect(retry.status).toBe(303);
    expect((await agent.post(`/emails/${id}/retry`).type("form").send({ _csrf: csrfTokenIn(failed.text) })).status).toBe(404); // no longer failed
    await startWorker();
    await eventually(async () => (await statusOf(id!)) === "SENT");
    expect(smtp.received.filter((r) => r.mail.headers.get("x-ppg-message-id") === id)).toHaveLength(1);
  });
});

