// Browser tests: Debian's Chromium driven by playwright-core, against the app
// listening on a real port, with axe for accessibility.
import net, { type AddressInfo } from "node:net";
import type { Server } from "node:http";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";
import { expect } from "vitest";
import { createTestContext, type TestContext } from "./app.js";

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

/** Runs axe (WCAG 2.2 A and AA rules) on the page and fails on any violation: no exceptions. */
export async function expectNoAxeViolations(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export async function signInWithBrowser(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/dashboard/);
}
