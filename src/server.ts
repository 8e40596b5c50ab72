// The process: reads config, opens the database, listens, shuts down
// gracefully. Nothing else lives here; the app is built by createApp.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Server } from "node:http";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { openDatabase, type Database } from "./db/index.js";
import { seedDemo } from "./db/seed.js";
import { createLogger, type Logger } from "./logger.js";
import { createApp } from "./app.js";

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

async function main() {
  let db: Database;
  try {
    db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger, connectTimeoutMs: config.dbConnectTimeoutMs });
  } catch (err) {
    logger.fatal({ err: (err as Error).message }, `cannot start: ${(err as Error).message}`);
    process.exit(1);
  }

  if (config.seedDemo ?? db.mode === "embedded") {
    const { seeded, accounts } = await seedDemo(db.prisma);
    if (seeded) {
      logger.info("first start: seeded the demo practice 'Riverside Health Centre'. Demo accounts (for trying the product only):");
      for (const a of accounts) logger.info(`  ${a.role.padEnd(11)} ${a.email}  password: ${a.password}`);
    }
  }

  const app = createApp({ config, db, prisma: db.prisma, logger, sessionSecret: sessionSecretFor(db, logger) });
  let shuttingDown = false;
  app.set("shuttingDown", () => shuttingDown);
  const server: Server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    logger.info({ port }, `listening on http://localhost:${port}`);
  });
  server.on("error", (err) => {
    logger.fatal({ err: err.message }, `cannot listen on port ${config.port}: ${err.message}`);
    void db.close().finally(() => process.exit(1));
  });
  // Keep-alive connections must not outlive a shutdown.
  server.on("request", (_req, res) => {
    if (shuttingDown) res.setHeader("Connection", "close");
  });

  async function shutdown(signal: string) {
    if (shuttingDown) return;
    shuttingDown = true;
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
    await db.close();
    logger.info("stopped");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

await main();
