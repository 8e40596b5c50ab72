// Brute-force protection for sign-in (and the change-password form), kept in
// Postgres (table login_limit) so every app process behind a load balancer
// shares the counts. Designed so that one person cannot lock a whole practice
// out from behind a shared NHS network address (docs/trust.md):
//
// | counter                   | refused after (per 15 min)  | who it stops                               |
// |---------------------------|-----------------------------|--------------------------------------------|
// | account + address (pair)  | 5 failures                  | guessing one account from one place        |
// | account, any address      | 20 failures                 | guessing one account from many addresses   |
// | address, any account      | 300 failures                | spraying many accounts from one address    |
//
// The account-wide and address-wide counters do not refuse an account at an
// address it has signed in from successfully in the last 30 days (a "known
// address"): so colleagues behind the practice's shared address keep signing
// in while someone there sprays other accounts, and a person is not locked
// out at their usual desk by guesses from elsewhere. Successful sign-ins never
// count. Keys hold a hash of the e-mail, never the e-mail.
//
// The count is atomic: each attempt is reserved in one SQL statement *before*
// the password is checked (`pending`, beside `count` of finished failures),
// and the statement returns failures + attempts being checked, this one
// included. So 30 guesses sent in parallel get at most 5 password checks, not
// 30. An attempt over a limit only because others are being checked right now
// waits for them (up to 10 s) and tries again, so several legitimate sign-ins
// at once are not refused; over a limit on finished failures, it is refused at
// once. A wrong password turns the reservation into a failure; a right one
// gives it back and forgets the pair's failures.
import crypto from "node:crypto";
import type pg from "pg";

export const LOGIN_WINDOW_SECONDS = 15 * 60;
/** Failed attempts allowed for one account from one address in the window; the next is refused. */
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
/** Failed attempts allowed for one account from all addresses together (unless from a known address). */
export const MAX_FAILURES_PER_ACCOUNT = 20;
/** Failed attempts allowed from one address across all accounts (unless for an account known there). */
export const MAX_FAILURES_PER_IP = 300;
/** How long a successful sign-in makes an address "known" for that account. */
export const KNOWN_ADDRESS_DAYS = 30;
export const LOGIN_LIMIT_TABLE = "login_limit";
/** The same message whether or not the account exists, and whichever counter ran out. */
export const TOO_MANY_ATTEMPTS = "Too many attempts. Wait 15 minutes, then try again";

export interface LoginAttempt {
  /** True when a counter is used up: refuse without checking the password. */
  blocked: boolean;
  /** The password was wrong: the reservation becomes a failure. */
  failed(): Promise<void>;
  /** The password was right (or it was not a guess): give the reservation back and forget this pair's failures. */
  succeeded(): Promise<void>;
  /** Nothing was decided (an error): give the reservation back. */
  release(): Promise<void>;
}

export interface LoginLimiter {
  /** Reserves one attempt for (email, ip) before the password is checked; then call failed() or succeeded(). */
  reserve(email: string, ip: string): Promise<LoginAttempt>;
  /** True once per account and window: whether this refusal should be written to the audit log. */
  firstRefusalInWindow(email: string): Promise<boolean>;
}

/** Keys never hold the e-mail itself, and have a bounded length whatever was typed. */
export function accountKey(email: string): string {
  return crypto.createHash("sha256").update(email.trim().toLowerCase()).digest("hex");
}

function keys(email: string, ip: string) {
  const account = accountKey(email);
  const address = ip.slice(0, 64);
  return { pair: `pair:${account}:${address}`, account: `account:${account}`, address: `ip:${address}`, known: `known:${account}:${address}`, audit: `refused:${account}` };
}

const byPool = new WeakMap<pg.Pool, LoginLimiter>();

/** One limiter per pool, shared by sign-in and the change-password form. */
export function loginLimiterFor(pool: pg.Pool): LoginLimiter {
  let limiter = byPool.get(pool);
  if (!limiter) byPool.set(pool, (limiter = createLoginLimiter(pool)));
  return limiter;
}

// Reserve one attempt on each counted key, in one statement: `pending` (being
// checked now) goes up; a window that has ended starts again (its failures and
// any pending left by a crashed process are dropped). Returns failures + pending
// per key, this attempt included, and whether the address is known.
const RESERVE = `
  with bumped as (
    insert into ${LOGIN_LIMIT_TABLE} (key, count, pending, "resetAt")
    select k, 0, 1, now() + make_interval(secs => $3) from unnest($1::text[]) as k order by k
    on conflict (key) do update set
      count = case when ${LOGIN_LIMIT_TABLE}."resetAt" <= now() then 0 else ${LOGIN_LIMIT_TABLE}.count end,
      pending = case when ${LOGIN_LIMIT_TABLE}."resetAt" <= now() then 1 else ${LOGIN_LIMIT_TABLE}.pending + 1 end,
      "resetAt" = case when ${LOGIN_LIMIT_TABLE}."resetAt" <= now() then excluded."resetAt" else ${LOGIN_LIMIT_TABLE}."resetAt" end
    returning key, count, pending
  )
  select
    (select count from bumped where key = $4) as pair_failed,
    (select count + pending from bumped where key = $4) as pair,
    (select count from bumped where key = $5) as account_failed,
    (select count + pending from bumped where key = $5) as account,
    (select count from bumped where key = $6) as address_failed,
    (select count + pending from bumped where key = $6) as address,
    exists (select 1 from ${LOGIN_LIMIT_TABLE} where key = $2 and "resetAt" > now()) as known`;

