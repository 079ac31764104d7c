// magdit web UI: conveniences only; every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // "Mag dit?": show only the parts of the form that belong to the chosen action.
  const form = document.querySelector("form.check");
  if (form) {
    const sync = () => {
      const chosen = form.querySelector("input[name=action]:checked");
      const action = chosen ? chosen.value : "post";
      form.querySelectorAll("[data-for]").forEach((part) => {
        part.hidden = part.dataset.for !== action;
      });
    };
    form.querySelectorAll("input[name=action]").forEach((r) => r.addEventListener("change", sync));
    sync();
  }
  // After a check, an import or a save, move the focus to the answer for keyboard and
  // screen-reader users.
  const answer = document.querySelector("#uitkomst, #rapport");
  if (answer) answer.focus();
  // The class view: a print button.
  document.querySelectorAll("button.print").forEach((b) => {
    b.hidden = false;
    b.addEventListener("click", () => window.print());
  });
});
