// Progressive enhancement for the session briefing: a print button. Without
// JavaScript the page says to use the browser's print command instead.
const item = document.querySelector("[data-app-print]");
if (item) {
  item.hidden = false;
  item.querySelector("button")?.addEventListener("click", () => window.print());
}
