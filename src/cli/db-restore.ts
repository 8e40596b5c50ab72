// npm run db:restore -- FILE [--force]: restores a backup made by npm run db:backup
// into the database DATABASE_URL names, or else the embedded one in DATA_DIR.
// Refuses a target that already holds data unless --force (which replaces it).
// This is also how a practice moves from the embedded database to a server.
import path from "node:path";
import { parseArgs } from "node:util";
import { BackupError, restoreDatabase } from "../db/backup.js";

try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { force: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write("usage: npm run db:restore -- FILE [--force]\n");
    process.exit(0);
  }
  if (positionals.length !== 1) throw new BackupError("Give the backup file to restore: npm run db:restore -- FILE [--force]");
  const started = Date.now();
  const result = await restoreDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(process.env.DATA_DIR || "./data"),
    file: path.resolve(positionals[0]!),
    force: values.force,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `Restored ${positionals[0]} into ${result.target}${result.replaced ? " (its previous contents replaced)" : ""}: ` +
      `${result.tables} tables, ${result.rows} rows, ${result.migrations} migrations applied (${seconds} s).\n`,
  );
} catch (err) {
  process.stderr.write(`Restore failed: ${err instanceof BackupError || err instanceof TypeError ? err.message : String(err)}\n`);
  process.exit(1);
}
