// Intake with the keyboard alone: ↓ or Enter in the search box goes to the results, Enter on a result
// takes it and moves on to the document checklist, so Enter in the rest of the form means "save".
(function () {
  "use strict";

  function results() { return Array.prototype.slice.call(document.querySelectorAll("#procedure-results input[name=pick]")); }

  function firstChecklistBox() { return document.querySelector("#procedure-panel input[type=checkbox]") || document.getElementById("applicant_name"); }

  function focusChecklist() {
    var box = firstChecklistBox();
    if (box) { box.focus(); }
  }

  function take(radio) {
    var shown = document.querySelector("#procedure-panel input[name=procedure]");
    if (radio.checked && shown && shown.value === radio.value) { focusChecklist(); return; }
    // The checklist arrives with the swapped panel; move to it once it is there.
    document.body.addEventListener("htmx:afterSettle", function moveOn(event) {
      if (event.detail.target && event.detail.target.id === "procedure-panel") {
        document.body.removeEventListener("htmx:afterSettle", moveOn);
        focusChecklist();
      }
    });
    radio.checked = true;
    radio.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // The message beside a field, shown or taken away; the field says it is invalid while it is there.
  function showError(field, message) {
    var box = field.closest(".field");
    var slot = document.getElementById(field.id + "-error");
    box.classList.toggle("has-error", !!message);
    if (!message) {
      if (slot) { slot.remove(); }
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
      return;
    }
    if (!slot) {
      slot = document.createElement("p");
      slot.className = "error";
      slot.id = field.id + "-error";
      box.appendChild(slot);
    }
    slot.textContent = message;
    field.setAttribute("aria-invalid", "true");
    field.setAttribute("aria-describedby", slot.id);
  }

  function check(field) {
    var value = field.value.trim();
    var message = "";
    if (!value) {
      message = field.getAttribute("data-empty-message");
    } else if (field.pattern && !new RegExp("^(?:" + field.pattern + ")$").test(value)) {
      message = field.getAttribute("data-invalid-message");
    }
    showError(field, message);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("intake-form");
    if (!form) { return; }
    document.documentElement.classList.add("js");
    // Without JavaScript the first button refreshes the page; with it, Enter must mean "save".
    form.querySelectorAll(".no-js-only").forEach(function (element) { element.remove(); });

    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target.id === "q" && (event.key === "ArrowDown" || event.key === "Enter")) {
        event.preventDefault();
        var found = results();
        if (!found.length) { return; }
        var chosen = found.filter(function (radio) { return radio.checked; })[0] || found[0];
        if (event.key === "Enter") { take(chosen); } else { chosen.focus(); }
      } else if (target.name === "pick" && event.key === "Enter") {
        event.preventDefault();
        take(target);
      } else if (target.name === "pick" && event.key === "ArrowUp" && target === results()[0]) {
        event.preventDefault();
        document.getElementById("q").focus();
      }
    });

    // A field's message appears once the officer has left it (or from the server after saving) and goes
    // as soon as the value is right: a field not visited yet never shows one.
    form.addEventListener("focusout", function (event) {
      if (event.target.hasAttribute("data-empty-message")) { check(event.target); }
    });
    form.addEventListener("input", function (event) {
      var field = event.target;
      if (field.hasAttribute("data-empty-message") && field.getAttribute("aria-invalid") === "true") { check(field); }
    });

    // The first field with a message is where the officer's eyes and cursor should go.
    var invalid = form.querySelector("[aria-invalid=true]");
    if (invalid) { invalid.focus(); }
  });
})();
