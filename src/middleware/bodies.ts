// Request bodies: forms only, bounded.
import express, { type Express } from "express";
import { sanitiseBody } from "./text.js";

export function setUpBodies(app: Express): void {
  app.use(express.urlencoded({ extended: true, limit: "200kb", parameterLimit: 2000 }));
  // Bidi and other control characters never reach a route, so never a stored text (lib/text.ts).
  app.use(sanitiseBody);
}
