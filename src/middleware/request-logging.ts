// Request id and one log line per request.
import crypto from "node:crypto";
import type { Express } from "express";
import { pinoHttp } from "pino-http";
import type { Logger } from "../logger.js";

export function setUpRequestLogging(app: Express, logger: Logger): void {
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
        req: (req) => ({ id: req.id, method: req.method, url: String(req.url).replace(/(\/|%2F)(g|invitations|calendar(?:\/|%2F)feed)(\/|%2F)[^/?&%]+/gi, "$1$2$3[token]") }),
        res: (res) => ({ statusCode: res.statusCode }),
      },
    }),
  );
}
