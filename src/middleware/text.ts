// Strips bidirectional and other control characters from every posted form
// field before any route sees it (lib/text.ts).
import type { NextFunction, Request, Response } from "express";
import { sanitiseFormBody } from "../lib/text.js";

export function sanitiseBody(req: Request, _res: Response, next: NextFunction) {
  if (req.body && typeof req.body === "object") req.body = sanitiseFormBody(req.body);
  next();
}
