// The one place that opens the database: either the server named by
// DATABASE_URL, or the embedded one. Everything after this is one code path.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded.js";
import { migrateDatabase } from "./migrate.js";

export { PrismaClient };
export type Prisma = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  /** The pg pool Prisma uses; the session store shares it (one connection when embedded). */
  pool: pg.Pool;
  mode: "external" | "embedded";
  url: string;
  dataDir?: string;
  /** True when a trivial query succeeds within a short time. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir: string;
  logger: Logger;
  /** How long to keep retrying an unreachable server at start. */
  connectTimeoutMs?: number;
  migrate?: boolean;
  poolSize?: number;
  /** Called for each SQL statement Prisma runs (used to count queries per page). */
  onQuery?: (sql: string) => void;
}

export class DatabaseUnavailableError extends Error {}

async function waitForServer(url: string, timeoutMs: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let attempt = 0;
  for (;;) {
    // A client of its own, closed at once: the embedded server serves one connection at a time.
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("select 1");
      await client.end();
      return;
    } catch (err) {
      await client.end().catch(() => {});
      attempt += 1;
      if (Date.now() >= deadline) {
        throw new DatabaseUnavailableError(
          `Could not reach the database after ${Math.round(timeoutMs / 1000)} s: ${(err as Error).message}`,
        );
      }
      logger.warn({ attempt, err: (err as Error).message }, "database not reachable yet; retrying");
      await sleep(Math.min(250 * 2 ** attempt, 2_000));
    }
  }
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const { logger } = opts;
  let embedded: EmbeddedDatabase | undefined;
  let url = opts.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(opts.dataDir);
    url = embedded.url;
    logger.info({ dataDir: embedded.dataDir }, `database: embedded PGlite, data kept in ${embedded.dataDir}`);
  } else {
    const safe = new URL(url);
    safe.password = safe.password ? "****" : "";
    logger.info({ database: safe.toString() }, `database: PostgreSQL server at ${safe.host}${safe.pathname}`);
  }

  try {
    await waitForServer(url, opts.connectTimeoutMs ?? 30_000, logger);
    if (opts.migrate ?? true) {
      await migrateDatabase(url);
      logger.info("database migrations applied");
    }
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
  }


  const pool = new pg.Pool({
    connectionString: url,
    // PGlite serves one connection at a time: more would fail or mix transactions.
    max: embedded ? 1 : (opts.poolSize ?? 10),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server must not crash the process; the pool
  // replaces it on the next checkout, which is how the app recovers.
  pool.on("error", (err) => logger.warn({ err: err.message }, "database connection lost"));

  const prisma = new PrismaClient({
    adapter: new PrismaPg(pool),
    log: opts.onQuery ? [{ emit: "event", level: "query" }] : [],
  });
  if (opts.onQuery) {
    const onQuery = opts.onQuery;
    (prisma as unknown as { $on(e: "query", cb: (ev: { query: string }) => void): void }).$on("query", (ev) =>
      onQuery(ev.query),
    );
  }

  let closed = false;
  return {
    prisma,
    pool,
    mode: embedded ? "embedded" : "external",
    url,
    dataDir: embedded?.dataDir,
    async ping() {
      try {
        await Promise.race([
          pool.query("select 1"),
          sleep(2_000).then(() => Promise.reject(new Error("timeout"))),
        ]);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect().catch(() => {});
      // A connection lost mid-query may never be released; do not wait for it forever.
      await Promise.race([pool.end().catch(() => {}), sleep(5_000)]);
      await embedded?.stop();
    },
  };
}
