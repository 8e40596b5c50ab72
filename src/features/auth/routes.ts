// /login, /logout and choosing the practice to work in.
import { Router, type Request } from "express";
import { z } from "zod";
import type { AppContext } from "../../services.js";
import { errorList, validate } from "../../lib/forms.js";
import { SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { SESSION_COOKIE, redirectAfterSave } from "../../lib/session.js";
import { currentUser } from "../../middleware/auth.js";
import { ensureCsrfToken, FORM_EXPIRED } from "../../middleware/csrf.js";
import { LOGIN_WINDOW_SECONDS, TOO_MANY_ATTEMPTS } from "./rate-limit.js";

export { TOO_MANY_ATTEMPTS };
export const WRONG_DETAILS = "Enter a correct email address and password";

const loginSchema = z.object({
  email: z.string({ required_error: "Enter your email address" }).trim().min(1, "Enter your email address").max(320, "Enter a valid email address"),
  password: z.string({ required_error: "Enter your password" }).min(1, "Enter your password").max(1000, "Enter your password"),
});

/** Only same-site paths: never redirect to another host after sign-in. */
export function safeNext(next: unknown): string {
  return typeof next === "string" && /^\/(?![/\\])/.test(next) ? next : "/dashboard";
}

function regenerate(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.session.regenerate((err) => (err ? reject(err) : resolve())));
}

export function authRoutes({ services }: AppContext, registry: RouteSpec[]): Router {
  const { signIn, recordBlockedSignIn, loginLimiter: limiter } = services.auth;
  const { recordAudit } = services.audit;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  r.get("/login", "public", (req, res) => {
    if (res.locals.currentUser) return res.redirect(303, safeNext(req.query.next));
    ensureCsrfToken(req, res);
    res.render("auth/login", { title: "Sign in",
      values: {},
      next: safeNext(req.query.next),
      restored: req.query.restored === "1",
      expired: req.query.expired === "1",
      // Where /logout sends the browser: say it worked (a success banner, as
      // after any other action), so someone on a shared computer knows.
      signedOut: req.query.signedout === "1",
    });
  });

  r.post("/login", "public", async (req, res) => {
    const next = safeNext(req.body?.next);
    const values = { email: typeof req.body?.email === "string" ? req.body.email : "" };
    ensureCsrfToken(req, res);
    if (res.locals.csrfRefused) {
      // A form whose token was refused (served while the database was down, or
      // long ago): nothing was checked or counted; here is a fresh one.
      const errors = { email: FORM_EXPIRED };
      return res.status(403).render("auth/login", { title: "Sign in", errors, errorList: errorList(errors), values, next });
    }
    const v = validate(loginSchema, req.body);
    if (!v.ok) {
      return res.status(400).render("auth/login", { title: "Sign in", errors: v.errors, errorList: errorList(v.errors, ["email", "password"]), values, next });
    }
    const ip = req.ip ?? "unknown";
    // Brute-force protection: counted by the e-mail typed (not by whether it
    // exists), so a refusal says nothing about the account. The attempt is
    // counted before the password is checked (see rate-limit.ts).
    const attempt = await limiter.reserve(v.data.email, ip);
    if (attempt.blocked) {
      // One audit row per account and lock window, however many refusals.
      if (await limiter.firstRefusalInWindow(v.data.email)) await recordBlockedSignIn({ email: v.data.email, ip });
      const errors = { email: TOO_MANY_ATTEMPTS };
      res.setHeader("Retry-After", String(LOGIN_WINDOW_SECONDS));
      return res.status(429).render("auth/login", { title: "Sign in", errors, errorList: errorList(errors), values, next });
    }
    const result = await signIn({ ...v.data, ip }).catch(async (err: unknown) => {
      await attempt.release().catch(() => {});
      throw err;
    });
    if (!result.ok) {
      await attempt.failed();
      // One message for every failure: it must not reveal whether the account exists.
      const errors = { email: WRONG_DETAILS };
      return res.status(401).render("auth/login", { title: "Sign in", errors, errorList: errorList(errors), values, next });
    }
    await attempt.succeeded();
    const pendingForm = req.session.pendingForm;
    // A new session id at sign-in (prevents session fixation).
    await regenerate(req);
    req.session.userId = result.userId;
    req.session.practiceId = result.practiceId;
    req.session.signedInAt = Date.now();
    if (pendingForm && pendingForm.path === next) req.session.pendingForm = pendingForm;
    await redirectAfterSave(req, res, next);
  });

  r.post("/logout", "public", async (req, res) => {
    const user = res.locals.currentUser;
    if (user) {
      await recordAudit({ practiceId: user.practice.id, actorId: user.id, action: "auth.sign-out", entityType: "User", entityId: user.id });
    }
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    res.clearCookie(SESSION_COOKIE, { path: "/" });
    res.redirect(303, "/login?signedout=1");
  });

  r.get("/practice", "signedIn", (req, res) => {
    res.render("auth/practice", { title: "Choose a practice", values: { practiceId: currentUser(res).practice.id }, backLink: { href: "/dashboard" } });
  });

  r.post("/practice", "signedIn", async (req, res) => {
    const user = currentUser(res);
    const practiceId = String(req.body?.practiceId ?? "");
    if (!user.memberships.some((m) => m.practiceId === practiceId)) {
      const errors = { practiceId: "Select a practice you belong to" };
      return res.status(400).render("auth/practice", { title: "Choose a practice", errors, errorList: errorList(errors), values: { practiceId }, backLink: { href: "/dashboard" } });
    }
    req.session.practiceId = practiceId;
    req.session.flash = { type: "success", text: `You are now working in ${user.memberships.find((m) => m.practiceId === practiceId)!.practiceName}` };
    await redirectAfterSave(req, res, "/dashboard");
  });

  return router;
}
