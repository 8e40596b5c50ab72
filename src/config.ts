// The environment, parsed once and validated. A bad value stops the process
// with one line naming the variable (see loadConfig's caller in server.ts).
import path from "node:path";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgresql://")
    .optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Which proxies may say who the client is (X-Forwarded-For) and whether it
  // came over TLS (X-Forwarded-Proto). `true` is refused: it trusts every
  // address in X-Forwarded-For, and its left-most entry is whatever the
  // client typed, so sign-in limits and the audit trail would believe anyone.
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v, ctx) => {
      const t = v.trim();
      if (t === "false" || t === "0" || t === "") return false as const;
      if (t === "true" || t === "yes") {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          message:
            "`true` would believe any client's X-Forwarded-For; give the number of proxies in front of the app (usually 1) or their addresses (\"loopback\", \"10.0.0.5\", \"10.0.0.0/8\", comma-separated)",
        });
        return z.NEVER;
      }
      if (/^\d+$/.test(t)) return Number(t);
      if (/^[\w.:/, -]+$/.test(t)) return t.split(",").map((a) => a.trim()).filter(Boolean).join(","); // "loopback", CIDRs, comma-separated list
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "must be false, a hop count or a list of proxy addresses" });
      return z.NEVER;
    }),
  /** Public base URL of every absolute link (feed, poster QR code, invitations, group links, calendars); required in production. */
  PUBLIC_URL: z
    .string()
    .url()
    .refine((u) => /^https?:\/\//.test(u), "must start with http:// or https://")
    .optional(),
  SEED_DEMO: bool.optional(),
  DB_CONNECT_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /** Connections per process to a Postgres server (the embedded database always uses one). */
  DB_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
  /** A statement running longer is cancelled; a server that stops answering fails the query 5 s later. 0 = no limit. */
  DB_STATEMENT_TIMEOUT_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  /** An idle connection to a Postgres server is closed after this long (the embedded one never is). */
  DB_POOL_IDLE_SECONDS: z.coerce.number().min(0).max(86_400).default(30),
  /** Apply pending migrations at start (false: refuse to start while any is pending; run `npm run db:migrate`). */
  MIGRATE_ON_START: bool.default("true"),
  /** How long a starting process waits for another process that is migrating the database. */
  MIGRATION_LOCK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(600),
  /** A staff session ends after this long without a request (the absolute limit is 12 hours). */
  SESSION_IDLE_MINUTES: z.coerce.number().min(0.05).max(24 * 60).default(60),
  /** After SIGTERM, /readyz says 503 for this long before the server stops accepting connections. */
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().min(0).max(300).default(0),
  /** How long an idle keep-alive connection is kept open: longer than a load balancer's idle timeout (60 s is common). */
  KEEP_ALIVE_TIMEOUT_SECONDS: z.coerce.number().min(1).max(3600).default(65),
  /** How long rendered public pages are kept in process (0 = off; at most the pages' max-age of 60 s). */
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).optional(),
  /** How long a staff page fragment may be kept at most (0 = off); it is exact anyway (keyed by the practice's data version). */
  STAFF_CACHE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(600),
  /** Where e-mail goes: smtp://user:pass@host:587 or smtps://host:465; unset = .eml files in DATA_DIR/outbox (listed at /outbox). */
  SMTP_URL: z
    .string()
    .transform((v) => v.trim())
    .refine((u) => { try { return /^smtps?:$/.test(new URL(u).protocol) && Boolean(new URL(u).hostname); } catch { return false; } }, "must be a URL like smtp://user:password@mail.example.org:587 or smtps://mail.example.org:465")
    .optional(),
  /** The From of every e-mail: an address, or a name and address like "PPG workspace <ppg@example.nhs.uk>". */
  MAIL_FROM: z
    .string()
    .trim()
    .regex(/^(?:[^<>@\r\n]*<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+)$/, "must be an e-mail address, or a name and address like: PPG workspace <ppg@example.nhs.uk>")
    .optional(),
  /** Run the mail worker in this process (sending, reminders, digest); several processes may all run it. */
  MAIL_WORKER: bool.default("true"),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  sessionSecret: string | undefined;
  logLevel: string;
  /** Express `trust proxy`: false, a hop count, or a comma-separated list of proxy addresses/CIDRs (never `true`). */
  trustProxy: false | number | string;
  /**
   * Origin of every absolute link, without a trailing slash: PUBLIC_URL, or in
   * development and tests http://localhost:PORT. Never the request's Host header.
   */
  publicUrl: string;
  seedDemo: boolean | undefined;
  dbConnectTimeoutMs: number;
  db: { poolSize: number; statementTimeoutMs: number; poolIdleTimeoutMs: number; migrateOnStart: boolean; migrationLockTimeoutMs: number };
  shutdownDrainMs: number;
  keepAliveTimeoutMs: number;
  /** A staff session ends after this long without a request. */
  sessionIdleMs: number;
  /** Rendered public pages are kept this long in process (0 = off); default 15, off under NODE_ENV=test. */
  publicCacheSeconds: number;
  /** Staff page fragments (/ideas, /reports) are kept at most this long (0 = off); see lib/practice-cache.ts. */
  staffCacheSeconds: number;
  /** E-mail: SMTP when smtpUrl is set, otherwise the outbox folder (DATA_DIR/outbox). */
  mail: { smtpUrl: string | undefined; from: string; worker: boolean };
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty mail setting (SMTP_URL= in a compose file) means unset.
  const parsed = schema.safeParse({ ...env, SMTP_URL: env.SMTP_URL?.trim() || undefined, MAIL_FROM: env.MAIL_FROM?.trim() || undefined });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`Invalid environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET) {
    throw new ConfigError("Invalid environment variable SESSION_SECRET: required when NODE_ENV=production");
  }
  if (e.NODE_ENV === "production" && !e.PUBLIC_URL) {
    throw new ConfigError(
      "Invalid environment variable PUBLIC_URL: required when NODE_ENV=production (the address people use, like https://ppg.example.nhs.uk or http://192.168.1.20:3000)",
    );
  }
  if (e.SMTP_URL && !e.MAIL_FROM) {
    throw new ConfigError("Invalid environment variable MAIL_FROM: required when SMTP_URL is set (the address e-mails come from)");
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.DATA_DIR),
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ""),
    seedDemo: e.SEED_DEMO,
    dbConnectTimeoutMs: e.DB_CONNECT_TIMEOUT_SECONDS * 1000,
    db: {
      poolSize: e.DB_POOL_SIZE,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_SECONDS * 1000,
      poolIdleTimeoutMs: e.DB_POOL_IDLE_SECONDS * 1000,
      migrateOnStart: e.MIGRATE_ON_START,
      migrationLockTimeoutMs: e.MIGRATION_LOCK_TIMEOUT_SECONDS * 1000,
    },
    shutdownDrainMs: e.SHUTDOWN_DRAIN_SECONDS * 1000,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_SECONDS * 1000,
    sessionIdleMs: Math.round(e.SESSION_IDLE_MINUTES * 60_000),
    publicCacheSeconds: e.PUBLIC_CACHE_SECONDS ?? (e.NODE_ENV === "test" ? 0 : 15),
    staffCacheSeconds: e.STAFF_CACHE_SECONDS,
    mail: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM ?? "PPG workspace <no-reply@localhost.invalid>", worker: e.MAIL_WORKER },
  };
}
