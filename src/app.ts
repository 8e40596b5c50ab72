// The app factory: builds the Express app from its dependencies, with the
// middleware in one fixed order (each step a setUp* in src/middleware/).
// server.ts listens; tests call createApp. docs/architecture.md has the map.
import express, { type Express } from "express";
import { SESSION_COOKIE } from "./lib/session.js";
import { PracticeCache } from "./lib/practice-cache.js";
import type { RouteSpec } from "./lib/routing.js";
import { createServices, type AppContext, type AppDeps } from "./services.js";
import { formTokenKey } from "./middleware/csrf.js";
import { setUpErrorHandling } from "./middleware/errors.js";
import { setUpViews } from "./middleware/views.js";
import { setUpRequestLogging } from "./middleware/request-logging.js";
import { setUpWebSecurity } from "./middleware/web-security.js";
import { setUpHealth } from "./middleware/health.js";
import { setUpStatic } from "./middleware/static-files.js";
import { setUpBodies } from "./middleware/bodies.js";
import { createSessionStore, setUpSession } from "./middleware/session.js";
import { setUpCsrfAndCurrentUser } from "./middleware/signed-in.js";
import { setUpFlash } from "./middleware/flash.js";
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
import { calendarFeedRoutes, calendarRoutes } from "./features/calendar/routes.js";
import { reportBackRoutes } from "./features/report-back/routes.js";
import { translationsRoutes } from "./features/translations/routes.js";
import { mailRoutes } from "./features/mail/routes.js";

export { SESSION_COOKIE };
export type { AppDeps };

export function createApp(input: AppDeps): Express & { routeSpecs: RouteSpec[] } {
  const { config, db, logger } = input;
  // What the routers get: services built once, never the database itself.
  const deps: AppContext = {
    config,
    logger,
    sessionSecret: input.sessionSecret,
    services: createServices(input),
    staffCache: input.staffCache ?? new PracticeCache({ maxAgeMs: config.staffCacheSeconds * 1000 }),
  };
  const registry: RouteSpec[] = [];
  const app = express() as Express & { routeSpecs: RouteSpec[] };
  app.routeSpecs = registry;
  app.disable("x-powered-by");
  // Signs the anonymous forms' double-submit tokens (middleware/csrf.ts).
  app.locals.formTokenKey = formTokenKey(deps.sessionSecret);
  app.set("trust proxy", config.trustProxy);
  app.set("query parser", "simple");
  setUpViews(app, { cache: config.env === "production" });
  const { store: sessionStore, prefetchedUsers } = createSessionStore(input);

  setUpRequestLogging(app, logger);
  setUpWebSecurity(app);
  setUpHealth(app, sessionStore);
  setUpStatic(app, config);
  setUpBodies(app);
  // Public pages (/p/:slug, /g/:token): no session is read or created for
  // anonymous visitors, and they can be cached.
  app.use(publicRoutes(deps, registry));
  // Private calendar feeds: the token is the key, calendar apps have no session.
  app.use(calendarFeedRoutes(deps, registry));
  setUpSession(app, { store: sessionStore, config, sessionSecret: deps.sessionSecret });
  setUpCsrfAndCurrentUser(app, { pool: db.pool, prefetchedUsers, registry });
  setUpFlash(app);

  // Staff routes, feature by feature.
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
  app.use(calendarRoutes(deps, registry));
  app.use(reportBackRoutes(deps, registry));
  app.use(translationsRoutes(deps, registry));
  app.use(mailRoutes(deps, registry));

  setUpErrorHandling(app);
  return app;
}
