// The client types services take, and how the app binds them once
// (src/services.ts): routes call the bound functions and never see a client.
import crypto from "node:crypto";
import type { Pool } from "pg";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";

/** A transaction's client: what a service takes when its write must be atomic with its caller's (see docs/architecture.md). */
export type Tx = Prisma.TransactionClient;

/**
 * What a read built with Prisma.sql can run on: the Prisma client (or a
 * transaction's), or the app's pg pool. The pool is for the statements of the
 * hottest pages (the /ideas list, /reports): Prisma 6.19's client engine sends
 * even a raw query through its WebAssembly query compiler and re-encodes every
 * JSON column of the result, on the main thread, per request. Through the pool
 * the same SQL and parameters go to Postgres as they are.
 */
export type SqlClient = PrismaClient | Tx | Pool;

/**
 * The rows of one parameterised statement (every value a parameter, never
 * concatenated). Through the pool, pg's own decoding is used: timestamptz as
 * Date, int and float8 as number, json as parsed values, text and uuid as
 * strings: what $queryRaw returns for the same columns. Statements that return
 * bigint or numeric columns must cast them (pg returns those as strings).
 */
export async function queryRows<T>(db: SqlClient, sql: Prisma.Sql, opts: { prepared?: boolean } = {}): Promise<T[]> {
  if ("$queryRaw" in db) return db.$queryRaw<T[]>(sql);
  statementObservers.get(db)?.(sql.text);
  const name = opts.prepared ? statementName(sql.text) : undefined;
  return (await db.query({ name, text: sql.text, values: sql.values as unknown[] })).rows as T[];
}

/**
 * `prepared`: the statement is named by a hash of its text, so each pooled
 * connection parses it once and Postgres may keep its plan (plan_cache_mode
 * auto: the first five executions are planned for their own parameters, then a
 * generic plan is kept if it is estimated to cost no more). Only for a
 * statement whose generic plan has been checked to be as good as its custom
 * ones: the /ideas list's is the same plan (issue 20, docs/benchmark.md), where
 * /reports' read three to four times the buffers. The set of names is finite:
 * the text never holds a value (Prisma.sql makes every value a parameter), so
 * it varies with the code path (filters, sort, role), not with the data.
 */
function statementName(text: string): string {
  return `q${crypto.createHash("sha1").update(text).digest("base64url").slice(0, 20)}`;
}

const statementObservers = new WeakMap<Pool, (sql: string) => void>();

/**
 * Reports each statement queryRows sends through `pool` to `onQuery`, as
 * Prisma's query events report its own (openDatabase's onQuery: tests and the
 * bench count the statements a page runs).
 */
export function observeStatements(pool: Pool, onQuery: (sql: string) => void): void {
  statementObservers.set(pool, onQuery);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ClientFn<C> = (client: C, ...args: any[]) => unknown;
/** A service function with its client argument already given. */
export type Bound<F> = F extends (client: never, ...args: infer A) => infer R ? (...args: A) => R : never;

/**
 * The named functions of a service module, each given its first argument (the
 * client) now, so callers pass the rest:
 * `bindClient(prisma, sessions, ["getSession"]).getSession(practiceId, id)`.
 */
export function bindClient<C, K extends string, M extends Record<K, ClientFn<C>>>(client: C, module: M, names: readonly K[]): { readonly [P in K]: Bound<M[P]> } {
  const bound: Partial<Record<K, unknown>> = {};
  for (const name of names) {
    const fn = module[name];
    bound[name] = (...args: unknown[]) => fn(client, ...args);
  }
  return bound as { [P in K]: Bound<M[P]> };
}
