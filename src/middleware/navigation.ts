// The staff navigation in the header, by role.
import type { NextFunction, Request, Response } from "express";
import type { Role } from "../generated/prisma/enums.js";
import type { RouteSpec } from "../lib/routing.js";

const ITEMS: { href: string; text: string; roles: Role[] }[] = [
  { href: "/dashboard", text: "Dashboard", roles: ["MANAGER", "FACILITATOR", "VIEWER"] },
  { href: "/sessions", text: "Sessions", roles: ["MANAGER", "FACILITATOR", "VIEWER"] },
  { href: "/calendar", text: "Calendar", roles: ["MANAGER", "FACILITATOR", "VIEWER"] },
  { href: "/ideas", text: "Ideas", roles: ["MANAGER", "FACILITATOR", "VIEWER"] },
  { href: "/groups", text: "Groups", roles: ["MANAGER"] },
  { href: "/partners", text: "Partners", roles: ["MANAGER"] },
  { href: "/themes", text: "Themes", roles: ["MANAGER"] },
  { href: "/users", text: "Users", roles: ["MANAGER"] },
  { href: "/reports", text: "Reports", roles: ["MANAGER"] },
  // Only where /outbox exists (not in production): what e-mail would be sent.
  { href: "/outbox", text: "Outbox", roles: ["MANAGER"] },
];

/** Only links to pages the app has (the registry is complete once routes are mounted). */
export function staffNavigation(registry: RouteSpec[]) {
  return (req: Request, res: Response, next: NextFunction) => {
  const user = res.locals.currentUser;
  if (user) {
    res.locals.nav = ITEMS.filter((i) => i.roles.includes(user.role) && registry.some((r) => r.method === "GET" && r.path === i.href)).map((i) => ({
      href: i.href,
      text: i.text,
      current: req.path === i.href || req.path.startsWith(i.href + "/"),
    }));
    res.locals.homeHref = "/dashboard";
  }
  next();
  };
}
