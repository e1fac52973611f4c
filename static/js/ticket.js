// The ticket kiosk: the new ticket's page prints itself once (Chromium's --kiosk-printing sends it
// straight to the thermal printer), then the page's refresh takes the screen back to the buttons.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (document.querySelector("[data-auto-print]")) { window.print(); }
});
