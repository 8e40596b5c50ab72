// The one authorisation mechanism: every route declares who may use it, and
// that declaration both installs the check and is recorded, so the
// authorisation-matrix test can prove every route is covered.
import type { NextFunction, Request, RequestHandler, Response, Router } from "express";
import type { Role } from "../generated/prisma/enums.js";
import { ForbiddenError } from "./errors.js";

export type Access = "public" | "signedIn" | readonly Role[];

export interface RouteSpec {
  method: "GET" | "POST";
  path: string;
  access: Access;
}

export const ALL_STAFF: readonly Role[] = ["MANAGER", "FACILITATOR", "VIEWER"];
export const MANAGERS: readonly Role[] = ["MANAGER"];
export const MANAGERS_AND_FACILITATORS: readonly Role[] = ["MANAGER", "FACILITATOR"];

/**
 * A page's script asking for data (fetch with Accept: application/json, such as
 * the outcome form's autosave), not the browser navigating: it gets a 401 it
 * can read instead of a sign-in page, and nothing it sent is kept.
 */
export function isScriptRequest(req: Request): boolean {
  const mode = req.headers["sec-fetch-mode"];
  if (mode === "navigate") return false;
  return /\bapplication\/json\b/.test(req.headers.accept ?? "");
}

/** 401 becomes a redirect to sign in for pages; 403 when the role is wrong. */
export function requireAccess(access: Access): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (access === "public") return next();
    const user = res.locals.currentUser;
    if (!user) {
      if (isScriptRequest(req)) return res.status(401).json({ error: "signed-out" });
      if (req.method === "GET") {
        return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      }
      // A form posted after the session expired: keep what was typed, then sign in.
      if (req.session && req.body && typeof req.body === "object") {
        const { _csrf: _ignored, ...body } = req.body as Record<string, unknown>;
        req.session.pendingForm = { path: req.originalUrl, body };
        return res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}&restored=1`);
      }
      return res.status(401).render("errors/401");
    }
    if (access !== "signedIn" && !access.includes(user.role)) {
      return next(new ForbiddenError());
    }
    next();
  };
}

/**
 * Whether a role may use a declared route: for offering only the links and
 * buttons a user can follow. Undeclared routes are never allowed.
 */
export function mayUse(registry: readonly RouteSpec[], method: RouteSpec["method"], path: string, role: Role | undefined): boolean {
  const spec = registry.find((r) => r.method === method && r.path === path);
  if (!spec) return false;
  if (spec.access === "public") return true;
  if (!role) return false;
  return spec.access === "signedIn" || spec.access.includes(role);
}

export class SecuredRouter {
  constructor(
    private readonly router: Router,
    private readonly registry: RouteSpec[],
  ) {}
  get(path: string, access: Access, ...handlers: RequestHandler[]): this {
    this.registry.push({ method: "GET", path, access });
    this.router.get(path, requireAccess(access), ...handlers);
    return this;
  }
  post(path: string, access: Access, ...handlers: RequestHandler[]): this {
    this.registry.push({ method: "POST", path, access });
    this.router.post(path, requireAccess(access), ...handlers);
    return this;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(s: unknown): s is string {
  return typeof s === "string" && UUID.test(s);
}
