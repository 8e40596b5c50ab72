// CSRF protection with csrf-sync: a synchroniser token kept in the session and
// posted back in a hidden `_csrf` field. A missing or wrong token is a 403.
import type { NextFunction, Request, Response } from "express";
import { csrfSync } from "csrf-sync";

const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body && typeof req.body._csrf === "string" ? req.body._csrf : undefined),
  errorConfig: { statusCode: 403, message: "Invalid or missing CSRF token", code: "EBADCSRFTOKEN" },
});

export const csrfProtection = csrf.csrfSynchronisedProtection;

/** Puts a token in the form for the signed-in user. Anonymous pages with forms call ensureCsrfToken. */
export function exposeCsrfToken(req: Request, res: Response, next: NextFunction) {
  if (req.session?.userId) res.locals.csrfToken = csrf.generateToken(req);
  next();
}

/** For forms shown to anonymous visitors (sign in, accept an invitation): creates the session. */
export function ensureCsrfToken(req: Request, res: Response): void {
  res.locals.csrfToken = csrf.generateToken(req);
}
