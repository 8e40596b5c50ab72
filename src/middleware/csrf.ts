// CSRF protection with csrf-sync: a synchroniser token kept in the session and
// posted back in a hidden `_csrf` field. A missing or wrong token is a 403.
import type { NextFunction, Request, Response } from "express";
import { csrfSync } from "csrf-sync";

const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body && typeof req.body._csrf === "string" ? req.body._csrf : undefined),
  errorConfig: { statusCode: 403, message: "Invalid or missing CSRF token", code: "EBADCSRFTOKEN" },
});

/**
 * Refuses a state-changing request without the session's token (403). One
 * exception keeps people's work: a form posted from one of our own pages
 * after the staff session ended is kept in a new session, and the user is
 * sent to sign in; the form comes back filled in (pages that restore one:
 * the session outcome). Nothing is saved or changed. This works whether the
 * browser still sends the old session cookie (the server ended the session)
 * or has dropped it (the cookie expired with the idle timeout): "our own
 * page" is what the browser says (Sec-Fetch-Site: same-origin, or an Origin
 * header naming this site when a browser sends no Sec-Fetch-Site), which a
 * page on another site cannot fake. Password fields are never kept.
 */
export function csrfProtection(req: Request, res: Response, next: NextFunction) {
  csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (!err) return next();
    const signedOut = req.method === "POST" && req.session && !req.session.userId;
    if (signedOut && fromOurOwnPage(req)) {
      // Signing out of a session that has already ended: nothing to do.
      if (req.path === "/logout") return res.redirect(303, "/login?signedout=1");
      if (req.path !== "/login" && req.body && typeof req.body === "object") {
        const body: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(req.body as Record<string, unknown>)) if (k !== "_csrf" && !/password/i.test(k)) body[k] = v;
        req.session.pendingForm = { path: req.originalUrl, body };
        return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}&restored=1`);
      }
    }
    next(err);
  });
}

/** The browser says the request came from a page of this site. */
function fromOurOwnPage(req: Request): boolean {
  const site = req.headers["sec-fetch-site"];
  if (site !== undefined) return site === "same-origin";
  const origin = req.headers.origin;
  return typeof origin === "string" && origin === `${req.protocol}://${req.get("host")}`;
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
