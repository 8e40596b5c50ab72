// The app in-process against a test database of its own.
import crypto from "node:crypto";
import { pino, type Logger } from "pino";
import request from "supertest";
import type { Express } from "express";
import { createApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { openDatabase, type Database } from "../../src/db/index.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import type { RouteSpec } from "../../src/lib/routing.js";
import { createEmbeddedDataDir, createTestDatabase, dbMode } from "./db.js";

export interface TestContext {
  app: Express & { routeSpecs: RouteSpec[] };
  db: Database;
  prisma: PrismaClient;
  databaseUrl: string;
  close(): Promise<void>;
}

/** `onQuery` sees each SQL statement Prisma runs (for tests that count queries); `logger` receives the app's logs. */
export async function createTestContext(
  env: Record<string, string> = {},
  opts: { onQuery?: (sql: string) => void; logger?: Logger } = {},
): Promise<TestContext> {
  const logger = opts.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  if (dbMode() === "embedded") {
    // Opened exactly as `npm start` opens it, on a migrated copy of this run's template folder.
    const folder = await createEmbeddedDataDir();
    db = await openDatabase({ dataDir: folder.dataDir, logger, migrate: "skip", onQuery: opts.onQuery });
    database = { url: db.url, drop: async () => folder.remove() };
  } else {
    database = await createTestDatabase();
    db = await openDatabase({ databaseUrl: database.url, dataDir: "/nonexistent", logger, migrate: "skip", poolSize: 5, onQuery: opts.onQuery });
  }
  const config = loadConfig({ NODE_ENV: "test", ...(dbMode() === "server" ? { DATABASE_URL: database.url } : {}), LOG_LEVEL: "silent", ...env });
  const app = createApp({ config, db, logger, sessionSecret: crypto.randomBytes(32).toString("hex") });
  return {
    app,
    db,
    prisma: db.prisma,
    databaseUrl: database.url,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

export type Agent = ReturnType<typeof request.agent>;

/** The CSRF token in the first form of a page. */
export function csrfTokenIn(html: string): string {
  const m = html.match(/name="_csrf" value="([^"]+)"/);
  if (!m) throw new Error("no CSRF token on the page");
  return m[1]!;
}

/** A signed-in supertest agent, and a fresh CSRF token for its forms. */
export async function signInAs(app: Express, email: string, password: string): Promise<{ agent: Agent; csrf: string }> {
  const agent = request.agent(app);
  const login = await agent.get("/login");
  const res = await agent.post("/login").type("form").send({ _csrf: csrfTokenIn(login.text), email, password, next: "/dashboard" });
  if (res.status !== 303 || res.headers.location !== "/dashboard") {
    throw new Error(`sign-in failed for ${email}: ${res.status}`);
  }
  const page = await agent.get("/dashboard");
  return { agent, csrf: csrfTokenIn(page.text) };
}
