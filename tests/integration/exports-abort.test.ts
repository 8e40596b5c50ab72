// A CSV download the person stops part-way is noted, not logged as a failed
// request, and the app goes on serving downloads.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn } from "../helpers/app.js";
import { createGroupAndSession } from "../helpers/fixtures.js";
import { withPractice } from "../helpers/with-practice.js";

const logs: { level: number; msg: string }[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    for (const line of String(chunk).split("\n").filter(Boolean)) logs.push(JSON.parse(line) as { level: number; msg: string });
    done();
  },
});
const { ctx, a: f } = withPractice({ context: { logger: pino({ level: "info" }, sink) }, practices: ["Exports"] });
let server: http.Server;
let base: string;

beforeAll(async () => {
  const { group, session } = await createGroupAndSession(ctx.prisma, f);
  const theme = await ctx.prisma.theme.findFirstOrThrow({ where: { practiceId: f.practice.id } });
  // About 3 MB of CSV: far more than one socket write.
  const createdAt = new Date(Date.now() - 30 * 864e5);
  await ctx.prisma.idea.createMany({
    data: Array.from({ length: 3000 }, (_, i) => ({
      id: crypto.randomUUID(), practiceId: f.practice.id, sessionId: session.id, groupId: group.id, themeId: theme.id,
      text: `Idea ${i}: ${"more evening appointments for people who work shifts ".repeat(18)}`, consent: "PUBLIC" as const,
      dueAt: new Date(createdAt.getTime() + 28 * 864e5), createdAt,
    })),
  });
  server = ctx.app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
});

async function signIn(): Promise<string> {
  const login = await fetch(`${base}/login`);
  const first = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
  const res = await fetch(`${base}/login`, {
    method: "POST", redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: first },
    body: new URLSearchParams({ _csrf: csrfTokenIn(await login.text()), email: f.manager.email, password: f.manager.password, next: "/dashboard" }),
  });
  expect(res.status).toBe(303);
  return (res.headers.get("set-cookie") ?? "").split(";")[0]!;
}

describe("a download stopped part-way", () => {
  it("is noted, not logged as a failed request, and the next download is whole", async () => {
    const cookie = await signIn();
    let received = 0;
    await new Promise<void>((resolve, reject) => {
      const req = http.get(`${base}/reports/ideas.csv`, { headers: { cookie } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on("data", (chunk: Buffer) => {
          received += chunk.length;
          req.destroy(); // the person closes the tab
          resolve();
        });
      });
      req.on("error", () => undefined);
      setTimeout(() => reject(new Error("no data")), 10_000);
    });
    expect(received).toBeGreaterThan(0);
    for (let i = 0; i < 50 && !logs.some((l) => l.msg.includes("download stopped")); i++) await new Promise((r) => setTimeout(r, 100));
    expect(logs.some((l) => l.msg.includes("download stopped by the client"))).toBe(true);
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);

    const whole = await fetch(`${base}/reports/ideas.csv`, { headers: { cookie } });
    const text = await whole.text();
    expect(whole.status).toBe(200);
    expect(text.length).toBeGreaterThan(2_000_000);
    expect(text).toContain("Idea 2999:");
  }, 60_000);
});
