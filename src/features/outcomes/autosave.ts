// POST /sessions/:id/outcome/draft: the outcome form's autosave (public/js/outcome-autosave.js).
// The same draft as the form's "Save as draft" button (service.saveDraft): it
// creates no idea, publishes nothing and changes no status. It answers JSON:
//   200 { version, savedAt, message: "Draft saved at 2:32pm" }
//   409 { error: "newer-draft", version, savedAt, message, newerDraft: { href, text } }
//       nothing saved; the script shows the message with a link that opens the
//       newer draft in a new tab, so what was typed on this page stays on it
//   409 { error: "final", message }                   nothing saved
//   403 { error: "unavailable", message }             the session has not started, or was cancelled or postponed
// Signed out (the cookie expired), the CSRF check answers 401 JSON for a
// script's request (middleware/csrf.ts): the script then asks the user to
// save with the button, which keeps the text through signing in.
import type { Response } from "express";
import crypto from "node:crypto";
import type { Services } from "../../services.js";
import { MANAGERS_AND_FACILITATORS, type SecuredRouter } from "../../lib/routing.js";
import { formatTime } from "../../lib/view-helpers.js";
import { currentUser } from "../../middleware/auth.js";
import { formValues } from "./schemas.js";
import { draftVersionOf, type Actor } from "./service.js";

/** Said when a save would overwrite a newer draft: nothing was saved, the text is still on the page. */
export function newerDraftMessage(savedAt: Date): string {
  return (
    `A newer draft of this outcome was saved at ${formatTime(savedAt)} (in another window, or by someone else), so what is on this page was not saved. ` +
    "What you typed here is kept on this page: check it, then save again to replace the newer draft with it"
  );
}

/** The link beside that message (the form's callout and the autosave's status): the newer draft, in a new tab, so this page and its text stay open. */
export function newerDraftLink(sessionId: string): { href: string; text: string } {
  return { href: `/sessions/${sessionId}/outcome`, text: "Open the newer draft in a new tab" };
}

function actorOf(res: Response): Actor {
  const u = currentUser(res);
  return { practiceId: u.practice.id, userId: u.id, role: u.role };
}

export function outcomeAutosaveRoutes(services: Services, r: SecuredRouter): void {
  const { saveDraft, sessionForOutcome } = services.outcomes;
  r.post("/sessions/:id/outcome/draft", MANAGERS_AND_FACILITATORS, async (req, res) => {
    res.setHeader("Cache-Control", "no-store");
    const actor = actorOf(res);
    const { session, unavailable } = await sessionForOutcome(actor, String(req.params.id));
    if (unavailable) return res.status(403).json({ error: "unavailable", message: unavailable.message });
    const values = formValues(req.body);
    if (!values.submissionId) values.submissionId = crypto.randomUUID();
    const basedOn = draftVersionOf(req.body);
    // An autosave always says which draft it continues (0: none yet): without it, it could overwrite newer work.
    if (basedOn === undefined) return res.status(400).json({ error: "no-version", message: "Reload the page to keep saving drafts" });
    const saved = await saveDraft(actor, session, values, { basedOn });
    if (!saved.ok && saved.reason === "final") {
      return res.status(409).json({ error: "final", message: "The outcome was already saved, so this draft was not kept. Reload the page to see it" });
    }
    if (!saved.ok) {
      return res.status(409).json({
        error: "newer-draft", version: saved.version, savedAt: saved.savedAt.toISOString(),
        message: newerDraftMessage(saved.savedAt), newerDraft: newerDraftLink(session.id),
      });
    }
    res.json({ version: saved.version, savedAt: saved.savedAt.toISOString(), message: `Draft saved at ${formatTime(saved.savedAt)}` });
  });
}
