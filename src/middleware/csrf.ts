// CSRF protection, two kinds:
// - Signed-in forms: csrf-sync, a synchroniser token kept in the session and
//   posted back in a hidden `_csrf` field.
// - Anonymous forms (sign in, set a password from an invitation): a signed
//   double-submit token, so that showing the form writes nothing to the
//   database. The browser gets a random value in a cookie (ppg.form); the form
//   carries HMAC(secret, that value). A post is accepted when the two match. A
//   site that cannot read our cookie cannot make the token, and one that could
//   plant a cookie still cannot sign it.
// A missing or wrong token is a 403, and nothing changes. At /login the 403
// is a fresh sign-in form with a new token and a message (for example a page
// served while the database was down), never "You do not have permission".
import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { parse as parseCookies, serialize as serializeCookie } from "cookie";
import { csrfSync } from "csrf-sync";
import { isScriptRequest } from "../lib/routing.js";

export const FORM_COOKIE = "ppg.form";
/** Shown on the sign-in form when its token was refused. */
export const FORM_EXPIRED = "This sign-in page had expired, so nothing was sent. Enter your details again";

const csrf = csrfSync({
  getTokenFromRequest: (req) => (req.body && typeof req.body._csrf === "string" ? req.body._csrf : undefined),
  errorConfig: { statusCode: 403, message: "Invalid or missing CSRF token", code: "EBADCSRFTOKEN" },
});

/** The key of anonymous form tokens, derived from the session secret (app.locals.formTokenKey, set by createApp). */
export function formTokenKey(sessionSecret: string): Buffer {
  return crypto.createHmac("sha256", sessionSecret).update("anonymous-form-token").digest();
}

function keyOf(req: Request): Buffer {
  const key = req.app.locals.formTokenKey as Buffer | undefined;
  if (!key) throw new Error("app.locals.formTokenKey is not set");
  return key;
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;

function formCookie(req: Request): string | undefined {
  const value = parseCookies(req.headers.cookie ?? "")[FORM_COOKIE];
  return value && COOKIE_VALUE.test(value) ? value : undefined;
}

function sign(req: Request, value: string): string {
  return crypto.createHmac("sha256", keyOf(req)).update(value).digest("base64url");
}

/** The anonymous form token for this browser, setting its cookie when it has none. No session, no database. */
function anonymousToken(req: Request, res: Response): string {
  let value = formCookie(req);
  if (!value) {
    value = crypto.randomBytes(32).toString("base64url");
    res.append("Set-Cookie", serializeCookie(FORM_COOKIE, value, { httpOnly: true, sameSite: "lax", secure: req.secure, path: "/" }));
  }
  return sign(req, value);
}

function anonymousTokenValid(req: Request): boolean {
  const value = formCookie(req);
  const posted = req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>)._csrf : undefined;
  if (!value || typeof posted !== "string") return false;
  const expected = Buffer.from(sign(req, value));
  const given = Buffer.from(posted);
  return given.length === expected.length && crypto.timingSafeEqual(given, expected);
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses a state-changing request without a valid token (403). A refused
 * sign-in form comes back fresh (auth/routes.ts). One
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
  if (SAFE.has(req.method)) return next();
  // An anonymous form (sign in, set a password from an invitation): the signed
  // double-submit token; at /login also when a session is signed in already.
  if ((!req.session?.userId || req.path === "/login") && anonymousTokenValid(req)) return next();
  csrf.csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (!err) return next();
    if (req.method === "POST" && req.path === "/login") {
      res.locals.csrfRefused = true; // the sign-in route shows a fresh form (auth/routes.ts)
      return next();
    }
    const signedOut = req.method === "POST" && req.session && !req.session.userId;
    // A script's request (the outcome autosave) after the session ended: a 401 it can read; nothing kept.
    if (signedOut && isScriptRequest(req)) return res.status(401).json({ error: "signed-out" });
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

/** For forms that anonymous visitors see (sign in, set a password): a token that needs no session row. */
export function ensureCsrfToken(req: Request, res: Response): void {
  res.locals.csrfToken = req.session?.userId ? csrf.generateToken(req) : anonymousToken(req, res);
}
