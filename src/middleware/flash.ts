// The one-time message a redirect leaves for the next page; and staff pages
// are private: never cached by a shared cache.
import type { Express, NextFunction, Request, Response } from "express";

export function setUpFlash(app: Express): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.session?.flash) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    // Staff pages and forms are private: never cached by a shared cache.
    if (res.locals.currentUser) res.setHeader("Cache-Control", "no-store");
    next();
  });
}
