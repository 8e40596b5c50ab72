// E-mail without SMTP_URL (the embedded demo): the worker writes each message
// to DATA_DIR/outbox as an .eml file and managers read them at /outbox; not in
// production. Runs on the embedded database too (vitest.config.ts), which is
// where pg-boss shares the one connection with everything else. Also each
// person's choices at /account/email.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestContext, signInAs, type TestContext } from "../helpers/app.js";
import { createPracticeWithStaff, type PracticeFixture } from "../helpers/fixtures.js";
import { eventually } from "../helpers/smtp.js";
import { summaryErrors } from "../helpers/users.js";
import { createTransport, outboxDirFor } from "../../src/features/mail/transport.js";
import { startMailWorker, type MailWorker } from "../../src/features/mail/worker.js";

const PUBLIC_URL = "https://ppg.example.nhs.uk";
let ctx: TestContext;
let a: PracticeFixture;
let dataDir: string;
let worker: MailWorker | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ppg-outbox-"));
  ctx = await createTestContext({ PUBLIC_URL, DATA_DIR: dataDir, MAIL_WORKER: "false" });
  a = await createPracticeWithStaff(ctx.prisma, "Outbox Practice");
});
afterAll(async () => {
  await worker?.stop(5_000);
  await ctx?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the outbox folder (no SMTP_URL)", () => {
  it("writes the invitation as an .eml file and lists it for the manager at /outbox", async () => {
    const outboxDir = outboxDirFor(dataDir);
    const transport = createTransport({ from: "PPG workspace <ppg@example.nhs.uk>", outboxDir });
    expect(transport.kind).toBe("outbox");
    worker = await startMailWorker({ prisma: ctx.prisma, pool: ctx.db.pool, transport, publicUrl: PUBLIC_URL, logger: pino({ level: "silent" }), pollingIntervalSeconds: 0.5, schedule: false });

    const { agent, csrf } = await signInAs(ctx.app, a.manager.email, a.manager.password);
    const email = `outbox-${crypto.randomBytes(3).toString("hex")}@example.test`;
    const res = await agent.post("/users").type("form").send({ _csrf: csrf, formId: crypto.randomUUID(), name: "Pat Example", email, role: "VIEWER" });
    expect(res.status).toBe(303);
    const link = (await agent.get(String(res.headers.location))).text.match(/https:\/\/ppg\.example\.nhs\.uk\/invitations\/[A-Za-z0-9_-]+/)?.[0];
    expect(link).toBeTruthy();

    const message = await eventually(async () => {
      const m = await ctx.prisma.mailMessage.findFirst({ where: { practiceId: a.practice.id, kind: "INVITATION" } });
      return m?.status === "SENT" ? m : undefined;
    });
    const eml = fs.readFileSync(path.join(outboxDir, `${message.id}.eml`), "utf8");
    expect(eml).toContain(`To: ${email}`);
    expect(eml).toMatch(/^Subject: You are invited to join/m);
    expect(eml.replace(/=\n/g, "")).toContain(link); // quoted-printable: long lines are wrapped
    expect(fs.readFileSync(path.join(outboxDir, `${message.id}.txt`), "utf8")).toContain(link);

    const list = await agent.get("/outbox");
    expect(list.status).toBe(200);
    expect(list.text).toContain(outboxDir);
    expect(list.text).toContain(`href="/outbox/${message.id}"`);
    expect(list.text).toContain(email);
    const one = await agent.get(`/outbox/${message.id}`);
    expect(one.status).toBe(200);
    expect(one.text).toContain(link);
    // Another practice's manager cannot read it.
    const b = await createPracticeWithStaff(ctx.prisma, "Other");
    const other = await signInAs(ctx.app, b.manager.email, b.manager.password);
    expect((await other.agent.get(`/outbox/${message.id}`)).status).toBe(404);
    expect((await other.agent.get("/outbox")).text).not.toContain(message.id);
  });
});

describe("choosing e-mails on the account page", () => {
  it("saves the choices, and refuses a choice that is not offered with an error summary, changing nothing", async () => {
    const { agent, csrf } = await signInAs(ctx.app, a.facilitator.email, a.facilitator.password);
    const page = await agent.get("/account/email");
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/value="reminders" checked/);
    expect(page.text).toMatch(/value="digest" checked/);

    const saved = await agent.post("/account/email").type("form").send({ _csrf: csrf, emails: "digest" });
    expect(saved.status).toBe(303);
    expect(await ctx.prisma.user.findUniqueOrThrow({ where: { id: a.facilitator.id }, select: { emailReminders: true, emailDigest: true } })).toEqual({ emailReminders: false, emailDigest: true });

    const none = await agent.post("/account/email").type("form").send({ _csrf: csrf });
    expect(none.status).toBe(303);
    expect(await ctx.prisma.user.findUniqueOrThrow({ where: { id: a.facilitator.id }, select: { emailReminders: true, emailDigest: true } })).toEqual({ emailReminders: false, emailDigest: false });

    const bad = await agent.post("/account/email").type("form").send({ _csrf: csrf, emails: ["reminders", "everything"] });
    expect(bad.status).toBe(400);
    expect(summaryErrors(bad.text)).toEqual(["Select only the e-mails listed"]);
    expect(bad.text).toMatch(/value="reminders" checked/); // what was ticked is kept
    expect(await ctx.prisma.user.findUniqueOrThrow({ where: { id: a.facilitator.id }, select: { emailReminders: true, emailDigest: true } })).toEqual({ emailReminders: false, emailDigest: false });
  });
});

describe("in production", () => {
  it("has no /outbox", async () => {
    const prod = await createTestContext({ NODE_ENV: "production", PUBLIC_URL, SESSION_SECRET: crypto.randomBytes(32).toString("hex"), DATA_DIR: dataDir, MAIL_WORKER: "false" });
    try {
      const p = await createPracticeWithStaff(prod.prisma, "Production");
      const { agent } = await signInAs(prod.app, p.manager.email, p.manager.password);
      expect((await agent.get("/outbox")).status).toBe(404);
      expect(prod.app.routeSpecs.some((r) => r.path.startsWith("/outbox"))).toBe(false);
    } finally {
      await prod.close();
    }
  });
});
