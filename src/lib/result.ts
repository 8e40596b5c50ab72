// The one shape of an expected outcome a service reports back to its caller:
// saved, or refused for a reason the page explains (someone else saved first,
// a stale version, an outcome already final, a rule of the practice a form
// broke). Returned, never thrown. What makes a request fail outright (not
// found, forbidden, a bug) is thrown as a typed error (lib/errors.ts) and
// mapped to HTTP once, by the error handler (middleware/errors.ts).
// See docs/architecture.md.
import type { FieldErrors } from "./forms.js";

/** Refused; "invalid" carries the form's field errors (a rule checked against the database: a name taken, the last manager). */
export type Refused<Reason extends string> = Reason extends "invalid" ? { ok: false; reason: "invalid"; errors: FieldErrors } : { ok: false; reason: Reason };

export type Result<T extends object = object, Reason extends string = "conflict"> = ({ ok: true } & T) | Refused<Reason>;

export function ok(): { ok: true };
export function ok<T extends object>(value: T): { ok: true } & T;
export function ok(value: object = {}) {
  return { ok: true as const, ...value };
}

export function refused<Reason extends string>(reason: Reason): { ok: false; reason: Reason };
/** Refused, with what the page needs to explain it (the newer version and when it was saved). */
export function refused<Reason extends string, D extends object>(reason: Reason, detail: D): { ok: false; reason: Reason } & D;
export function refused(reason: string, detail: object = {}) {
  return { ok: false as const, reason, ...detail };
}

/** Refused with field errors, shown on the form as if zod had found them. */
export function invalid(errors: FieldErrors): { ok: false; reason: "invalid"; errors: FieldErrors } {
  return { ok: false, reason: "invalid", errors };
}
