// The pickup desk: the scan box keeps the focus with its text selected, so the next scan replaces it
// instead of being appended to the previous one.
(function () {
  function ready() {
    var box = document.querySelector("[data-scan-box]");
    if (!box) { return; }
    box.focus();
    box.select();
  }
  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("htmx:afterSwap", ready);
})();
