// Progressive enhancement for the response form: an estimate of the reading
// age as the manager types. Without JavaScript, the "Check readability"
// button asks the server, which uses the same Flesch-Kincaid formula
// (with a fuller syllable counter, so the two may differ by a year).
const textarea = document.querySelector("[data-readability='text']");
const output = document.getElementById("readability-result");

function syllables(word) {
  const w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (w.length === 0) return 1;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  const groups = trimmed.match(/[aeiouy]{1,2}/g);
  return Math.max(1, groups ? groups.length : 1);
}

function estimate(text) {
  const words = text.match(/[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu) || [];
  if (words.length === 0) return undefined;
  const sentences = Math.max(1, text.split(/[.!?]+(?=\s|$)|\n+/u).filter((p) => /[\p{L}\p{N}]/u.test(p)).length);
  const syl = words.reduce((n, w) => n + (/^\p{N}+$/u.test(w) ? 1 : syllables(w)), 0);
  const grade = 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
  return Math.max(5, Math.round(grade + 5));
}

if (textarea && output) {
  let timer;
  const live = document.createElement("p");
  live.className = "nhsuk-body-s app-readability-live";
  output.after(live);
  const update = () => {
    const age = estimate(textarea.value);
    if (age === undefined) {
      live.textContent = "";
      return;
    }
    const shown = age > 18 ? "over 18" : String(age);
    live.textContent = age > 12
      ? `Estimated reading age: ${shown}. Aim for 11 to 12: use shorter sentences and everyday words.`
      : `Estimated reading age: ${shown}. This should be easy to read.`;
  };
  textarea.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(update, 400);
  });
  update();
}
