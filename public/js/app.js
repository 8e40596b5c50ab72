// Progressive enhancement only: every page works without this script.
import { initAll } from "/assets/nhsuk/nhsuk-frontend.min.js";
import "./conditional-reveal.js";

document.body.classList.add("nhsuk-frontend-supported");
initAll();
