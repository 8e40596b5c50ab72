// CSRF protection with csrf-sync: a synchroniser token kept in the session and
// posted back in a hidden `_csrf` field. A missing or wrong token is a 403.
import type { NextFunction, Request, Response } from "express";
import { csrfSync } from "csrf-sync";
import { SESSION_COOKIE } from "../lib/session.js";

const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body && typeof req.body._csrf === "string" ? req.body._csrf : undefined),
  errorConfig: { statusCode: 403, message: "Invalid or missing CSRF token", code: "EBADCSRFTOKEN" },
});

/**
 * Refuses a state-changing request without the session's token (403). One
 * exception keeps people's work: a same-site form posted after the session
 * expired (the browser still sends our old session cookie, and says the post
 * came from our own page) is kept in a new session, and the user is sent to
 * sign in; the form comes back filled in. Nothing is saved or changed.
 */
export function csrfProtection(req: Request, res: Response, next: NextFunction) {
  csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (!err) return next();
    const expired = req.method === "POST" && !req.session?.userId && req.session && req.path !== "/login";
    const sameSite = req.headers["sec-fetch-site"] === "same-origin";
    const hadSession = (req.headers.cookie ?? "").includes(`${SESSION_COOKIE}=`);
    if (expired && sameSite && hadSession && req.body && typeof req.body === "object") {
      const { _csrf: _dropped, ...body } = req.body as Record<string, unknown>;
      req.session.pendingForm = { path: req.originalUrl, body };
      return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}&restored=1`);
    }
    next(err);
  });
}


/** Puts a token in the form for the signed-in user. Anonymous pages with forms call ensureCsrfToken. */
export function exposeCsrfToken(req: Request, res: Response, next: NextFunction) {
  if (req.session?.userId) res.locals.csrfToken = csrf.generateToken(req);
  next();
}

/** For forms shown to anonymous visitors (sign in, accept an invitation): creates the session. */
export function ensureCsrfToken(req: Request, res: Response): void {
  res.locals.csrfToken = csrf.generateToken(req);
}
