// A newcomer's path on the default install: `npm start` with no DATABASE_URL
// (the embedded database, demo practice seeded), each demo role signs in,
// pauses longer than the pool's idle timeout, and comes back; then pauses
// longer than the session's idle timeout, signs in again and carries on.
// The timeouts are made short by their settings so the test stays quick.
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../src/db/seed.js";
import { CHROMIUM } from "../helpers/browser.js";
import { createEmbeddedDataDir } from "../helpers/db.js";
import { startServer, type ServerProcess } from "../helpers/process.js";

const POOL_IDLE_SECONDS = 1;
const SESSION_IDLE_MINUTES = 0.25; // 15 s: well above the time a page takes on a busy machine
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: ServerProcess;
let browser: Browser;
let folder: { dataDir: string; remove(): void };

beforeAll(async () => {
  folder = await createEmbeddedDataDir();
  server = startServer({
    DATABASE_URL: undefined,
    DATA_DIR: folder.dataDir,
    SESSION_SECRET: undefined,
    NODE_ENV: "development",
    DB_POOL_IDLE_SECONDS: String(POOL_IDLE_SECONDS),
    SESSION_IDLE_MINUTES: String(SESSION_IDLE_MINUTES),
  });
  await server.ready;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
  folder?.remove();
});

describe("the default install (npm start, embedded database)", () => {
  // The three roles pause at the same time (each in its own browser context): the pauses are what
  // this test is about, and one after another they were most of the suite's slowest browser file.
  // The check of the log below is not concurrent, so it runs after all three have finished.
  for (const account of DEMO_ACCOUNTS) {
    it.concurrent(`${account.role.toLowerCase()}: signs in, pauses past every pool and session timeout, and carries on`, async ({ expect }) => {
      const context = await browser.newContext({ baseURL: server.base(), viewport: { width: 320, height: 640 }, locale: "en-GB" });
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("Email address").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/dashboard/);
      const signedInAt = Date.now();

      // Longer than the pool's idle timeout: every page still works, signed in.
      await sleep(POOL_IDLE_SECONDS * 1000 + 1500);
      for (const path of ["/ideas", "/sessions", "/dashboard", "/"]) {
        const res = await page.goto(path);
        expect(res?.status(), path).toBeLessThan(400);
        expect(await page.content(), path).not.toMatch(/Sorry, there is a problem/);
        expect(page.url(), `${path} after ${Date.now() - signedInAt} ms`).not.toMatch(/\/login/);
      }
      expect(page.url()).toMatch(/\/dashboard$/); // "/" sends a signed-in user to the dashboard
      expect((await page.request.get("/readyz")).status()).toBe(200);

      // Longer than the session's idle timeout: the next page asks to sign in again, then comes back.
      await sleep(SESSION_IDLE_MINUTES * 60_000 + 2000);
      await page.goto("/ideas");
      await page.waitForURL(/\/login/);
      await page.getByLabel("Email address").fill(account.email);
      await page.getByLabel("Password").fill(account.password);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/ideas/);
      expect(await page.locator("h1").textContent()).toMatch(/ideas/i);
      await context.close();
    }, 120_000);
  }

  it("logged no server error all along", () => {
    const errors = server.lines.filter((l) => Number(l.level) >= 50);
    expect(errors.map((e) => e.msg)).toEqual([]);
  });
});
