// Saves the outcome form as a draft every few seconds while it changes
// (progressive enhancement: without this script every button on the form
// keeps a draft). POSTs the form, with its CSRF token and the draft version
// it continues, to /sessions/:id/outcome/draft (src/features/outcomes/autosave.ts)
// and says "Draft saved at 2:32pm" in a polite live region. It never
// overwrites a newer draft (the server answers 409 and nothing is saved: the
// status then links to the newer draft, in a new tab, and keeps the text), does
// nothing while the browser is offline, and tries again after a failure.
const form = document.querySelector("form[data-autosave]");
const statusBox = form && form.querySelector("[data-autosave-status]");
const versionField = form && form.querySelector("[data-draft-version]");

const EVERY_MS = 5000;
const MAX_WAIT_MS = 60000;

if (form && statusBox && versionField && !form.hasAttribute("data-autosave-paused")) {
  const url = form.getAttribute("data-autosave");
  let inFlight = null;
  let stopped = false;
  let wait = EVERY_MS;

  /** What the user typed, without the token and version (which change on their own). */
  const content = () => {
    const data = new URLSearchParams(new FormData(form));
    data.delete("_csrf");
    data.delete("draftVersion");
    return data.toString();
  };
  let saved = content();

  // A message that the latest changes are NOT saved is shown as a warning, not like "Draft saved at 2:32pm".
  const say = (text, warning = true) => {
    if (statusBox.textContent !== text) statusBox.textContent = text;
    statusBox.classList.toggle("app-autosave-status--warning", warning);
  };

  // A newer draft was saved elsewhere (another tab or device): say so, with a link that opens it
  // in a new tab (this page, and what was typed on it, stays open), as the form's own callout does.
  const sayNewerDraft = (data) => {
    const link = document.createElement("a");
    link.href = (data.newerDraft && data.newerDraft.href) || window.location.pathname;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = (data.newerDraft && data.newerDraft.text) || "Open the newer draft in a new tab";
    statusBox.replaceChildren(
      `${data.message || "A newer draft of this outcome was saved somewhere else, so your changes here were not saved. What you typed here is kept on this page"}. `,
      link,
      " to compare. Automatic saving has stopped.",
    );
    statusBox.classList.add("app-autosave-status--warning");
  };

  const failedForNow = (text) => {
    say(text);
    wait = Math.min(wait * 2, MAX_WAIT_MS);
  };

  async function save(opts = {}) {
    if (stopped || inFlight) return;
    const now = content();
    if (now === saved) return;
    if (!navigator.onLine) {
      say("You are offline. Your changes will be saved as a draft when you are back online.");
      return;
    }
    const body = new URLSearchParams(new FormData(form));
    // keepalive: the request still completes when the tab is being closed.
    inFlight = fetch(url, { method: "POST", body, credentials: "same-origin", headers: { Accept: "application/json" }, keepalive: Boolean(opts.keepalive) })
      .then(async (res) => {
        const data = await res.json().catch(() => ({}));
        if (res.ok) {
          versionField.value = String(data.version);
          saved = now;
          wait = EVERY_MS;
          say(data.message || "Draft saved", false);
        } else if (res.status === 401) {
          stopped = true;
          say("You have been signed out, so your latest changes are not saved yet. They are still on this page: press \u201cSave as draft\u201d, sign in, and you will come back here with them.");
        } else if (res.status === 409 && data.error === "newer-draft") {
          stopped = true;
          // As after the form's own 409: this page now continues the newer draft, so pressing
          // "Save as draft" (the user's choice, after this message) replaces it with what is here.
          if (data.version !== undefined) versionField.value = String(data.version);
          sayNewerDraft(data);
        } else if (res.status === 409 || res.status === 400 || res.status === 403 || res.status === 404) {
          stopped = true;
          say(`${data.message || "Your changes could not be saved as a draft"}. Automatic saving has stopped.`);
        } else {
          failedForNow("Your changes could not be saved as a draft just now. We will try again.");
        }
      })
      .catch(() => failedForNow("Your changes could not be saved as a draft just now (no connection). We will try again."))
      .finally(() => {
        inFlight = null;
      });
    await inFlight;
  }

  const tick = async () => {
    await save();
    if (!stopped) setTimeout(tick, wait);
  };
  setTimeout(tick, EVERY_MS);
  window.addEventListener("online", () => save());
  // Leaving the tab or closing it: save what changed since the last save now, not in five seconds.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") save({ keepalive: true });
  });

  // A button pressed while an autosave is on its way: wait for it, so the form
  // sends the draft version that autosave made (and is not refused as older).
  form.addEventListener("submit", (event) => {
    stopped = true;
    if (!inFlight || typeof form.requestSubmit !== "function") return;
    event.preventDefault();
    const submitter = event.submitter;
    inFlight.finally(() => form.requestSubmit(submitter || undefined));
  });
}
