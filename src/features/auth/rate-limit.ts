// Brute-force protection for sign-in: failed attempts are counted per account
// (the e-mail typed, whether or not it exists) and per client address, in
// Postgres, so every app process behind a load balancer shares the counts.
// Uses the app's own pg pool (one connection when embedded): each check is a
// single pool.query, so no connection is held while waiting for another.
import crypto from "node:crypto";
import type pg from "pg";
import { RateLimiterPostgres } from "rate-limiter-flexible";

export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Failed attempts allowed for one e-mail address in the window; the next is refused. */
export const MAX_FAILURES_PER_ACCOUNT = 5;
/** Failed attempts allowed from one client address in the window (an office may share one). */
export const MAX_FAILURES_PER_IP = 50;
export const LOGIN_LIMIT_TABLE = "login_rate_limit";
/** The same message whether or not the account exists, and whichever counter ran out. */
export const TOO_MANY_ATTEMPTS = "Too many attempts. Wait 15 minutes, then try again";

export interface LoginLimiter {
  /** True when either counter is used up: refuse the attempt without checking the password. */
  isBlocked(email: string, ip: string): Promise<boolean>;
  recordFailure(email: string, ip: string): Promise<void>;
  /** A correct password clears the account's count (not the address's). */
  recordSuccess(email: string): Promise<void>;
}

/** Keys never hold the e-mail itself, and have a bounded length whatever was typed. */
function accountKey(email: string): string {
  return crypto.createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

const byPool = new WeakMap<pg.Pool, LoginLimiter>();

/** One limiter per pool, shared by sign-in and the change-password form. */
export function loginLimiterFor(pool: pg.Pool): LoginLimiter {
  let limiter = byPool.get(pool);
  if (!limiter) byPool.set(pool, (limiter = createLoginLimiter(pool)));
  return limiter;
}

export function createLoginLimiter(pool: pg.Pool): LoginLimiter {
  let ready: Promise<{ account: RateLimiterPostgres; ip: RateLimiterPostgres }> | undefined;
  const limiters = () =>
    (ready ??= (async () => {
      await pool.query(
        `create table if not exists "${LOGIN_LIMIT_TABLE}" (key varchar(255) primary key, points integer not null default 0, expire bigint)`,
      );
      const common = { storeClient: pool, storeType: "pool", tableName: LOGIN_LIMIT_TABLE, tableCreated: true, duration: LOGIN_WINDOW_SECONDS, blockDuration: LOGIN_WINDOW_SECONDS };
      return {
        account: new RateLimiterPostgres({ ...common, keyPrefix: "login_account", points: MAX_FAILURES_PER_ACCOUNT }),
        ip: new RateLimiterPostgres({ ...common, keyPrefix: "login_ip", points: MAX_FAILURES_PER_IP }),
      };
    })().catch((err) => {
      ready = undefined; // try again on the next request
      throw err;
    }));

  return {
    async isBlocked(email, ip) {
      const { account, ip: byIp } = await limiters();
      const [a, i] = await Promise.all([account.get(accountKey(email)), byIp.get(ip)]);
      return (a?.consumedPoints ?? 0) >= MAX_FAILURES_PER_ACCOUNT || (i?.consumedPoints ?? 0) >= MAX_FAILURES_PER_IP;
    },
    async recordFailure(email, ip) {
      const { account, ip: byIp } = await limiters();
      // consume() rejects once the points are used up; that is the expected outcome here.
      await Promise.all([account.consume(accountKey(email)).catch(swallowLimit), byIp.consume(ip).catch(swallowLimit)]);
    },
    async recordSuccess(email) {
      const { account } = await limiters();
      await account.delete(accountKey(email));
    },
  };
}

function swallowLimit(err: unknown): void {
  if (err instanceof Error) throw err; // a database error, not "limit reached"
}
