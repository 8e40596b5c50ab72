// Health checks: before sessions and everything else. /readyz runs the
// signed-in pages' first statement (the session store's read), so it fails
// when they would; it says 503 while the process drains.
import type { Express } from "express";
import type { Store } from "express-session";
import { healthRoutes } from "../features/health/routes.js";

export function setUpHealth(app: Express, sessionStore: Store): void {
  app.use(
    healthRoutes({
      draining: () => Boolean((app.get("shuttingDown") as (() => boolean) | undefined)?.()),
      probe: () =>
        new Promise<void>((resolve, reject) => sessionStore.get("readyz-probe", (err) => (err ? reject(err) : resolve()))),
    }),
  );
}
