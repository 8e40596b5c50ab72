// Pagination for every list page: a clamped page number from the query, the
// skip/take for the query, and the params for components/pagination.ejs.
export const PAGE_SIZE = 20;
/** Far past any real list; bigger numbers are clamped, never an error. */
export const MAX_PAGE = 10_000;

export function parsePage(raw: unknown): number {
  const n = typeof raw === "string" && /^\d{1,6}$/.test(raw) ? Number(raw) : 1;
  return Math.min(Math.max(n, 1), MAX_PAGE);
}

export function pageWindow(page: number, pageSize = PAGE_SIZE): { skip: number; take: number } {
  return { skip: (page - 1) * pageSize, take: pageSize };
}

export interface PaginationParams {
  previous?: { href: string };
  next?: { href: string };
  items: { number: number; href: string; current: boolean; ellipsis?: boolean }[];
}

/** Links keep the other query parameters (filters); `hrefFor` builds one page's link. */
export function paginationParams(opts: { page: number; pageSize?: number; total: number; hrefFor: (page: number) => string }): PaginationParams {
  const pageSize = opts.pageSize ?? PAGE_SIZE;
  const last = Math.max(1, Math.ceil(opts.total / pageSize));
  const page = Math.min(opts.page, last);
  const numbers = new Set([1, last, page - 1, page, page + 1].filter((n) => n >= 1 && n <= last));
  const sorted = [...numbers].sort((a, b) => a - b);
  const items: PaginationParams["items"] = [];
  sorted.forEach((n, i) => {
    if (i > 0 && n - sorted[i - 1]! > 1) items.push({ number: 0, href: "", current: false, ellipsis: true });
    items.push({ number: n, href: opts.hrefFor(n), current: n === page });
  });
  return {
    previous: page > 1 ? { href: opts.hrefFor(page - 1) } : undefined,
    next: page < last ? { href: opts.hrefFor(page + 1) } : undefined,
    items: last > 1 ? items : [],
  };
}

/** The current URL with `page` (and any other params) replaced. */
export function hrefWithQuery(path: string, query: Record<string, unknown>, changes: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (typeof v === "string" && v !== "") params.set(k, v);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === "") params.delete(k);
    else params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
