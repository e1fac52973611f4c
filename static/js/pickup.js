// The pickup desk: the scan box keeps the focus with its text selected, so the next scan replaces it
// instead of being appended to the previous one; and a new scan's answer replaces everything about the
// previous citizen, the "Đã trả kết quả … cho …" notice of the last hand-over included.
(function () {
  function ready() {
    var box = document.querySelector("[data-scan-box]");
    if (!box) { return; }
    box.focus();
    box.select();
  }
  function forgetLastHandOver() {
    document.querySelectorAll(".flashes").forEach(function (notice) { notice.remove(); });
  }
  document.addEventListener("DOMContentLoaded", ready);
  document.addEventListener("htmx:afterSwap", function () {
    forgetLastHandOver();
    ready();
  });
})();
