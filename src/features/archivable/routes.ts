// The list page of records that are archived, never deleted (groups, partner
// organisations): current or archived, a page at a time (views/components/archivable-list.ejs).
import type { Request, Response } from "express";
import { hrefWithQuery, pageWindow, paginationParams, parsePage } from "../../lib/pagination.js";
import { currentUser } from "../../middleware/auth.js";
import type { ListOptions } from "./service.js";

export async function renderArchivableList(
  req: Request,
  res: Response,
  opts: { path: string; view: string; titles: { current: string; archived: string }; list: (practiceId: string, opts: ListOptions) => Promise<Record<string, unknown> & { total: number }> },
): Promise<void> {
  const archived = req.query.archived === "1";
  const page = parsePage(req.query.page);
  const found = await opts.list(currentUser(res).practice.id, { ...pageWindow(page), archived });
  res.render(opts.view, {
    title: archived ? opts.titles.archived : opts.titles.current,
    ...found,
    archived,
    pagination: paginationParams({ page, total: found.total, hrefFor: (p) => hrefWithQuery(opts.path, req.query, { page: p === 1 ? undefined : p }) }),
  });
}
