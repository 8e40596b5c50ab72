// Authors the next migration from the change to prisma/schema.prisma:
//   npm run db:migration -- <name>
// `prisma migrate dev` cannot run with the JS engine (see ../shared/STACK.md), so
// this diffs the schema as it stood at the last migration (a snapshot kept in
// that migration's folder) against the current one with `prisma migrate diff`.
// The CLI needs some Postgres to talk to: DATABASE_URL, or a throwaway embedded one.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { startEmbeddedDatabase } from "../src/db/embedded.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const migrationsDir = path.join(root, "prisma", "migrations");
const SNAPSHOT = "schema.snapshot.prisma";

const name = (process.argv[2] ?? "").toLowerCase().replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
if (!name) {
  process.stderr.write("usage: npm run db:migration -- <short_name>\n");
  process.exit(2);
}

const previous = fs
  .readdirSync(migrationsDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()
  .at(-1);
const from = previous
  ? ["--from-schema-datamodel", path.join(migrationsDir, previous, SNAPSHOT)]
  : ["--from-empty"];

const tmp = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "ppg-migration-"));
const embedded = tmp ? await startEmbeddedDatabase(tmp) : undefined;
try {
  const { stdout } = await run(
    process.execPath,
    [
      path.join(root, "node_modules/prisma/build/index.js"),
      "migrate", "diff", ...from,
      "--to-schema-datamodel", path.join(root, "prisma", "schema.prisma"),
      "--script",
    ],
    { cwd: root, env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? embedded!.url } },
  );
  if (/empty migration/i.test(stdout) && stdout.trim().split("\n").length <= 1) {
    process.stdout.write("The schema has not changed since the last migration; nothing written.\n");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "migration.sql"), stdout);
    fs.copyFileSync(path.join(root, "prisma", "schema.prisma"), path.join(dir, SNAPSHOT));
    process.stdout.write(`Wrote ${path.relative(root, dir)}/migration.sql\n`);
  }
} finally {
  await embedded?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}
