// /healthz (the process is alive) and /readyz (the database answers).
import { Router } from "express";
import type { AppDeps } from "../../app.js";

export function healthRoutes({ db }: AppDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const up = await db.ping();
    res.status(up ? 200 : 503).json({ status: up ? "ok" : "unavailable", database: up ? "up" : "down" });
  });
  return router;
}
