import { Router } from "express";
import type { AppDeps } from "../../app.js";
import type { RouteSpec } from "../../lib/routing.js";

export function publicRoutes(_deps: AppDeps, _registry: RouteSpec[]): Router {
  const router = Router();
  return router;
}
