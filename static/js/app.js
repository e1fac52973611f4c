// Small behaviours shared by every page, kept out of the HTML so the CSP can forbid inline script.
document.addEventListener("DOMContentLoaded", function () {
  var focus = document.querySelector("[data-autofocus]");
  if (focus) { focus.focus(); }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  // A second click on Save while the first one is on its way does nothing (the server also refuses
  // a resubmitted form); htmx forms are left alone because they stay on the page.
  document.querySelectorAll("form:not([hx-post])").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  });
});
// Coming back with the browser's Back button must not leave the buttons disabled.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[type=submit][disabled]").forEach(function (b) { b.disabled = false; });
});
