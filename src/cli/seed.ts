// npm run db:seed: adds the demo practice to the database DATABASE_URL names
// (or the embedded one). Demo accounts only: never on a live service.
import { loadConfig } from "../config.js";
import { databaseOptionsFrom, openDatabase } from "../db/index.js";
import { seedDemo } from "../db/seed.js";
import { createLogger } from "../logger.js";

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, pretty: true });
const db = await openDatabase({ ...databaseOptionsFrom(config), migrate: true, logger });
try {
  const { seeded, accounts } = await seedDemo(db.prisma);
  if (!seeded) logger.info("the demo practice is already there; nothing added");
  else {
    logger.info("demo practice seeded; demo accounts (demo only):");
    for (const a of accounts) logger.info(`  ${a.role.padEnd(11)} ${a.email}  password: ${a.password}`);
  }
} finally {
  await db.close();
}
