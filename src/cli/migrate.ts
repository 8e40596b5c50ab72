// npm run db:migrate: brings the database (DATABASE_URL, or the embedded one in
// DATA_DIR) up to date, then exits. For deployments that set
// MIGRATE_ON_START=false and migrate as a separate step before starting the app.
import { loadConfig } from "../config.js";
import { databaseOptionsFrom, openDatabase } from "../db/index.js";
import { createLogger } from "../logger.js";

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, pretty: process.stdout.isTTY === true });
try {
  const db = await openDatabase({ ...databaseOptionsFrom(config), migrate: true, logger });
  await db.close();
} catch (err) {
  logger.fatal(`migration failed: ${(err as Error).message}`);
  process.exit(1);
}
