// npm run db:backup [-- FOLDER]: writes backups/ppg-backup-<UTC date and time>.sql
// (or into FOLDER) from the database DATABASE_URL names, or else the embedded
// one in DATA_DIR (which must not be in use: stop the app first). See README "Backups".
import path from "node:path";
import { parseArgs } from "node:util";
import { BackupError, backupDatabase } from "../db/backup.js";

try {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { dir: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write("usage: npm run db:backup [-- FOLDER]   (default folder: backups)\n");
    process.exit(0);
  }
  if (positionals.length > 1) throw new BackupError("Give at most one folder to write the backup into.");
  const outDir = path.resolve(values.dir ?? positionals[0] ?? "backups");
  const started = Date.now();
  const result = await backupDatabase({
    databaseUrl: process.env.DATABASE_URL || undefined,
    dataDir: path.resolve(process.env.DATA_DIR || "./data"),
    outDir,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const shown = path.relative(process.cwd(), result.file);
  process.stdout.write(
    `Backup of ${result.source} written to ${shown.startsWith("..") ? result.file : shown} ` +
      `(${Math.ceil(result.bytes / 1024)} KB, ${seconds} s). It holds personal data: keep it encrypted, with limited access.\n`,
  );
} catch (err) {
  process.stderr.write(`Backup failed: ${err instanceof BackupError || err instanceof TypeError ? err.message : String(err)}\n`);
  process.exit(1);
}
