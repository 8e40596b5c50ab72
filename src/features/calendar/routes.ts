// /calendar: a month of every group's sessions (facilitators: their own), gaps
// per group, the gap setting; /account/calendar: the private calendar feeds;
// /calendar/feed/:token.ics: a feed, for calendar apps (no session, the token
// is the key; mounted before sessions by feedRoutes).
import { Router, type Request, type Response } from "express";
import type { AppContext } from "../../services.js";
import { errorList, validate } from "../../lib/forms.js";
import { ALL_STAFF, MANAGERS, mayUse, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { redirectAfterSave } from "../../lib/session.js";
import { ForbiddenError, NotFoundError } from "../../lib/errors.js";
import { currentUser } from "../../middleware/auth.js";
import { calendarHelpers } from "./present.js";
import { feedScopesFor } from "./feeds.js";
import { calendarFile, sessionEvent } from "./ics.js";
import { addMonths, DAY_NAMES, formatMonth, layOutMonth, londonDate, monthLabel, monthOf, parseMonth } from "./month.js";
import { feedScopeSchema, gapMonthsSchema } from "./schemas.js";
import { GAPS_LIMIT } from "./service.js";

const SCOPE_TEXT = {
  ASSIGNED: { heading: "Your sessions", text: "The sessions you are assigned to as a facilitator." },
  PRACTICE: { heading: "All the practice's sessions", text: "Every session of every group, as on the calendar page." },
} as const;


export function calendarRoutes({ services, config }: AppContext, registry: RouteSpec[]): Router {
  const { calendarGaps, gapMonths, monthSessions, setGapMonths, feedsOf, issueFeedToken, revokeFeed } = services.calendar;
  const router = Router();
  const r = new SecuredRouter(router, registry);

  r.get("/calendar", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const now = new Date();
    const parsed = parseMonth(req.query.month);
    if (parsed === null) {
      const thisMonth = formatMonth(monthOf(now));
      return res.status(400).render("calendar/bad-month", { title: "That month could not be shown", thisMonth, backLink: { href: "/calendar" } });
    }
    const month = parsed ?? monthOf(now);
    const viewer = { practiceId: user.practice.id, userId: user.id, role: user.role };
    const [{ sessions, truncated }, gaps] = await Promise.all([monthSessions(viewer, month), calendarGaps(viewer, now)]);
    const { weeks, days } = layOutMonth(month, sessions, now);
    const prev = addMonths(month, -1);
    const next = addMonths(month, 1);
    res.render("calendar/index", {
      title: `Calendar: ${monthLabel(month)}`,
      monthLabel: monthLabel(month),
      weeks,
      days: days.filter((d) => d.items.length > 0),
      total: sessions.length,
      truncated,
      dayNames: DAY_NAMES,
      prev: { href: `/calendar?month=${formatMonth(prev)}`, label: monthLabel(prev) },
      next: { href: `/calendar?month=${formatMonth(next)}`, label: monthLabel(next) },
      thisMonthHref: parsed && formatMonth(parsed) !== formatMonth(monthOf(now)) ? "/calendar" : undefined,
      facilitatorOnly: user.role === "FACILITATOR",
      gaps,
      gapsLimit: GAPS_LIMIT,
      canChangeGaps: mayUse(registry, "GET", "/calendar/settings", user.role),
      canPlan: user.role === "MANAGER",
      ...calendarHelpers,
    });
  });

  // ---- the gap setting ----
  const renderSettings = (res: Response, status: number, current: number, values: Record<string, unknown>, errors?: Record<string, string>) =>
    res.status(status).render("calendar/settings", {
      title: "When to flag a group", current, values, errors: errors ?? {}, errorList: errorList(errors ?? {}, ["gapAlertMonths"]), backLink: { href: "/calendar" },
    });

  r.get("/calendar/settings", MANAGERS, async (_req, res) => {
    const months = await gapMonths(currentUser(res).practice.id);
    renderSettings(res, 200, months, { gapAlertMonths: String(months) });
  });

  r.post("/calendar/settings", MANAGERS, async (req, res) => {
    const user = currentUser(res);
    const v = validate(gapMonthsSchema, req.body ?? {});
    if (!v.ok) return renderSettings(res, 400, await gapMonths(user.practice.id), { gapAlertMonths: req.body?.gapAlertMonths }, v.errors);
    const changed = await setGapMonths(user.practice.id, user.id, v.data.gapAlertMonths);
    const n = v.data.gapAlertMonths;
    req.session.flash = { type: "success", text: changed ? `Groups not met for more than ${n} month${n === 1 ? "" : "s"} are now flagged` : "The setting was not changed" };
    await redirectAfterSave(req, res, "/calendar");
  });

  // ---- private calendar feeds ----
  const feedUrl = (token: string) => `${config.publicUrl}/calendar/feed/${token}.ics`;
  async function renderFeeds(res: Response, status: number, opts: { issued?: { scope: string; url: string; rotated: boolean }; errors?: Record<string, string> } = {}) {
    const user = currentUser(res);
    const feeds = await feedsOf(user.practice.id, user.id);
    const scopes = feedScopesFor(user.role).map((scope) => {
      const feed = feeds.find((f) => f.scope === scope);
      return { scope, ...SCOPE_TEXT[scope], exists: Boolean(feed), since: feed ? londonDate(feed.updatedAt) : undefined };
    });
    // A new URL is shown once, in this response only: it is never stored, and never cached.
    if (opts.issued) res.setHeader("Cache-Control", "no-store");
    res.status(status).render("calendar/feeds", {
      title: "Calendar feeds", scopes, issued: opts.issued && { ...opts.issued, webcal: opts.issued.url.replace(/^https?:/, "webcal:") },
      errors: opts.errors ?? {}, errorList: errorList(opts.errors ?? {}, ["scope"]), backLink: { href: "/calendar" },
    });
  }

  r.get("/account/calendar", ALL_STAFF, async (_req, res) => {
    await renderFeeds(res, 200);
  });

  /** The scope in the form, if this person may hold it (a non-manager asking for the whole practice is refused). */
  function scopeFrom(req: Request, res: Response) {
    const v = validate(feedScopeSchema, req.body ?? {});
    if (!v.ok) return { errors: v.errors };
    if (!feedScopesFor(currentUser(res).role).includes(v.data.scope)) return { forbidden: true as const };
    return { scope: v.data.scope };
  }

  // Makes a feed, or rotates its token. Answers with the page itself (not a
  // redirect): the only place the new URL is ever shown.
  r.post("/account/calendar", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const s = scopeFrom(req, res);
    if ("forbidden" in s) throw new ForbiddenError();
    if (!s.scope) return renderFeeds(res, 400, { errors: s.errors });
    const { token, rotated } = await issueFeedToken(user.practice.id, user.id, s.scope);
    await renderFeeds(res, 200, { issued: { scope: s.scope, url: feedUrl(token), rotated } });
  });

  r.post("/account/calendar/revoke", ALL_STAFF, async (req, res) => {
    const user = currentUser(res);
    const s = scopeFrom(req, res);
    if ("forbidden" in s) throw new ForbiddenError();
    if (!s.scope) return renderFeeds(res, 400, { errors: s.errors });
    const revoked = await revokeFeed(user.practice.id, user.id, s.scope);
    req.session.flash = { type: "success", text: revoked ? "The calendar feed was turned off. Its address no longer works" : "That calendar feed was already off" };
    await redirectAfterSave(req, res, "/account/calendar");
  });

  return router;
}

/**
 * The feed itself: public (a calendar app has no session), opened by its token.
 * Mounted with the public pages, before sessions, so no session is read or made.
 */
export function calendarFeedRoutes({ services, config }: AppContext, registry: RouteSpec[]): Router {
  const { openFeed } = services.calendar;
  const router = Router();
  const r = new SecuredRouter(router, registry);
  r.get("/calendar/feed/:token.ics", "public", async (req, res) => {
    const feed = await openFeed(String(req.params.token));
    if (!feed) throw new NotFoundError();
    const body = calendarFile(feed.sessions.map((s) => sessionEvent(s, config.publicUrl)), feed.calName);
    res.setHeader("Content-Type", "text/calendar; charset=utf-8");
    // Private to its holder: never kept by a shared cache, never indexed.
    res.setHeader("Cache-Control", "private, no-cache");
    res.setHeader("X-Robots-Tag", "noindex, nofollow");
    res.send(body);
  });
  return router;
}
