// Browser tests: Debian's Chromium driven by playwright-core, against the app
// listening on a real port, with axe for accessibility.
import net, { type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createTestContext, type TestContext } from "./app.js";
import { SignInPage } from "./pages/sign-in.js";
export { expectNoAxeViolations } from "./axe.js";
import { createPracticeWithStaff, type PracticeFixture } from "./fixtures.js";
import { later } from "./with-practice.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export interface BrowserHarness extends TestContext {
  baseUrl: string;
  browser: Browser;
  newContext(opts?: { width?: number; height?: number; locale?: string }): Promise<BrowserContext>;
  stop(): Promise<void>;
}

export async function startBrowserHarness(): Promise<BrowserHarness> {
  // Absolute links (invitations, group links, poster) come from PUBLIC_URL, never
  // the Host header: so the port is chosen first and given to the app as PUBLIC_URL.
  const port = await new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const p = (probe.address() as AddressInfo).port;
      probe.close(() => resolve(p));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const ctx = await createTestContext({ PUBLIC_URL: baseUrl });
  const server: Server = await new Promise((resolve, reject) => {
    const s = ctx.app.listen(port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    ...ctx,
    baseUrl,
    browser,
    newContext: (opts = {}) =>
      browser.newContext({
        baseURL: baseUrl,
        viewport: { width: opts.width ?? 1024, height: opts.height ?? 800 },
        locale: opts.locale ?? "en-GB",
        timezoneId: "Europe/London",
        acceptDownloads: true,
      }),
    async stop() {
      await browser.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await ctx.close();
    },
  };
}

/**
 * The browser tests' set-up in one call (like withPractice): the app on a real
 * port with Chromium, and practices with one member of staff per role, made in
 * beforeAll and stopped after the file's own afterAll hooks.
 *   const { h, a: f } = withBrowser({ practices: ["Browser ideas"] });
 */
export function withBrowser(opts: { practices?: string[] } = {}): { h: BrowserHarness; a: PracticeFixture; b: PracticeFixture; practices: PracticeFixture[] } {
  let h: BrowserHarness | undefined;
  const practices: PracticeFixture[] = [];
  beforeAll(async () => {
    h = await startBrowserHarness();
    for (const name of opts.practices ?? ["Test Practice"]) practices.push(await createPracticeWithStaff(h.prisma, name));
  });
  afterAll(async () => {
    await h?.stop();
  });
  return {
    h: later("the browser harness", () => h),
    a: later("the first practice", () => practices[0]),
    b: later("the second practice", () => practices[1]),
    practices,
  };
}


/** Signs in at /login (tests/helpers/pages/sign-in.ts) and waits for the dashboard. */
export async function signInWithBrowser(page: Page, email: string, password: string): Promise<void> {
  await SignInPage.signIn(page, { email, password });
}
