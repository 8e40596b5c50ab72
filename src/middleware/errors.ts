// 404 and the error handler: the one place errors become HTTP responses.
// Never shows a stack trace; logs the error with the request id.
import type { ErrorRequestHandler, Express, RequestHandler } from "express";
import { HttpError } from "../lib/errors.js";
import { publicLanguage } from "./language.js";

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).render("errors/404", { title: res.locals.t("errors.notFoundTitle") });
};

function statusOf(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  const e = err as { status?: unknown; statusCode?: unknown; code?: unknown };
  const s = typeof e?.status === "number" ? e.status : typeof e?.statusCode === "number" ? e.statusCode : undefined;
  if (s && s >= 400 && s < 600) return s;
  if (err instanceof URIError) return 400;
  return 500;
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const status = statusOf(err);
  if (status >= 500) req.log?.error({ err }, "request failed");
  else req.log?.info({ status, msg: (err as Error)?.message }, "request refused");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const view = status === 404 ? "errors/404" : status === 403 ? "errors/403" : status === 409 ? "errors/409" : status >= 500 ? "errors/500" : "errors/400";
  // Public pages set a translator for the visitor's language; staff pages use English.
  const t = (res.locals.t ?? req.app.locals.t) as (key: string) => string;
  const title =
    status === 404 ? t("errors.notFoundTitle") : status === 403 ? "You do not have permission to do this" : status >= 500 ? t("errors.serverTitle") : t("errors.badRequestTitle");
  res.status(status);
  res.setHeader("Cache-Control", "no-store");
  res.render(view, { title, requestId: req.id }, (renderErr, html) => {
    if (renderErr) {
      req.log?.error({ err: renderErr }, "error page failed to render");
      res.type("text/plain").send(status >= 500 ? "Sorry, there is a problem with the service. Try again later." : "Request refused.");
      return;
    }
    res.send(html);
  });
};

/** Last in the app: not found (in the visitor's language), then the error handler. */
export function setUpErrorHandling(app: Express): void {
  app.use(publicLanguage, notFound);
  app.use(errorHandler);
}
