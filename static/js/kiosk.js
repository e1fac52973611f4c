// The lookup kiosk: the box always has the focus for the scanner, and after a while idle the page
// goes back to an empty box so the next visitor does not see the previous one's dossier.
(function () {
  var form = document.getElementById("kiosk-form");
  var box = document.getElementById("ma");
  var timer = null;
  function reset() {
    window.location.assign(form.getAttribute("data-idle-reset"));
  }
  function arm() {
    if (timer) { clearTimeout(timer); }
    var typed = box.value || document.getElementById("ma_tra_cuu").value || document.querySelector(".error");
    if (typed) { timer = setTimeout(reset, idleMs); }
  }
  if (!form || !box) { return; }
  var idleMs = 1000 * parseInt(form.getAttribute("data-idle-seconds"), 10);
  box.focus();
  box.select();
  ["keydown", "pointerdown", "input"].forEach(function (name) { document.addEventListener(name, arm); });
  // A click elsewhere on the kiosk screen must not leave the scanner typing into nothing.
  document.addEventListener("click", function (event) {
    if (!event.target.closest("input, textarea, a, button, label")) { box.focus(); }
  });
  arm();
})();
