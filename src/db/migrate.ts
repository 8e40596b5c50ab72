import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { projectRoot } from "../paths.js";
import { promisify } from "node:util";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** Applies pending migrations with `prisma migrate deploy` (idempotent, advisory-locked). */
export async function migrateDatabase(databaseUrl: string): Promise<string> {
  const cli = require.resolve("prisma/build/index.js");
  const { stdout } = await run(process.execPath, [cli, "migrate", "deploy"], {
    cwd: projectRoot,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    maxBuffer: 10 * 1024 * 1024,
  });
  return stdout;
}