// Every statement that changes several counters locks their rows in one order
// (by key), or two sign-ins at once could each hold a row the other waits for
// (a deadlock, seen with 30 parallel attempts).
const LOCKED = (param: string) => `locked as (select key from ${LOGIN_LIMIT_TABLE} where key = any(${param}::text[]) order by key for update)`;
const RELEASE = `with ${LOCKED("$1")} update ${LOGIN_LIMIT_TABLE} set pending = greatest(pending - 1, 0) where key in (select key from locked)`;
const FAILED = `with ${LOCKED("$1")} update ${LOGIN_LIMIT_TABLE} set pending = greatest(pending - 1, 0), count = count + 1 where key in (select key from locked)`;

/** How long an attempt waits for attempts already being checked (for the same key) to finish, before it is refused. */
const WAIT_FOR_PENDING_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Counts {
  pair: number;
  pair_failed: number;
  account: number;
  account_failed: number;
  address: number;
  address_failed: number;
  known: boolean;
}

/** Over a limit counting the attempts being checked now (`failed` = false) or only finished failures (`failed` = true). */
function over(r: Counts, failedOnly: boolean): boolean {
  const pair = failedOnly ? r.pair_failed + 1 : r.pair;
  const account = failedOnly ? r.account_failed + 1 : r.account;
  const address = failedOnly ? r.address_failed + 1 : r.address;
  return pair > MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS || (!r.known && (account > MAX_FAILURES_PER_ACCOUNT || address > MAX_FAILURES_PER_IP));
}

export function createLoginLimiter(pool: pg.Pool): LoginLimiter {
  const release = (ks: string[]) => pool.query(RELEASE, [ks]).then(() => undefined);
  return {
    async reserve(email, ip) {
      const k = keys(email, ip);
      const counted = [k.pair, k.account, k.address].sort();
      // Now and then, forget windows that ended long ago (any process may do it).
      if (Math.random() < 0.01) void pool.query(`delete from ${LOGIN_LIMIT_TABLE} where "resetAt" < now() - interval '1 day' and pending = 0`).catch(() => {});
      const started = Date.now();
      for (;;) {
        const { rows } = await pool.query<Counts>(RESERVE, [counted, k.known, LOGIN_WINDOW_SECONDS, k.pair, k.account, k.address]);
        const r = rows[0]!;
        if (!over(r, false)) {
          let settled = false;
          return {
            blocked: false,
            async release() {
              if (settled) return;
              settled = true;
              await release(counted);
            },
            async failed() {
              if (settled) return;
              settled = true;
              await pool.query(FAILED, [counted]);
            },
            async succeeded() {
              if (settled) return;
              settled = true;
              await pool.query(
                `with ${LOCKED("$5")},
                      forget as (update ${LOGIN_LIMIT_TABLE} set count = 0, pending = greatest(pending - 1, 0) where key = $1 and key in (select key from locked)),
                      known as (insert into ${LOGIN_LIMIT_TABLE} (key, count, pending, "resetAt") values ($2, 0, 0, now() + make_interval(days => $4))
                                on conflict (key) do update set "resetAt" = excluded."resetAt")
                 update ${LOGIN_LIMIT_TABLE} set pending = greatest(pending - 1, 0) where key = any($3::text[]) and key in (select key from locked)`,
                [k.pair, k.known, [k.account, k.address], KNOWN_ADDRESS_DAYS, counted],
              );
            },
          };
        }
        // A refusal checks no password: give the reservation back.
        await release(counted);
        // Refused only because other attempts are being checked right now (six
        // colleagues' browsers at once, say): wait for them, then try again.
        // Finished failures alone over a limit: refused at once.
        if (over(r, true) || Date.now() - started > WAIT_FOR_PENDING_MS) return { blocked: true, failed: async () => {}, succeeded: async () => {}, release: async () => {} };
        await sleep(50 + Math.random() * 100);
      }
    },
    async firstRefusalInWindow(email) {
      const { audit } = keys(email, "");
      const { rowCount } = await pool.query(
        `insert into ${LOGIN_LIMIT_TABLE} (key, count, "resetAt") values ($1, 1, now() + make_interval(secs => $2))
         on conflict (key) do update set count = 1, "resetAt" = excluded."resetAt" where ${LOGIN_LIMIT_TABLE}."resetAt" <= now()`,
        [audit, LOGIN_WINDOW_SECONDS],
      );
      return rowCount === 1;
    },
  };
}
