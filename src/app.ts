// The app factory: builds the Express app from its dependencies, with the
// middleware in one fixed order. server.ts listens; tests call createApp.
import crypto from "node:crypto";
import path from "node:path";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import session from "express-session";
import connectPgSimple from "connect-pg-simple";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { createRequire } from "node:module";
import type { Config } from "./config.js";
import { publicDir } from "./paths.js";
import { SESSION_COOKIE, saveBeforeRedirect } from "./lib/session.js";
import { readUserWithSession, throttleTouches, TOUCH_INTERVAL_MS } from "./lib/session-store.js";
import { PracticeCache } from "./lib/practice-cache.js";
import type { Database } from "./db/index.js";
import type { PrismaClient } from "./generated/prisma/client.js";
import type { Logger } from "./logger.js";
import type { RouteSpec } from "./lib/routing.js";
import { loadCurrentUser } from "./middleware/auth.js";
import { csrfProtection, exposeCsrfToken, formTokenKey } from "./middleware/csrf.js";
import { errorHandler, notFound } from "./middleware/errors.js";
import { publicLanguage } from "./middleware/language.js";
import { NHSUK_CSS, setUpViews } from "./middleware/views.js";
import { nhsukStylesheet } from "./middleware/nhsuk-stylesheet.js";
import { tlsOnlyHeaders } from "./middleware/tls.js";
import { staffNavigation } from "./middleware/navigation.js";
import { healthRoutes } from "./features/health/routes.js";
import { homeRoutes } from "./features/home/routes.js";
import { authRoutes } from "./features/auth/routes.js";
import { usersRoutes } from "./features/users/routes.js";
import { partnersRoutes } from "./features/partners/routes.js";
import { groupsRoutes } from "./features/groups/routes.js";
import { sessionsRoutes } from "./features/sessions/routes.js";
import { outcomesRoutes } from "./features/outcomes/routes.js";
import { themesRoutes } from "./features/themes/routes.js";
import { ideasRoutes } from "./features/ideas/routes.js";
import { responsesRoutes } from "./features/responses/routes.js";
import { publicRoutes } from "./features/public/routes.js";
import { reportsRoutes } from "./features/reports/routes.js";
import { mailRoutes } from "./features/mail/routes.js";
import { sanitiseBody } from "./middleware/text.js";

export interface AppDeps {
  config: Config;
  db: Database;
  prisma: PrismaClient;
  logger: Logger;
  sessionSecret: string;
  /** Staff page fragments keyed by practice data version; made from config when not given. */
  staffCache?: PracticeCache;
}

export { SESSION_COOKIE };
const require = createRequire(import.meta.url);
const nhsukDist = path.join(path.dirname(require.resolve("nhsuk-frontend/package.json")), "dist", "nhsuk");

/** What the routers get: the dependencies with the caches filled in. */
export type AppContext = AppDeps & { staffCache: PracticeCache };

const SESSION_TABLE = "http_session";

/** Sessions in Postgres, on the app's pool. A touch (rolling expiry, session unchanged) writes at most once a minute per session: see lib/session-store.ts. */
function createSessionStore({ db, config, logger }: AppDeps) {
  const PgStore = connectPgSimple(session);
  return throttleTouches(
    new PgStore({
      pool: db.pool,
      tableName: SESSION_TABLE,
      createTableIfMissing: false,
      pruneSessionInterval: config.env === "test" ? false : 15 * 60,
      errorLog: (...args: unknown[]) => logger.warn({ args }, "session store error"),
    }),
    // A short idle timeout (SESSION_IDLE_MINUTES) gets touches often enough to keep to it.
    { intervalMs: Math.min(TOUCH_INTERVAL_MS, config.sessionIdleMs / 4) },
  );
}

