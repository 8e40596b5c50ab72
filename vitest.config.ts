import { defineConfig } from "vitest/config";

// Three projects, one `npm test`: unit (pure code), integration (the app
// in-process against a real Postgres, a database per test file) and browser
// (Debian's Chromium driving the app on a real port).
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
