// The client types services take, and how the app binds them once
// (src/services.ts): routes call the bound functions and never see a client.
import type { Prisma } from "../generated/prisma/client.js";

/** A transaction's client: what a service takes when its write must be atomic with its caller's (see docs/architecture.md). */
export type Tx = Prisma.TransactionClient;

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
