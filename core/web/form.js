// bounceback serve: makes the questionnaire form friendlier where JavaScript runs.
// Without this script the form still works: every section at once, checked when posted.
// With it: one section at a time with progress, Back and Next (each section checked by the
// server's own validator before moving on), a review list before the plan, and the answers
// kept in this tab's session storage so that a reload loses nothing.
"use strict";

(function () {
  const form = document.getElementById("questionnaire");
  if (!form) return;
  const KEY = "bounceback-answers";
  const sections = Array.from(form.querySelectorAll("section.section"));
  const submitActions = document.getElementById("submit-actions");
  let current = 0;

  // -- answers kept in session storage -----------------------------------------------------
  function pairs() {
    return Array.from(new FormData(form)).filter(([name]) => !name.startsWith("_"));
  }
  function save() {
    sessionStorage.setItem(KEY, JSON.stringify({ answers: pairs(), section: current }));
  }
  function restore(saved) {
    const byName = new Map();
    for (const [name, value] of saved.answers) {
      if (!byName.has(name)) byName.set(name, []);
      byName.get(name).push(value);
    }
    for (const element of form.elements) {
      if (!element.name || element.name.startsWith("_") || !byName.has(element.name)) continue;
      const values = byName.get(element.name);
      if (element.type === "radio" || element.type === "checkbox") {
        element.checked = values.includes(element.value);
      } else {
        element.value = values[0];
      }
    }
  }

  // -- showing one section, or the review ---------------------------------------------------
  const progress = document.createElement("div");
  progress.className = "progress";
  progress.innerHTML = '<p id="progress-text" aria-live="polite"></p><progress id="progress-bar"></progress>';
  form.prepend(progress);
  const review = document.createElement("div");
  review.id = "review";
  review.className = "review";
  review.hidden = true;
  form.insertBefore(review, submitActions);
  const nav = document.createElement("div");
  nav.className = "actions";
  nav.id = "section-actions";
  nav.innerHTML = '<button type="button" class="secondary" id="back">Back</button>' +
    '<button type="button" id="next">Next</button>' +
    '<p id="nav-message" class="error" role="alert"></p>';
  form.insertBefore(nav, submitActions);
  const back = document.getElementById("back");
  const next = document.getElementById("next");
  const navMessage = document.getElementById("nav-message");
  document.getElementById("progress-bar").max = sections.length + 1;

  function show(index, focus) {
    current = index;
    const reviewing = index === sections.length;
    sections.forEach((section, n) => { section.hidden = n !== index; });
    review.hidden = !reviewing;
    submitActions.hidden = !reviewing;
    next.hidden = reviewing;
    back.hidden = index === 0;
    navMessage.textContent = "";
    const title = reviewing ? "Review your answers" : sections[index].dataset.title;
    document.getElementById("progress-text").textContent =
      (reviewing ? "Last step" : `Section ${index + 1} of ${sections.length}`) + `: ${title}`;
    document.getElementById("progress-bar").value = index + 1;
    next.textContent = index === sections.length - 1 ? "Review my answers" : "Next";
    if (reviewing) fillReview();
    save();
    if (focus) {
      const heading = reviewing ? review.querySelector("h2") : sections[index].querySelector("h2");
      heading.focus();
    }
  }

  // -- checking a section with the server's validator --------------------------------------
  function showErrors(section, errors) {
    let first = null;
    for (const question of section.querySelectorAll(".question")) {
      const id = question.id.slice(2);
      const message = errors[id] || "";
      document.getElementById(`${id}-error`).textContent = message;
      question.classList.toggle("invalid", Boolean(message));
      for (const input of question.querySelectorAll("input, select")) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      }
      if (message && !first) first = question.querySelector("input, select");
    }
    return first;
  }
  async function check(section) {
    const body = new URLSearchParams(pairs());
    if (section) body.append("_section", section.id.slice("section-".length));
    try {
      const response = await fetch("check", { method: "POST", body });
      if (!response.ok) return {};
      return (await response.json()).errors;
    } catch (error) {
      return {};  // the server is gone: the form is checked again when it is posted
    }
  }
  async function forward() {
    const section = sections[current];
    const first = showErrors(section, await check(section));
    if (first) {
      navMessage.textContent = "Some answers on this page need another look.";
      first.focus();
      return;
    }
    if (current === sections.length - 1) {
      const errors = await check(null);  // answers that only clash across sections
      const bad = sections.findIndex((s) => s.querySelector(".question") &&
        Array.from(s.querySelectorAll(".question")).some((q) => errors[q.id.slice(2)]));
      if (bad >= 0) {
        show(bad, false);
        showErrors(sections[bad], errors).focus();
        navMessage.textContent = "Some answers on this page need another look.";
        return;
      }
    }
    show(current + 1, true);
  }

  // -- the review list ----------------------------------------------------------------------
  function answerText(question) {
    const select = question.querySelector("select");
    if (select) return select.value ? words(select.selectedOptions[0]) : "";
    const text = question.querySelector("input[type=text]");
    if (text) return text.value.trim();
    return Array.from(question.querySelectorAll("input:checked"))
      .filter((input) => input.value)
      .map((input) => words(form.querySelector(`label[for="${input.id}"]`)))
      .join(", ");
  }
  function fillReview() {
    review.replaceChildren();
    const heading = document.createElement("h2");
    heading.tabIndex = -1;
    heading.textContent = "Review your answers";
    const intro = document.createElement("p");
    intro.textContent = "Check your answers, change any of them, then make your plan.";
    review.append(heading, intro);
    sections.forEach((section, index) => {
      const title = document.createElement("h3");
      title.textContent = section.dataset.title;
      const list = document.createElement("dl");
      for (const question of section.querySelectorAll(".question")) {
        const term = document.createElement("dt");
        term.textContent = words(question.querySelector("label, legend"));
        const answer = document.createElement("dd");
        answer.textContent = answerText(question) || "(not answered)";
        list.append(term, answer);
      }
      const change = document.createElement("button");
      change.type = "button";
      change.className = "secondary";
      change.textContent = `Change ${section.dataset.title.toLowerCase()}`;
      change.addEventListener("click", () => show(index, true));
      review.append(title, list, change);
    });
  }
  function words(element) {
    const copy = element.cloneNode(true);
    copy.querySelectorAll(".tag").forEach((tag) => tag.remove());
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // -- wiring ---------------------------------------------------------------------------------
  const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
  const posted = form.dataset.posted === "true";
  if (saved && !posted) restore(saved);
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  back.addEventListener("click", () => show(current - 1, true));
  next.addEventListener("click", forward);
  form.addEventListener("submit", (event) => {
    if (current < sections.length) {  // Enter in a text field means "Next" until the review
      event.preventDefault();
      forward();
    }
  });
  const invalid = sections.findIndex((s) => s.querySelector(".question.invalid"));
  if (invalid >= 0) show(invalid, false);
  else show(saved && !posted ? Math.min(saved.section || 0, sections.length) : 0, false);
})();
