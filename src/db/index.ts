// The one place that opens the database: either the server named by
// DATABASE_URL, or the embedded one. Everything after this is one code path.
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import { observeStatements } from "./client.js";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "./embedded.js";
import { migrateIfNeeded, pendingMigrations } from "./migrate.js";

export { PrismaClient };
export type Prisma = PrismaClient;

export interface Database {
  prisma: PrismaClient;
  /** The pg pool Prisma uses; the session store shares it (one connection when embedded). */
  pool: pg.Pool;
  mode: "external" | "embedded";
  url: string;
  dataDir?: string;
  /** Embedded: the pid of the database's own process. */
  embeddedPid?: number;
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
  /** true: apply pending migrations (the default); false: refuse to start when any is pending (MIGRATE_ON_START=false); "skip": do not look (tests on a migrated template). */
  migrate?: boolean | "skip";
  /** How long a process waits for another one that is migrating. */
  migrationLockTimeoutMs?: number;
  /** Connections per process on a Postgres server (the embedded database always has one). */
  poolSize?: number;
  /** A statement running longer than this is cancelled by the server; a server that stops answering fails the query after this plus 5 s. 0 = no limit. */
  statementTimeoutMs?: number;
  /** An idle server connection is closed after this long (0 = never). The embedded database's one connection is never closed when idle. */
  poolIdleTimeoutMs?: number;
  /** Called for each SQL statement Prisma runs (used to count queries per page). */
  onQuery?: (sql: string) => void;
  /**
   * Embedded: called when the database process exits without being asked to
   * (server.ts exits non-zero then; see there). Without it, the exit is logged
   * as an error and every later query fails.
   */
  onEmbeddedExit?: (reason: string) => void;
}

export class DatabaseUnavailableError extends Error {}
export class MigrationsPendingError extends Error {}

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

/**
 * The embedded backend is shared by every connection there ever was: it keeps
 * named prepared statements, settings, advisory locks and temp tables when a
 * connection closes (db/embedded.ts). So a connection of the embedded pool is
 * handed out only after it has reset the backend (DISCARD ALL) and applied this
 * process's settings: whatever a previous connection (or `prisma migrate`) left
 * there, the pool's connection starts as fresh as one to a Postgres server.
 * (An open transaction of a dropped connection is rolled back by the socket server.)
 */
function freshBackendClient(statementTimeoutMs: number): typeof pg.Client {
  class FreshBackendClient extends pg.Client {
    // One implementation for both of pg's connect() overloads (the pool passes a callback).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override connect(callback?: any): any {
      const ready = super
        .connect()
        .then(() => this.query("DISCARD ALL"))
        .then(() => (statementTimeoutMs > 0 ? this.query(`SET statement_timeout = ${Math.floor(statementTimeoutMs)}`) : undefined))
        .then(() => undefined);
      if (!callback) return ready.then(() => this);
      ready.then(() => callback(null, this), (err: Error) => callback(err));
    }
  }
  return FreshBackendClient;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const { logger } = opts;
  let embedded: EmbeddedDatabase | undefined;
  let url = opts.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedDatabase(opts.dataDir, {
      onUnexpectedExit: opts.onEmbeddedExit,
      // The database process's messages and errors, in this process's log (one line each; nothing per query).
      log: (level, msg) => logger[level]({ component: "embedded-database" }, msg),
    });
    url = embedded.url;
    logger.info(
      { dataDir: embedded.dataDir, databasePid: embedded.pid },
      `database: embedded PGlite in its own process (pid ${embedded.pid}), data kept in ${embedded.dataDir}`,
    );
  } else {
    const safe = new URL(url);
    safe.password = safe.password ? "****" : "";
    logger.info({ database: safe.toString() }, `database: PostgreSQL server at ${safe.host}${safe.pathname}`);
  }

  try {
    await waitForServer(url, opts.connectTimeoutMs ?? 30_000, logger);
    const migrate = opts.migrate ?? true;
    if (migrate === true) {
      const { applied } = await migrateIfNeeded(url, {
        embedded: Boolean(embedded),
        lockTimeoutMs: opts.migrationLockTimeoutMs,
        onWait: () => logger.info("another process is migrating the database; waiting for it"),
      });
      logger.info(applied.length ? `database migrations applied: ${applied.join(", ")}` : "database schema is up to date");
    } else if (migrate === false) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const pending = await pendingMigrations(client).finally(() => client.end());
      if (pending.length) {
        throw new MigrationsPendingError(
          `The database needs ${pending.length} migration(s) (${pending.join(", ")}): run \`npm run db:migrate\` first (MIGRATE_ON_START=false).`,
        );
      }
    }
  } catch (err) {
    await embedded?.stop().catch(() => {});
    throw err;
  }

  const statementTimeoutMs = opts.statementTimeoutMs ?? 0;
  const pool = new pg.Pool({
    connectionString: url,
    // PGlite serves one connection at a time: more would fail or mix transactions.
    max: embedded ? 1 : (opts.poolSize ?? 10),
    connectionTimeoutMillis: 5_000,
    // Embedded: the one connection is never closed for being idle. Closing it
    // gains nothing (the backend lives as long as the database process anyway)
    // and a new connection lands in the same backend; see db/embedded.ts.
    idleTimeoutMillis: embedded ? 0 : (opts.poolIdleTimeoutMs ?? 30_000),
    // Embedded: every connection resets the shared backend before it is used (below).
    ...(embedded ? { Client: freshBackendClient(statementTimeoutMs) } : {}),
    // A server that stops answering fails the query instead of hanging the request forever.
    ...(statementTimeoutMs > 0 && !embedded ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 5_000 } : {}),
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
    // The hot pages' statements that skip Prisma (db/client.ts queryRows) are counted too.
    observeStatements(pool, onQuery);
  }

  let closed = false;
  return {
    prisma,
    pool,
    mode: embedded ? "embedded" : "external",
    url,
    dataDir: embedded?.dataDir,
    embeddedPid: embedded?.pid,
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

/** The database settings of a loaded config, for every entry point (server, CLIs). */
export function databaseOptionsFrom(config: {
  databaseUrl: string | undefined;
  dataDir: string;
  dbConnectTimeoutMs: number;
  db: { poolSize: number; statementTimeoutMs: number; poolIdleTimeoutMs: number; migrateOnStart: boolean; migrationLockTimeoutMs: number };
}): Omit<OpenOptions, "logger"> {
  return {
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    connectTimeoutMs: config.dbConnectTimeoutMs,
    migrate: config.db.migrateOnStart,
    migrationLockTimeoutMs: config.db.migrationLockTimeoutMs,
    poolSize: config.db.poolSize,
    statementTimeoutMs: config.db.statementTimeoutMs,
    poolIdleTimeoutMs: config.db.poolIdleTimeoutMs,
  };
}
