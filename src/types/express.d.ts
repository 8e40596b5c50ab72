// Typed session and res.locals (module augmentation).
import "express-session";
import type { CurrentUser } from "../middleware/auth.js";

declare module "express-session" {
  interface SessionData {
    userId?: string;
    practiceId?: string;
    /** When the user signed in (ms since epoch): for the absolute timeout. */
    signedInAt?: number;
    flash?: { type: "success" | "info"; text: string; /** A link under the message (same-site paths only). */ link?: { href: string; text: string } };
    /** A form that was posted after the session expired, kept to restore after sign-in. */
    pendingForm?: { path: string; body: Record<string, unknown> };
  }
}

declare global {
  namespace Express {
    interface Locals {
      currentUser?: CurrentUser;
      requestId?: string;
      sessionSaved?: boolean;
    }
  }
}
export {};
