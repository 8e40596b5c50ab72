// The one shape of an expected outcome a service reports back to its caller:
// saved, or refused for a reason the page explains (someone else saved first,
// a stale version, an outcome already final). Returned, never thrown.
// What makes a request fail outright (not found, forbidden, a bug) is thrown
// as a typed error (lib/errors.ts) and mapped to HTTP once, by the error
// handler (middleware/errors.ts). See docs/architecture.md.
export type Result<T extends object = object, Reason extends string = "conflict"> = ({ ok: true } & T) | { ok: false; reason: Reason };

export function ok(): { ok: true };
export function ok<T extends object>(value: T): { ok: true } & T;
export function ok(value: object = {}) {
  return { ok: true as const, ...value };
}

export function refused<Reason extends string>(reason: Reason): { ok: false; reason: Reason } {
  return { ok: false, reason };
}
