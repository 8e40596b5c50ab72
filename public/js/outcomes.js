// Progressive enhancement for the outcome form: "Add another idea" and
// "Remove" work in the page, without a round trip. Without this script they
// are ordinary submit buttons and the server re-renders the form.
const form = document.querySelector("[data-outcome-form]");
const list = form && form.querySelector("[data-ideas]");
const template = document.getElementById("idea-template");

function renumber(fieldset, index) {
  const fix = (value) =>
    value
      .replace(/ideas\[[^\]]+\]/g, `ideas[${index}]`)
      .replace(/ideas-[^-\s]+-/g, `ideas-${index}-`)
      .replace(/^idea-[^\s]+$/, `idea-${index}`)
      .replace(/^remove-[^\s]+$/, `remove-${index}`);
  for (const el of [fieldset, ...fieldset.querySelectorAll("*")]) {
    for (const attr of ["id", "name", "for", "aria-describedby"]) {
      const v = el.getAttribute(attr);
      if (v) el.setAttribute(attr, fix(v));
    }
    if (el.matches("[data-remove-idea]")) el.value = `remove-${index}`;
  }
  for (const n of fieldset.querySelectorAll("[data-idea-number]")) n.textContent = String(index + 1);
}

// After a failed save the page shows an error summary (data-revalidate): the buttons then go to the server,
// which checks the form again, so the summary says what is wrong now rather than what was wrong before.
if (form && list && template && !form.hasAttribute("data-revalidate")) {
  form.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    if (!button) return;
    if (button.matches("[data-add-idea]")) {
      event.preventDefault();
      const index = list.querySelectorAll("[data-idea]").length;
      const html = template.innerHTML.replaceAll("__INDEX__", String(index)).replaceAll("__NUMBER__", String(index + 1));
      const holder = document.createElement("div");
      holder.innerHTML = html;
      const fieldset = holder.querySelector("[data-idea]");
      list.appendChild(fieldset);
      fieldset.querySelector("textarea")?.focus();
    } else if (button.matches("[data-remove-idea]")) {
      event.preventDefault();
      const fieldset = button.closest("[data-idea]");
      const all = [...list.querySelectorAll("[data-idea]")];
      const at = all.indexOf(fieldset);
      fieldset.remove();
      const rest = [...list.querySelectorAll("[data-idea]")];
      rest.forEach((f, i) => renumber(f, i));
      const next = rest[Math.min(at, rest.length - 1)];
      (next ? next.querySelector("textarea") : form.querySelector("[data-add-idea]"))?.focus();
    }
  });
}
