// The plan check: EXPLAIN every statement a page ran (with the parameters it
// ran with, so Postgres plans it as it did for the page) and flag any plan
// that reads a tenant table (one with a "practiceId" column) by a sequential
// scan, or by an index scan bounded neither by practiceId nor by a unique key
// (the whole index): on a region's database either reads every practice's rows.
import pg from "pg";

export interface Statement {
  text: string;
  values: unknown[];
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  "Total Cost"?: number;
  "Plan Rows"?: number;
  Plans?: PlanNode[];
}

function walk(node: PlanNode, visit: (n: PlanNode, depth: number) => void, depth = 0) {
  visit(node, depth);
  for (const child of node.Plans ?? []) walk(child, visit, depth + 1);
}

export async function explainStatements(url: string, byPage: Record<string, Statement[]>): Promise<{ checked: number; failures: string[]; text: string }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const tenant = new Set(
      (await c.query<{ t: string }>(`select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'practiceId'`)).rows.map((r) => r.t),
    );
    // Each index's first column: a scan is bounded when its condition constrains that column.
    const leading = new Map(
      (await c.query<{ index: string; first: string }>(
        `select ic.relname as index, a.attname as first from pg_index x join pg_class ic on ic.oid = x.indexrelid
         join pg_namespace n on n.oid = ic.relnamespace and n.nspname = 'public'
         join pg_attribute a on a.attrelid = x.indrelid and a.attnum = x.indkey[0]`,
      )).rows.map((r) => [r.index, r.first]),
    );
    const failures: string[] = [];
    const lines: string[] = [`tenant tables: ${[...tenant].sort().join(", ")}`, ""];
    let checked = 0;
    for (const [page, statements] of Object.entries(byPage)) {
      lines.push(`=== ${page}: ${statements.length} statements`);
      for (const s of statements) {
        // Only reads: the session store's writes (HttpSession, no tenant) are left out.
        if (!/^\s*(select|with)\b/i.test(s.text)) {
          lines.push(`-- not a read, not explained: ${s.text.slice(0, 80).replace(/\s+/g, " ")}`);
          continue;
        }
        const { rows } = await c.query({ text: `explain (format json) ${s.text}`, values: s.values });
        const plan = (rows[0]["QUERY PLAN"] as { Plan: PlanNode }[])[0]!.Plan;
        checked++;
        lines.push(`-- ${s.text.replace(/\s+/g, " ").slice(0, 160)}`);
        walk(plan, (n, depth) => {
          lines.push(`${"  ".repeat(depth + 1)}${n["Node Type"]}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""}${n["Index Cond"] ? ` [${n["Index Cond"]}]` : ""} (rows ${n["Plan Rows"]}, cost ${n["Total Cost"]})`);
          const relation = n["Relation Name"];
          if (!relation || !tenant.has(relation)) return;
          if (n["Node Type"] === "Seq Scan") failures.push(`${page}: Seq Scan on "${relation}" in: ${s.text.replace(/\s+/g, " ").slice(0, 120)}`);
          // An index scan must constrain the index's first column (practiceId for the tenant indexes, id for a
          // primary key, userId for a user's memberships). Otherwise it reads the whole index, every practice's
          // entries: a query on ideaId alone through (practiceId, ideaId, createdAt) gets this plan.
          const conds: [string, string][] =
            n["Node Type"] === "Bitmap Heap Scan" ? (n.Plans ?? []).map((c) => [c["Index Name"] ?? "", c["Index Cond"] ?? ""])
            : /^Index (Only )?Scan/.test(n["Node Type"]) ? [[n["Index Name"] ?? "", n["Index Cond"] ?? ""]] : [];
          for (const [index, cond] of conds) {
            const first = leading.get(index) ?? "practiceId";
            const bounded = cond.includes(`"${first}" `) || new RegExp(`\\(${first} `).test(cond);
            if (!bounded) failures.push(`${page}: ${n["Node Type"]} on "${relation}" through all of "${index}" (${cond || "no index condition"}) in: ${s.text.replace(/\s+/g, " ").slice(0, 120)}`);
          }
        });
      }
      lines.push("");
    }
    return { checked, failures, text: lines.join("\n") };
  } finally {
    await c.end();
  }
}
