// express-session saves a changed session while the response ends, but it
// sends the headers first: a browser follows a 303 as soon as it has the
// headers, so the next GET can arrive before the session row is written and
// miss a flash message, a one-time value, or even the sign-in. Save first.
import type { Request, Response } from "express";

export function saveSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.save((err) => (err ? reject(err) : resolve())));
}

/** Post/redirect/get, with the session written before the redirect is sent. */
export async function redirectAfterSave(req: Request, res: Response, url: string): Promise<void> {
  await saveSession(req);
  res.redirect(303, url);
}
