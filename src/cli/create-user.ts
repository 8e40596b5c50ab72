// npm run user:create -- --practice "Name" --ods X99001 --email a@b --name "Full Name" [--role MANAGER] [--slug s]
// Creates the practice if it does not exist, and the user with a role in it.
// The password is read from the PPG_PASSWORD variable or typed (twice, not shown) at a prompt.
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/index.js";
import { createLogger } from "../logger.js";
import { addUserToPractice, createPractice, slugify } from "../features/practices/service.js";
import { passwordProblem } from "../lib/password-policy.js";
import { hiddenPrompter } from "./hidden-prompt.js";

const { values } = parseArgs({
  options: {
    practice: { type: "string" },
    ods: { type: "string" },
    slug: { type: "string" },
    email: { type: "string" },
    name: { type: "string" },
    role: { type: "string", default: "MANAGER" },
  },
});
const args = z
  .object({
    practice: z.string().min(1, "--practice is required"),
    ods: z.string().regex(/^[A-Z0-9]{3,10}$/i, "--ods must be the practice's ODS code"),
    slug: z.string().regex(/^[a-z0-9-]+$/).optional(),
    email: z.string().email("--email must be an email address"),
    name: z.string().min(1, "--name is required"),
    role: z.enum(["MANAGER", "FACILITATOR", "VIEWER"]),
  })
  .safeParse(values);
if (!args.success) {
  process.stderr.write(`${args.error.issues[0]!.message}\n`);
  process.exit(2);
}
let password = process.env.PPG_PASSWORD;
if (!password) {
  // Typed without being shown, and twice, since nobody can see a typing mistake.
  const prompt = hiddenPrompter();
  password = await prompt.ask("Password for the new user (12 characters or more, not shown as you type): ");
  const again = await prompt.ask("Type the password again: ");
  prompt.close();
  if (again !== password) {
    process.stderr.write("The passwords do not match. Nothing was saved: run the command again.\n");
    process.exit(2);
  }
}
const problem = passwordProblem(password);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

const config = loadConfig();
const logger = createLogger({ level: "warn", pretty: false });
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, logger, connectTimeoutMs: config.dbConnectTimeoutMs });
try {
  const a = args.data;
  const practice =
    (await db.prisma.practice.findUnique({ where: { odsCode: a.ods.toUpperCase() } })) ??
    (await createPractice(db.prisma, { name: a.practice, odsCode: a.ods, slug: a.slug ?? slugify(a.practice) }));
  await addUserToPractice(db.prisma, { practiceId: practice.id, email: a.email, name: a.name, password, role: a.role });
  process.stdout.write(`${a.email} is now ${a.role} of ${practice.name} (public board: /p/${practice.slug})\n`);
} finally {
  await db.close();
}
