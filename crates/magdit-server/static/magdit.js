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
  // "Mag dit?": the roster search answers while one types (from 2 characters, after a pause),
  // with checkboxes like the server's and the count announced; the search button stays.
  const search = document.querySelector("input[data-search]");
  const list = document.getElementById("mensen");
  const status = document.getElementById("zoek-status");
  if (search && list && status) {
    let timer = 0;
    let asked = 0;
    const person = (p) => {
      const label = document.createElement("label");
      label.className = "choice";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.name = "depicts";
      box.value = String(p.id);
      label.append(box, " " + p.name);
      if (p.group) {
        const group = document.createElement("span");
        group.className = "group";
        group.textContent = "(" + p.group + ")";
        label.append(" ", group);
      }
      const li = document.createElement("li");
      li.append(label);
      return li;
    };
    const show = (people) => {
      // Whoever is marked stays, first, as the server keeps them.
      const kept = [...list.querySelectorAll("li")].filter((li) => li.querySelector("input:checked"));
      const marked = new Set(kept.map((li) => li.querySelector("input").value));
      const items = kept.concat(people.filter((p) => !marked.has(String(p.id))).map(person));
      if (items.length === 0) return;
      const ul = document.createElement("ul");
      ul.className = "people";
      ul.setAttribute("aria-label", list.dataset.label);
      ul.append(...items);
      list.replaceChildren(ul);
    };
    search.addEventListener("input", () => {
      clearTimeout(timer);
      const q = search.value.trim();
      if (q.length < 2) return;
      timer = setTimeout(async () => {
        const mine = ++asked;
        try {
          const r = await fetch(search.dataset.search + "?zoek=" + encodeURIComponent(q), { headers: { accept: "application/json" } });
          if (!r.ok) return;
          const answer = await r.json();
          // An older answer arriving late must not replace a newer one.
          if (mine !== asked) return;
          show(answer.people);
          status.textContent = answer.message;
        } catch (e) {
          // Offline or logged out: the search button still works.
        }
      }, 300);
    });
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
