// Prisma CLI configuration. The CLI runs with the JavaScript engine and talks to
// Postgres through the same driver adapter the app uses (see ../shared/STACK.md):
// no native engine binary is downloaded.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Without a DATABASE_URL the CLI cannot read the schema and falls back to the
// native engine (which it would try to download). `prisma generate` needs no
// database, so a harmless placeholder is enough for it.
process.env.DATABASE_URL ??= "postgresql://localhost:5432/placeholder";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL! }),
});
