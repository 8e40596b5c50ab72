import { defineConfig } from "vitest/config";
// Types of the values the projects provide (dbMode).
import type {} from "./tests/helpers/global-setup.js";

// Three projects, one `npm test`: unit (pure code), integration (the app
// in-process against a real Postgres, a database per test file) and browser
// (Debian's Chromium driving the app on a real port).
/** Integration files that also run on the embedded database: sessions, sign-in and the staff pages. */
const EMBEDDED_FILES = ["foundation", "session-rolling", "staff-cache", "sessions", "ideas", "outcomes", "users", "authorisation-matrix", "mail-outbox"];

export default defineConfig({
  test: {
    // Runs once for the whole run: the migrated template database.
    globalSetup: ["tests/helpers/global-setup.ts"],
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 30_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
      {
        // The same app, opened as `npm start` opens it with no DATABASE_URL:
        // the files below run again on the embedded database (tests/helpers/db.ts).
        test: {
          name: "integration-embedded",
          sequence: { groupOrder: 1 },
          include: EMBEDDED_FILES.map((f) => `tests/integration/${f}.test.ts`),
          provide: { dbMode: "embedded" },
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 180_000,
          pool: "forks",
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: "browser",
          sequence: { groupOrder: 2 },
          include: ["tests/browser/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: "forks",
          maxWorkers: 1,
          fileParallelism: false,
        },
      },
    ],
  },
});
