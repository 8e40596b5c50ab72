// The process: reads config, claims its port, opens the database, serves, and
// shuts down gracefully. Nothing else lives here; the app is built by createApp.
//
// The port is claimed first, before the database is opened or migrated: a port
// already in use is then one clear line at once, never "listening" after a
// minute of migrations followed by EADDRINUSE. Until the app is ready the
// server answers 503 "starting" (and /readyz says so), /healthz says alive.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { databaseOptionsFrom, openDatabase, type Database } from "./db/index.js";
import { seedDemo } from "./db/seed.js";
import { createLogger, type Logger } from "./logger.js";
import { createApp } from "./app.js";
import { startMail } from "./features/mail/index.js";

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
const logger = createLogger({ level: config.logLevel, pretty: config.env === "development" && process.stdout.isTTY === true });

/** The session secret: configured, or kept in the embedded data folder, or (with a warning) made per process. */
function sessionSecretFor(db: Database, log: Logger): string {
  if (config.sessionSecret) return config.sessionSecret;
  if (db.dataDir) {
    const file = path.join(db.dataDir, "session-secret");
    if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(32).toString("hex"), { mode: 0o600 });
    return fs.readFileSync(file, "utf8").trim();
  }
  log.warn("SESSION_SECRET is not set: sessions will not survive a restart or work across several processes");
  return crypto.randomBytes(32).toString("hex");
}

/** What the server answers before the app is ready. */
function starting(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.setHeader("Cache-Control", "no-store");
  if (req.url === "/healthz") {
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: "ok" }));
    return;
  }
  res.statusCode = 503;
  res.setHeader("Retry-After", "5");
  if (req.url === "/readyz") {
    res.setHeader("Content-Type", "application/json");
    res.end(JSON.stringify({ status: "starting", database: "unknown" }));
    return;
  }
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end(
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="5"><title>Starting</title></head>' +
      "<body><h1>The service is starting</h1><p>Please try again in a few seconds. This page will reload by itself.</p></body></html>",
  );
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : config.port);
    });
  });
}

/**
 * The embedded database's process (db/embedded-process.ts) exited without being
 * asked to: it crashed, ran out of memory, or was killed. The app is not kept
 * serving half-working pages (every signed-in page and the public board need
 * the database), and it does not restart the database inside itself either: a
 * database process that died once may have died for a reason (a full disk, a
 * damaged folder) that a silent restart loop would hide. It logs one clear
 * fatal line and exits non-zero, which is what a supervisor (systemd's
 * Restart=on-failure, Docker's restart policy, docs/deploy) is there for: it
 * restarts the whole app, which reopens the folder (lock included) exactly as
 * at any start, and the exit is visible in the supervisor's own records.
 */
function databaseProcessLost(reason: string): never {
  logger.fatal({ reason }, `${reason}; the app cannot work without its database and is stopping (exit code 1) so that its supervisor restarts it`);
  process.exit(1);
}

async function main() {
  const startedAt = Date.now();
  let handler: http.RequestListener = starting;
  let shuttingDown = false;
  const server = http.createServer((req, res) => {
    // Keep-alive connections must not outlive a shutdown.
    if (shuttingDown) res.setHeader("Connection", "close");
    handler(req, res);
  });
  // Idle keep-alive connections outlive a load balancer's own idle timeout, so
  // the balancer never sends a request on a connection we are closing.
  server.keepAliveTimeout = config.keepAliveTimeoutMs;
  server.headersTimeout = config.keepAliveTimeoutMs + 1_000;

  let port: number;
  try {
    port = await listen(server);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "EADDRINUSE" ? "it is in use by another program (set PORT to another port)" : (err as Error).message;
    logger.fatal({ port: config.port, code }, `cannot listen on port ${config.port}: ${why}`);
    process.exit(1);
  }
  logger.info({ port }, `listening on http://localhost:${port}; starting`);

  let db: Database;
  try {
    db = await openDatabase({ ...databaseOptionsFrom(config), logger, onEmbeddedExit: databaseProcessLost });
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, `cannot start: ${(err as Error).message}`);
    process.exit(1);
  }

  // The demo practice: on the embedded database's first start (an empty database; never beside a
  // real practice restored from a backup), or wherever SEED_DEMO=true asks for it.
  const seed = config.seedDemo ?? (db.mode === "embedded" && (await db.prisma.practice.count()) === 0);
  if (seed) {
    const { seeded, accounts } = await seedDemo(db.prisma);
    if (seeded) {
      logger.info("first start: seeded the demo practice 'Riverside Health Centre'. Demo accounts (for trying the product only):");
      for (const a of accounts) logger.info(`  ${a.role.padEnd(11)} ${a.email}  password: ${a.password}`);
    }
  }

  const app = createApp({ config, db, logger, sessionSecret: sessionSecretFor(db, logger) });
  app.set("shuttingDown", () => shuttingDown);
  handler = app;
  // Sends queued e-mails and runs the scheduled ones (features/mail); stopped before the database closes.
  // A worker that cannot start leaves the app serving (e-mails stay queued for another process or a restart).
  const mail = await startMail(config, db, logger).catch((err: Error) => void logger.error({ err: err.message }, `mail worker not started: ${err.message}`));
  logger.info({ port, startMs: Date.now() - startedAt }, `ready on http://localhost:${port} (started in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);

  async function shutdown(signal: string) {
    if (shuttingDown) return;
    shuttingDown = true;
    // /readyz now says 503: a load balancer takes this process out of rotation
    // while it still serves what it is sent.
    if (config.shutdownDrainMs > 0) {
      logger.info({ signal }, `shutting down: /readyz says draining; still serving for ${config.shutdownDrainMs / 1000} s`);
      await sleep(config.shutdownDrainMs);
    }
    logger.info({ signal }, "shutting down: no new connections; finishing requests in flight");
    const force = setTimeout(() => {
      logger.warn("requests still running after 10 s; closing their connections");
      server.closeAllConnections();
    }, 10_000);
    force.unref();
    // Stop accepting; close idle keep-alive sockets; wait for requests in flight.
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    // A request whose client has already gone (a closed tab, a balancer's timeout) no longer holds a
    // connection open, but its handler may still be waiting for the pool: let that finish (at most 10 s)
    // before the pool closes under it ("Cannot use a pool after calling end on the pool").
    for (let i = 0; i < 100 && (db.pool.waitingCount > 0 || db.pool.idleCount < db.pool.totalCount); i++) await sleep(100);
    await mail?.stop().catch((err: Error) => logger.warn({ err: err.message }, "mail worker did not stop cleanly"));
    await db.close();
    logger.info("stopped");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

await main();
