// The plan check: EXPLAIN every statement a page ran (with the parameters it
// ran with, so Postgres plans it as it did for the page) and flag any plan
// that reads a tenant table (one with a "practiceId" column) by a sequential
// scan: on a region's database that is a scan of every practice's rows.
import pg from "pg";

export interface Statement {
  text: string;
  values: unknown[];
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
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
          lines.push(`${"  ".repeat(depth + 1)}${n["Node Type"]}${n["Relation Name"] ? ` on ${n["Relation Name"]}` : ""}${n["Index Name"] ? ` using ${n["Index Name"]}` : ""} (rows ${n["Plan Rows"]}, cost ${n["Total Cost"]})`);
          if (n["Node Type"] === "Seq Scan" && n["Relation Name"] && tenant.has(n["Relation Name"])) {
            failures.push(`${page}: Seq Scan on "${n["Relation Name"]}" in: ${s.text.replace(/\s+/g, " ").slice(0, 120)}`);
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
