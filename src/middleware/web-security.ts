// Web security: strict CSP (no inline script or style), no framing; HSTS only
// over TLS (middleware/tls.ts).
import type { Express } from "express";
import helmet from "helmet";
import { tlsOnlyHeaders } from "./tls.js";

export function setUpWebSecurity(app: Express): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
      // Both only when this request is known to have come over TLS: below.
      strictTransportSecurity: false,
      referrerPolicy: { policy: "no-referrer" },
    }),
  );
  app.use(tlsOnlyHeaders);
}
