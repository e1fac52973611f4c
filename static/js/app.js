// Small behaviours shared by every page, kept out of the HTML so the CSP can forbid inline script.
document.addEventListener("DOMContentLoaded", function () {
  var focus = document.querySelector("[data-autofocus]");
  if (focus) { focus.focus(); }
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});

function lockSubmitButtons(form, locked) {
  form.querySelectorAll("button[type=submit]").forEach(function (b) {
    // After the submit event, so that the button clicked still sends its name and value.
    setTimeout(function () { b.disabled = locked; }, 0);
  });
}
// A second click on Save while the first one is on its way does nothing (the server also refuses
// a resubmitted form). Only a form that posts is locked: one that leaves the page until the next page,
// an htmx one until its answer arrives. Search and scan boxes (GET) are never locked, so the pickup
// desk, the kiosk and the calendar's trial take one scan or try after another.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented || form.method !== "post") { return; }
  lockSubmitButtons(form, true);
});
document.addEventListener("htmx:beforeRequest", function (event) {
  var form = event.detail.elt;
  if (form.tagName === "FORM" && event.detail.requestConfig.verb !== "get") { lockSubmitButtons(form, true); }
});
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt;
  if (form.tagName === "FORM" && event.detail.requestConfig.verb !== "get") { lockSubmitButtons(form, false); }
});
// A form's answer replaces the previous one even when it is "not found" (404) or "wrong input" (400):
// under a new scan the previous citizen's dossier, with its hand-over button, must never stay on screen.
document.addEventListener("htmx:beforeSwap", function (event) {
  var detail = event.detail;
  if (detail.xhr.status < 400 || !detail.requestConfig.elt.closest("form")) { return; }
  detail.shouldSwap = true;
  // An error page (403, 500) is not the region it replaces: it goes inside, so the next try finds the region.
  if (detail.target.id && detail.serverResponse.indexOf('id="' + detail.target.id + '"') < 0) {
    detail.swapOverride = "innerHTML";
  }
});
// Coming back with the browser's Back button must not leave the buttons disabled.
window.addEventListener("pageshow", function () {
  document.querySelectorAll("button[type=submit][disabled]").forEach(function (b) { b.disabled = false; });
});
