// Staff sessions in Postgres, on the app's pool (one connection when embedded).
import type { Express } from "express";
import session from "express-session";
import connectPgSimple from "connect-pg-simple";
import { SESSION_COOKIE, saveBeforeRedirect } from "../lib/session.js";
import { readUserWithSession, throttleTouches, TOUCH_INTERVAL_MS } from "../lib/session-store.js";
import type { AppDeps } from "../services.js";

const SESSION_TABLE = "http_session";

/**
 * The store, and the session row read with its user in one statement
 * (lib/session-store.ts). A touch (rolling expiry, session unchanged) writes at
 * most once a minute per session.
 */
export function createSessionStore({ db, config, logger }: Pick<AppDeps, "db" | "config" | "logger">) {
  const PgStore = connectPgSimple(session);
  const store = throttleTouches(
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
  return { store, prefetchedUsers: readUserWithSession(store, db.pool, SESSION_TABLE) };
}

export function setUpSession(app: Express, { store, config, sessionSecret }: { store: session.Store } & Pick<AppDeps, "config" | "sessionSecret">): void {
  app.use(
    session({
      name: SESSION_COOKIE,
      secret: sessionSecret,
      store,
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
}
