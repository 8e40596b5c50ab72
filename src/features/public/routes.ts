// Public pages: the practice's "you said, we did" board, one idea's public
// timeline, the Atom feed, the A4 poster, and a group's own board behind its
// private link. Mounted before the session middleware: no session is read or
// created here, and there is never a signed-in user on these pages.
import { Router, type Request, type Response } from "express";
import { Feed } from "feed";
import QRCode from "qrcode";
import type { AppContext } from "../../services.js";
import { LANGUAGES, type LanguageCode } from "../../i18n.js";
import { NotFoundError } from "../../lib/errors.js";
import { hrefWithQuery, paginationParams, parsePage, PAGE_SIZE } from "../../lib/pagination.js";
import { isUuid, SecuredRouter, type RouteSpec } from "../../lib/routing.js";
import { escapeHtml } from "../../lib/view-helpers.js";
import { publicLanguage } from "../../middleware/language.js";
import { PageCache } from "./page-cache.js";
import { FIND_PAGE_SIZE, MAX_QUERY_LENGTH } from "./find.js";
import { posterItems, POSTER_LIMITS, shorten, urlParts } from "./poster.js";
import { presenter } from "./present.js";
import {
  IDEA_STATUSES,
  NO_ID,
  PUBLIC_STATUS_ORDER,
  WAITING,
  type BoardFilters,
  type PublicStatusFilter,
  type PublicPractice,
  type Scope,
} from "./service.js";


/** Filters from the query string: anything unknown, repeated or malformed is ignored. */
export function parseFilters(query: Request["query"], opts: { themes: string[]; groups: string[] }): BoardFilters {
  const one = (v: unknown) => (typeof v === "string" ? v : undefined);
  const theme = one(query.theme);
  const group = one(query.group);
  const status = one(query.status);
  return {
    themeId: isUuid(theme) && opts.themes.includes(theme) ? theme : undefined,
    groupId: isUuid(group) && opts.groups.includes(group) ? group : undefined,
    status: status && ([...IDEA_STATUSES, WAITING] as string[]).includes(status) ? (status as PublicStatusFilter) : undefined,
  };
}

/** Raw filters (uuid and status shape only), before the board's options are known. */
function roughFilters(query: Request["query"]): BoardFilters {
  const one = (v: unknown) => (typeof v === "string" ? v : undefined);
  const theme = one(query.theme);
  const group = one(query.group);
  const status = one(query.status);
  return {
    themeId: isUuid(theme) ? theme.toLowerCase() : undefined,
    groupId: isUuid(group) ? group.toLowerCase() : undefined,
    status: status && ([...IDEA_STATUSES, WAITING] as string[]).includes(status) ? (status as PublicStatusFilter) : undefined,
  };
}

/** PUBLIC_URL (or http://localhost:PORT outside production): never the request's Host header, which anyone can set. */
function baseUrl(deps: AppContext, _req: Request): string {
  return deps.config.publicUrl;
}

/**
 * Caching: every page has an ETag (of its body) and `no-cache`: a browser or
 * shared cache may keep it but must revalidate each time (a 304 when nothing
 * changed), so an idea taken off the board is gone at the next request. A
 * group's pages, and a response that sets the language cookie, are private.
 */
function cacheFor(res: Response, kind: "public" | "group") {
  const setsCookie = res.getHeader("Set-Cookie") !== undefined;
  res.setHeader("Cache-Control", kind === "public" && !setsCookie ? "no-cache" : "private, no-cache");
}

/** The query parameters a public page understands, in a fixed order; anything else (unknown, repeated, bracketed) is left out. */
export function normalisedQuery(query: Request["query"]): string {
  const f = roughFilters(query);
  const page = parsePage(query.page);
  const kept: [string, string][] = [];
  if (f.themeId) kept.push(["theme", f.themeId]);
  if (f.groupId) kept.push(["group", f.groupId]);
  if (f.status) kept.push(["status", f.status]);
  if (page > 1) kept.push(["page", String(page)]);
  return kept.length ? `?${new URLSearchParams(kept).toString()}` : "";
}

/** The service's name in the visitor's language, for the layout's header and title. */
function localise(res: Response) {
  res.locals.serviceName = res.locals.t("layout.serviceName");
}

