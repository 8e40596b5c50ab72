// /healthz (the process is alive) and /readyz (it can serve signed-in pages).
import { Router } from "express";

export interface Readiness {
  /** True while the process drains after SIGTERM: a load balancer must stop sending traffic. */
  draining(): boolean;
  /**
   * Runs what every signed-in page runs first (the session store's read of a
   * session with its user, a named prepared statement on the pool), so a broken
   * connection state shows here and not only as 500s on staff pages. SELECT 1
   * alone said "ready" while every signed-in page failed.
   */
  probe(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 2_000;

export function healthRoutes(readiness: Readiness): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    if (readiness.draining()) {
      res.status(503).json({ status: "draining", database: "unknown" });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    const up = await Promise.race([
      readiness.probe().then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS))),
    ]).catch(() => false);
    clearTimeout(timer);
    res.status(up ? 200 : 503).json({ status: up ? "ok" : "unavailable", database: up ? "up" : "down" });
  });
  return router;
}
