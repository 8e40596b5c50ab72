// express-session saves a changed session while the response ends, but it
// sends the headers first: a browser follows a 303 as soon as it has the
// headers, so the next GET can arrive before the session row is written and
// miss a flash message, a one-time value, or even the sign-in. Save first.
import type { NextFunction, Request, Response } from "express";

/** The name of the staff session cookie. */
export const SESSION_COOKIE = "ppg.sid";

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** Post/redirect/get, with the session written before the redirect is sent (see saveBeforeRedirect). */
export async function redirectAfterSave(req: Request, res: Response, url: string): Promise<void> {
  await saveSession(req);
  res.locals.sessionSaved = true;
  res.redirect(303, url);
}

/**
 * Installed once after the session middleware: every redirect of a request
 * that carries session state (a signed-in user, a flash, a kept form) saves
 * the session first, so no route can forget to.
 */
export function saveBeforeRedirect(req: Request, res: Response, next: NextFunction): void {
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const s = req.session;
    if (!s || res.locals.sessionSaved || !(s.userId || s.flash || s.pendingForm)) return redirect(...args);
    s.save((err) => (err ? next(err) : redirect(...args)));
  }) as Response["redirect"];
  next();
}
