// Helpers for the outcome form's tests.
import { expect } from "vitest";
import { csrfTokenIn, type Agent } from "./app.js";

export interface IdeaInput {
  text?: string;
  themeId?: string;
  support?: string;
  consent?: string;
  confirmSafe?: string;
}

/** The outcome page, its CSRF token and the form's submissionId. */
export async function openOutcomeForm(agent: Agent, sessionId: string) {
  const res = await agent.get(`/sessions/${sessionId}/outcome`);
  expect(res.status, res.text.slice(0, 500)).toBe(200);
  const submissionId = res.text.match(/name="submissionId" value="([^"]+)"/)?.[1] ?? "";
  return { res, csrf: csrfTokenIn(res.text), submissionId };
}

/** Flat form fields, as the browser posts them: ideas[0][text]=... */
export function ideaFields(ideas: IdeaInput[]): Record<string, string> {
  const out: Record<string, string> = {};
  ideas.forEach((idea, i) => {
    for (const [k, v] of Object.entries(idea)) if (v !== undefined) out[`ideas[${i}][${k}]`] = v;
  });
  return out;
}

/** The value of the confirmation checkbox shown for a field (the fingerprint of the text checked). */
export function confirmValueIn(html: string, name: string): string {
  const escaped = name.replace(/[[\]]/g, "\\$&");
  const m = html.match(new RegExp(`name="${escaped}" type="checkbox" value="([^"]+)"`));
  if (!m) throw new Error(`no confirmation checkbox ${name} on the page`);
  return m[1]!;
}
