// Conditional reveal for radios and checkboxes (questions that belong to one
// choice): the NHS.UK pattern without its aria-expanded, which ARIA 1.2 does
// not allow on a radio or a checkbox. The input names its questions in
// data-app-conditional; they follow it directly in the page, so a screen reader
// meets them next. No aria-controls either: the design system's script would
// find it and add aria-expanded back. Without JavaScript every question is shown.
const HIDDEN = /nhsuk-(radios|checkboxes)__conditional/;

function sync(input) {
  const target = document.getElementById(input.dataset.appConditional);
  if (!target) return;
  const cls = [...target.classList].find((c) => HIDDEN.test(c) && !c.endsWith("--hidden"));
  if (cls) target.classList.toggle(`${cls}--hidden`, !input.checked);
}

const inputs = [...document.querySelectorAll("input[data-app-conditional]")];
const syncAll = () => inputs.forEach(sync);
syncAll();
// Browsers restore form state after load when going back: sync again then.
window.addEventListener("pageshow", syncAll);
// A radio unchecks its siblings without an event of theirs: sync every input of the same name.
document.addEventListener("change", (event) => {
  const changed = event.target;
  if (!(changed instanceof HTMLInputElement) || !changed.name) return;
  for (const input of inputs) if (input.name === changed.name && input.form === changed.form) sync(input);
});