/** Render a view (with the layout) to a string, without sending it. */
function renderToString(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => res.render(view, locals, (err, html) => (err ? reject(err) : resolve(html))));
}

function noindex(res: Response) {
  res.setHeader("X-Robots-Tag", "noindex, nofollow");
}

export function publicRoutes(deps: AppContext, registry: RouteSpec[]): Router {
  const router = Router();
  const r = new SecuredRouter(router, registry);
  const { findPractices, groupByToken, latestItems, loadBoard, loadIdea, readPractice, recentUpdates } = deps.services.public;
  const pages = new PageCache({ ttlMs: deps.config.publicCacheSeconds * 1000 });
  const languageLinks = (lang: string, url: string) =>
    LANGUAGES.map((l) => ({ code: l.code, name: l.name, current: l.code === lang, href: `${url}${url.includes("?") ? "&" : "?"}lang=${l.code}` }));

  /**
   * A practice's public page from the page cache (see page-cache.ts), made by
   * `produce` on a miss. Each request reads the practice (with its data
   * version: the cache serves only pages of the current version, so a
   * withdrawal shows at once on every process). The key holds everything else
   * the body depends on: the language, the base URL where used (feed and
   * poster links), the path and the understood query parameters (the
   * language switcher's links are made from that same normalised URL).
   * Headers are set per request; a 404 or any error is never cached.
   */
  async function sendPublicPage(
    req: Request,
    res: Response,
    produce: (practice: PublicPractice) => Promise<{ body: string; type: string }>,
    opts: { usesBaseUrl?: boolean } = {},
  ) {
    const url = `${req.path}${normalisedQuery(req.query)}`;
    res.locals.languages = languageLinks(String(res.locals.lang), url);
    const key = `${String(res.locals.lang)} ${opts.usesBaseUrl ? baseUrl(deps, req) : ""} ${url}`;
    const etagFn = req.app.get("etag fn") as ((body: Buffer) => string | undefined) | undefined;
    let practice: PublicPractice | null = null;
    const page = await pages.get(
      key,
      async () => {
        practice = await readPractice(String(req.params.practiceSlug));
        if (!practice) throw new NotFoundError();
        return practice.dataVersion;
      },
      async () => {
        const made = await produce(practice!);
        const body = Buffer.from(made.body, "utf8");
        return { body, type: made.type, etag: typeof etagFn === "function" ? etagFn(body) : undefined };
      },
    );
    cacheFor(res, "public");
    res.type(page.type);
    // Set here, Express sends this ETag (and answers If-None-Match with 304) without hashing the body again.
    if (page.etag) res.setHeader("ETag", page.etag);
    res.send(page.body);
  }

  /** The board page's HTML (headers set on res; the body is the caller's to send or cache). */
  async function boardHtml(req: Request, res: Response, scope: Scope, ctx: { path: string; practice: { name: string; slug: string }; group?: { name: string } } | null): Promise<string> {
    const lang = res.locals.lang as LanguageCode;
    const requested = roughFilters(req.query);
    const board = await loadBoard(scope, requested, parsePage(req.query.page), PAGE_SIZE, lang);
    if (!ctx) throw new NotFoundError();
    // Filters that name no theme or group on this board are ignored, like any other bad value.
    const filters = parseFilters(req.query, { themes: board.themes.map((x) => x.id), groups: board.groups.map((x) => x.id) });
    const result = filters.themeId === requested.themeId && filters.groupId === requested.groupId ? board : await loadBoard(scope, filters, parsePage(req.query.page), PAGE_SIZE, lang);
    const query: Record<string, string | undefined> = { theme: filters.themeId, group: filters.groupId, status: filters.status };
    const t = res.locals.t;
    // The feed in the page's language: a feed reader sends no cookie, so the link carries it (English, the default, needs none).
    const feedUrl = scope.kind === "practice" ? `${ctx.path}/feed.atom${lang === "en" ? "" : `?lang=${lang}`}` : undefined;
    const pagination = paginationParams({ page: result.page, total: result.total, pageSize: PAGE_SIZE, hrefFor: (p) => hrefWithQuery(ctx.path, query, { page: p === 1 ? undefined : p }) });
    localise(res);
    return renderToString(res, "public/board", {
      title: ctx.group ? ctx.group.name : ctx.practice.name,
      noindex: scope.kind === "group",
      mainClasses: "nhsuk-main-wrapper--s",
      feedUrl,
      p: presenter(t, lang),
      board: result,
      filters,
      hasFilters: Boolean(filters.themeId || filters.groupId || filters.status),
      boardPath: ctx.path,
      practice: ctx.practice,
      group: ctx.group,
      pagination,
      // The status filter offers exactly the public statuses of the ideas on this board (with the labels their cards
      // show), so every option finds ideas: "Received" (a public response saying so) is offered only when an idea has
      // it, beside "Waiting for an answer" (no public response yet). A chosen status stays offered, even if it
      // matches nothing now.
      statuses: PUBLIC_STATUS_ORDER.filter((s) => result.counts.byStatus[s] > 0 || s === filters.status),
    });
  }

  // "Find your practice's board" (from the landing page's GET form): by name,
  // town or ODS code; works without JavaScript; 10 a page. Result pages are
  // not for search engines (noindex): the boards themselves are.
  r.get("/boards", "public", publicLanguage, async (req, res) => {
    const q = typeof req.query.q === "string" ? req.query.q.trim().slice(0, MAX_QUERY_LENGTH) : "";
    const found = q ? await findPractices(q, parsePage(req.query.page)) : { practices: [], total: 0, page: 1 };
    const t = res.locals.t;
    localise(res);
    cacheFor(res, "public");
    // The form sent with nothing in it (?q= or only spaces): the NHS error summary and the field's error, in the
    // page's language, rather than a page that looks as if nothing happened. /boards without q is the empty form.
    const empty = typeof req.query.q === "string" && !q;
    const error = empty ? t("public.find.errorEmpty") : undefined;
    res.status(empty ? 400 : 200).render("public/find", {
      title: t("public.find.title"),
      noindex: Boolean(q) || empty,
      errorList: error ? [{ text: error, href: "#q" }] : undefined,
      errorSummaryTitle: error ? t("public.find.errorTitle") : undefined,
      error,
      q,
      found,
      pagination: paginationParams({ page: found.page, total: found.total, pageSize: FIND_PAGE_SIZE, hrefFor: (p) => hrefWithQuery("/boards", { q }, { page: p === 1 ? undefined : p }) }),
    });
  });

  r.get("/p/:practiceSlug", "public", publicLanguage, async (req, res) => {
    await sendPublicPage(req, res, async (practice) => {
      const body = await boardHtml(req, res, { kind: "practice", practiceId: practice.id }, { path: `/p/${practice.slug}`, practice });
      return { body, type: "html" };
    });
  });

  r.get("/p/:practiceSlug/ideas/:id", "public", publicLanguage, async (req, res) => {
    await sendPublicPage(req, res, async (practice) => {
      const id = String(req.params.id);
      if (!isUuid(id)) throw new NotFoundError();
      const idea = await loadIdea({ kind: "practice", practiceId: practice.id }, id, String(res.locals.lang));
      if (!idea) throw new NotFoundError();
      const t = res.locals.t;
      localise(res);
      const body = await renderToString(res, "public/idea", {
        title: t("public.idea.title", { group: idea.groupName }),
        p: presenter(t, res.locals.lang as LanguageCode),
        idea,
        practice,
        backLink: { href: `/p/${practice.slug}`, text: t("public.idea.back") },
      });
      return { body, type: "html" };
    });
  });

  r.get("/p/:practiceSlug/feed.atom", "public", publicLanguage, async (req, res) => {
    await sendPublicPage(req, res, async (practice) => {
      const t = res.locals.t;
      const lang = res.locals.lang as LanguageCode;
      const p = presenter(t, lang);
      const base = baseUrl(deps, req);
      const board = `${base}/p/${practice.slug}`;
      const entries = await recentUpdates(practice.id);
      // Links from a feed in another language open the pages in that language (a feed reader sends no cookie).
      const q = lang === "en" ? "" : `?lang=${lang}`;
      const feed = new Feed({
        id: board,
        title: t("public.feed.title", { practice: practice.name }),
        description: t("public.feed.description", { practice: practice.name }),
        link: board,
        language: lang,
        updated: entries[0]?.date ?? new Date(0),
        generator: false,
        feedLinks: { atom: `${board}/feed.atom${q}` },
        author: { name: practice.name, link: board },
      });
      const short = (s: string) => (s.length > 90 ? `${s.slice(0, 87).trimEnd()}…` : s);
      for (const e of entries) {
        feed.addItem({
          id: `${board}/ideas/${e.ideaId}#${e.id}`,
          link: `${board}/ideas/${e.ideaId}${q}`,
          date: e.date,
          // The feed library marks titles and summaries as HTML: staff text is escaped, so it reads as written.
          title: escapeHtml(e.kind === "published" ? t("public.feed.published", { idea: short(e.ideaText) }) : t("public.feed.response", { status: p.status(e.status), idea: short(e.ideaText) })),
          description:
            `<p>${escapeHtml(t("public.idea.youSaid"))}: ${escapeHtml(e.ideaText)}</p>` +
            (e.kind === "response" ? `<p>${escapeHtml(p.status(e.status))}: ${escapeHtml(e.text)}</p>` : ""),
        });
      }
      return { body: feed.atom1(), type: "application/atom+xml; charset=utf-8" };
    }, { usesBaseUrl: true });
  });

  r.get("/p/:practiceSlug/poster", "public", publicLanguage, async (req, res) => {
    await sendPublicPage(req, res, async (practice) => {
      const t = res.locals.t;
      const lang = res.locals.lang as LanguageCode;
      const boardUrl = `${baseUrl(deps, req)}/p/${practice.slug}${lang === "en" ? "" : `?lang=${lang}`}`;
      const items = posterItems(await latestItems({ kind: "practice", practiceId: practice.id }, POSTER_LIMITS.items, lang));
      // Generated markup (not user text): the only unescaped output on these pages.
      const qrSvg = await QRCode.toString(boardUrl, { type: "svg", margin: 2, errorCorrectionLevel: "M" });
      localise(res);
      const body = await renderToString(res, "public/poster", { title: t("public.poster.title", { practice: practice.name }), p: presenter(t, lang), practice, practiceName: shorten(practice.name, POSTER_LIMITS.practiceName).text, items, boardUrl, boardUrlParts: urlParts(boardUrl), qrSvg });
      return { body, type: "html" };
    }, { usesBaseUrl: true });
  });

  // A group's own board. An unknown, rotated or archived token gets the same
  // 404 page as any other, after running the same queries as a hit (against
  // an id that matches nothing), so its timing does not tell a guess apart.
  r.get("/g/:token", "public", publicLanguage, async (req, res) => {
    noindex(res);
    const group = await groupByToken(String(req.params.token));
    const scope: Scope = { kind: "group", practiceId: group?.practice.id ?? NO_ID, groupId: group?.id ?? NO_ID };
    const path = `/g/${encodeURIComponent(String(req.params.token))}`;
    const body = await boardHtml(req, res, scope, group ? { path, practice: group.practice, group } : null);
    cacheFor(res, "group");
    res.type("html").send(body);
  });

  r.get("/g/:token/ideas/:id", "public", publicLanguage, async (req, res) => {
    noindex(res);
    const group = await groupByToken(String(req.params.token));
    const id = String(req.params.id);
    const scope: Scope = { kind: "group", practiceId: group?.practice.id ?? NO_ID, groupId: group?.id ?? NO_ID };
    const idea = await loadIdea(scope, isUuid(id) ? id : NO_ID, String(res.locals.lang));
    if (!group || !idea) throw new NotFoundError();
    const t = res.locals.t;
    cacheFor(res, "group");
    localise(res);
    res.render("public/idea", {
      title: t("public.idea.title", { group: idea.groupName }),
      noindex: true,
      p: presenter(t, res.locals.lang as LanguageCode),
      idea,
      practice: group.practice,
      group,
      backLink: { href: `/g/${encodeURIComponent(String(req.params.token))}`, text: t("public.idea.back") },
    });
  });

  return router;
}