export function createApp(input: AppDeps): Express & { routeSpecs: RouteSpec[] } {
  const deps: AppContext = {
    ...input,
    staffCache: input.staffCache ?? new PracticeCache({ maxAgeMs: input.config.staffCacheSeconds * 1000 }),
  };
  const { config, db, logger } = deps;
  const registry: RouteSpec[] = [];
  const app = express() as Express & { routeSpecs: RouteSpec[] };
  app.routeSpecs = registry;
  app.disable("x-powered-by");
  // Signs the anonymous forms' double-submit tokens (middleware/csrf.ts).
  app.locals.formTokenKey = formTokenKey(deps.sessionSecret);
  app.set("trust proxy", config.trustProxy);
  app.set("query parser", "simple");
  setUpViews(app, { cache: config.env === "production" });

  // 1. Request id and one log line per request.
  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const id = crypto.randomUUID();
        res.setHeader("X-Request-Id", id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
      serializers: {
        // Tokens never reach the log, also when they ride in ?next= (URL-encoded) to /login.
        req: (req) => ({ id: req.id, method: req.method, url: String(req.url).replace(/(\/|%2F)(g|invitations)(\/|%2F)[^/?&%]+/gi, "$1$2$3[token]") }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // 2. Web security: strict CSP (no inline script or style), no framing.
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

  // 3. Health checks: before sessions and everything else. /readyz runs the
  //    signed-in pages' first statement (the session store's read), so it
  //    fails when they would; it says 503 while the process drains.
  const sessionStore = createSessionStore(deps);
  // The session row and its user in one statement (lib/session-store.ts).
  const prefetchedUsers = readUserWithSession(sessionStore, db.pool, SESSION_TABLE);
  app.use(
    healthRoutes({
      draining: () => Boolean((app.get("shuttingDown") as (() => boolean) | undefined)?.()),
      probe: () =>
        new Promise<void>((resolve, reject) => sessionStore.get("readyz-probe", (err) => (err ? reject(err) : resolve()))),
    }),
  );

  // 4. Static files: the NHS.UK design system from node_modules (versioned
  //    file names, so a year's caching is safe) and our own assets. A missing
  //    file is a plain 404 here: it never reaches the session (or eats a flash).
  //    Its stylesheet without the remote web font, icons linked here (middleware/nhsuk-stylesheet.ts).
  app.get(`/assets/nhsuk/${NHSUK_CSS}`, nhsukStylesheet(nhsukDist, NHSUK_CSS, "/assets/nhsuk"));
  app.use("/assets/nhsuk", express.static(nhsukDist, { maxAge: "365d", immutable: true, index: false, fallthrough: false }));
  app.use("/public", express.static(publicDir, { maxAge: config.env === "production" ? "1h" : 0, index: false, fallthrough: false }));

  // 5. Bodies: forms only, bounded.
  app.use(express.urlencoded({ extended: true, limit: "200kb", parameterLimit: 2000 }));
  // Bidi and other control characters never reach a route, so never a stored text (lib/text.ts).
  app.use(sanitiseBody);

  // 6. Public pages (/p/:slug, /g/:token): no session is read or created for
  //    anonymous visitors, and they can be cached.
  app.use(publicRoutes(deps, registry));

  // 7. Sessions in Postgres, sharing the app's pool (one connection when embedded).
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: deps.sessionSecret,
      store: sessionStore,
      resave: false,
      saveUninitialized: false,
      rolling: true,
      // `proxy` left unset: express-session then asks req.secure, which believes
      // X-Forwarded-Proto only from the proxies TRUST_PROXY names.
      // Secure whenever the request came over TLS (directly or via a trusted proxy).
      cookie: { httpOnly: true, sameSite: "lax", secure: "auto", maxAge: config.sessionIdleMs, path: "/" },
    }),
  );

  app.use(saveBeforeRedirect);

  // 8. CSRF on every state-changing request, then who is signed in.
  app.use(csrfProtection);
  app.use(loadCurrentUser(db.pool, prefetchedUsers));
  app.use(exposeCsrfToken);
  app.use(staffNavigation(registry));
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    // Staff pages and forms are private: never cached by a shared cache.
    if (res.locals.currentUser) res.setHeader("Cache-Control", "no-store");
    next();
  });

  // 9. Routes, feature by feature.
  app.use(homeRoutes(deps, registry));
  app.use(authRoutes(deps, registry));
  app.use(usersRoutes(deps, registry));
  app.use(partnersRoutes(deps, registry));
  app.use(groupsRoutes(deps, registry));
  app.use(sessionsRoutes(deps, registry));
  app.use(outcomesRoutes(deps, registry));
  app.use(themesRoutes(deps, registry));
  app.use(ideasRoutes(deps, registry));
  app.use(responsesRoutes(deps, registry));
  app.use(reportsRoutes(deps, registry));
  app.use(mailRoutes(deps, registry));

  // 10. Not found, then errors.
  app.use(publicLanguage, notFound);
  app.use(errorHandler);
  return app;
}
