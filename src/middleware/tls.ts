// HSTS and CSP `upgrade-insecure-requests` tell a browser "this site is only
// ever served over https". Sent on a page that came over plain http (a
// practice opening the Docker install at http://192.168.1.20:3000), they make
// the browser ask for every stylesheet and form post over https, which is not
// there: an unstyled page and a failed sign-in. So they are sent only when
// this request is known to have come over TLS: req.secure, which is true for
// a direct TLS connection or when a proxy that TRUST_PROXY names says
// X-Forwarded-Proto: https. Never from NODE_ENV alone.
import type { NextFunction, Request, Response } from "express";

export const HSTS = "max-age=31536000; includeSubDomains";

export function tlsOnlyHeaders(req: Request, res: Response, next: NextFunction): void {
  if (req.secure) {
    res.setHeader("Strict-Transport-Security", HSTS);
    const csp = res.getHeader("Content-Security-Policy");
    if (typeof csp === "string" && !csp.includes("upgrade-insecure-requests")) {
      res.setHeader("Content-Security-Policy", `${csp};upgrade-insecure-requests`);
    }
  }
  next();
}
