// One scan of a citizen's ID card (its QR code, typed by a USB scanner much faster than anyone types,
// then Enter) on a staff page that offers it ([data-card-scan]): wherever the focus is, the burst is taken
// back out of the field it landed in and sent to the server, which reads the card and answers with a
// fragment. On the intake page that fragment carries the fields to fill; nothing is ever saved from here.
// The text goes by POST and is kept nowhere: not in the URL, the history or the page.
(function () {
  "use strict";

  // A scanner's keys come a few milliseconds apart; even a fast typist leaves 60 ms and more between two.
  var SCANNER_GAP_MS = 40;
  // A card's QR text is well over a hundred characters; short fast bursts are not a card.
  var MIN_CARD_LENGTH = 20;
  var SEPARATOR = "|";

  var burst = null;
  var queue = Promise.resolve();

  function isText(element) {
    return !!element && (element.tagName === "TEXTAREA" ||
      (element.tagName === "INPUT" && /^(text|search|tel|email|url|number|password)$/.test(element.type)));
  }

  function config() { return document.querySelector("[data-card-scan]"); }

  function startBurst(now) {
    var field = document.activeElement;
    burst = { text: "", field: field, before: isText(field) ? field.value : null, last: now, fast: false };
  }

  function looksLikeCard(text) {
    return text.length >= MIN_CARD_LENGTH && text.indexOf(SEPARATOR) !== -1;
  }

  function message(text) {
    var box = document.createElement("div");
    box.id = "card-scan-result";
    var line = document.createElement("p");
    line.className = "flash flash-error";
    line.setAttribute("role", "alert");
    line.textContent = text;
    box.appendChild(line);
    return box;
  }

  function place(element, settings) {
    var target = document.querySelector(settings.dataset.cardScanTarget);
    if (!target) { return null; }
    target.replaceWith(element);
    if (window.htmx) { window.htmx.process(element); }
    return element;
  }

  function fill(result, settings) {
    var form = settings.dataset.cardScanForm && document.querySelector(settings.dataset.cardScanForm);
    var fills = result && (result.matches("[data-card-fills]") ? result : result.querySelector("[data-card-fills]"));
    if (!form || !fills) { return; }
    var values = JSON.parse(fills.dataset.cardFills);
    Object.keys(values).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field) { return; }
      field.value = values[name];
      var details = field.closest("details");
      if (details) { details.open = true; }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
    var next = fills.dataset.cardFocus && form.elements.namedItem(fills.dataset.cardFocus);
    if (next) { next.focus(); }
  }

  function read(text) {
    var settings = config();
    var body = new FormData();
    var form = settings.dataset.cardScanForm && document.querySelector(settings.dataset.cardScanForm);
    // Which part a card fills depends on what the form holds when its turn comes, after earlier scans.
    if (form) {
      ["applicant_name", "id_number"].forEach(function (name) {
        var field = form.elements.namedItem(name);
        if (field) { body.append(name, field.value); }
      });
    }
    body.append("the", text);
    return fetch(settings.dataset.cardScan, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "X-CSRFToken": settings.dataset.csrf },
    }).then(function (response) {
      var login = response.headers.get("HX-Redirect");
      if (login) { window.location.href = login; return; }
      if (!response.ok && response.status !== 404 && response.status !== 422) {
        place(message("Không đọc được thẻ (lỗi " + response.status + "); hãy tải lại trang rồi quét lại."), settings);
        return;
      }
      return response.text().then(function (html) {
        var holder = document.createElement("template");
        holder.innerHTML = html.trim();
        var result = place(holder.content.firstElementChild, settings);
        fill(result, settings);
      });
    }).catch(function () {
      place(message("Không kết nối được máy chủ; hãy kiểm tra mạng rồi quét lại."), settings);
    });
  }

  function handle(text) {
    // Scans that come one right after the other are read in turn, each with the form as the last one left it.
    queue = queue.then(function () { return read(text); });
  }

  window.addEventListener("keydown", function (event) {
    if (!config() || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) { return; }
    var now = event.timeStamp;
    var target = event.target;
    if (target.hasAttribute && target.hasAttribute("data-card-scan-box") && event.key === "Enter") {
      event.preventDefault();
      event.stopImmediatePropagation();
      if (target.value.trim()) { handle(target.value); }
      target.value = "";
      burst = null;
      return;
    }
    var inBurst = burst && now - burst.last <= SCANNER_GAP_MS;
    if (event.key === "Enter") {
      if (inBurst && burst.fast && looksLikeCard(burst.text)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        if (burst.before !== null && burst.field.isConnected) { burst.field.value = burst.before; }
        handle(burst.text);
      }
      burst = null;
      return;
    }
    if (event.key.length === 1) {
      if (!inBurst) { startBurst(now); } else { burst.fast = true; }
      burst.text += event.key;
      burst.last = now;
      // Outside a text box the keys of a scan would tick boxes (space) or pick options (letters).
      if (burst.fast && burst.before === null) { event.preventDefault(); }
    } else if (event.key === "Backspace" && inBurst) {
      // An input method rewriting letters sends Backspace and the new letter: follow it.
      burst.text = burst.text.slice(0, -1);
      burst.last = now;
    }
  }, true);

  window.addEventListener("keyup", function (event) {
    if (burst && burst.fast && burst.before === null && event.key === " ") { event.preventDefault(); }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var settings = config();
    if (settings) { settings.hidden = false; }
  });
})();
