// One scan of a citizen's ID card (its QR code, typed by a USB scanner much faster than anyone types,
// then Enter) on a staff page that offers it ([data-card-scan]): wherever the focus is, the burst is taken
// back out of the field it landed in and sent to the server, which reads the card and answers with a
// fragment. On the intake page that fragment carries the fields to fill; nothing is ever saved from here.
// The text goes by POST and is kept nowhere: not in the URL, the history or the page.
(function () {
  "use strict";

  // A scanner's keys come a few milliseconds apart, a fast typist's some 100 ms, and a busy PC can hold
  // a key of a scan back for a while: a burst goes on across pauses up to MAX_PAUSE_MS, and is a scan when
  // its keys came on average no more than SCANNER_AVERAGE_MS apart, which no one can type.
  var MAX_PAUSE_MS = 500;
  var SCANNER_AVERAGE_MS = 35;
  var MIN_SCANNER_KEYS = 4;
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
    burst = { text: "", before: new Map(), first: now, last: now, keys: 0 };
  }

  function scannerSpeed() {
    return burst.keys >= MIN_SCANNER_KEYS && (burst.last - burst.first) / (burst.keys - 1) <= SCANNER_AVERAGE_MS;
  }

  function scanning() {
    return !!burst && performance.now() - burst.last <= MAX_PAUSE_MS && scannerSpeed();
  }

  // The keys of a scan land in whatever has the focus, and the focus may move while they come (after an
  // earlier card filled the form): remember each text box as it was before the burst touched it.
  function touch(element) {
    if (isText(element) && !burst.before.has(element)) { burst.before.set(element, element.value); }
  }

  function restore() {
    burst.before.forEach(function (value, element) { element.value = value; });
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
    // Not in the middle of the next card's keys: they would be split between two boxes.
    if (next && !scanning()) { next.focus(); }
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

  function inBurst(now) { return !!burst && now - burst.last <= MAX_PAUSE_MS; }

  // One character of a scan, wherever it lands. A scan that starts outside any text box (on a checkbox,
  // a button) is steered into the page's catch box, where the scanner's accented letters can arrive too.
  function typed(now, target, character) {
    if (!inBurst(now)) { startBurst(now); }
    touch(target);
    burst.text += character;
    burst.last = now;
    burst.keys += 1;
    var settings = config();
    var catcher = settings.dataset.cardScanCatch && document.querySelector(settings.dataset.cardScanCatch);
    if (scannerSpeed() && !isText(target) && catcher) {
      touch(catcher);
      catcher.focus();
    }
  }

  function erased(now) {
    // An input method rewriting letters sends Backspace and the new letter: follow it.
    if (inBurst(now)) {
      burst.text = burst.text.slice(0, -1);
      burst.last = now;
    }
  }

  window.addEventListener("keydown", function (event) {
    if (!config() || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) { return; }
    var target = event.target;
    if (event.key === "Enter") {
      var box = target.hasAttribute && target.hasAttribute("data-card-scan-box");
      if (inBurst(event.timeStamp) && scannerSpeed() && looksLikeCard(burst.text)) {
        event.preventDefault();
        event.stopImmediatePropagation();
        restore();
        handle(burst.text);
      } else if (box) {
        // Whatever is in the scan box is a card to read, however slowly it came (pasted, typed).
        event.preventDefault();
        event.stopImmediatePropagation();
        if (target.value.trim()) { handle(target.value); }
        target.value = "";
      }
      burst = null;
      return;
    }
    // Keys into a text box are followed through what they insert (beforeinput), which also sees the
    // letters a scanner or an input method inserts without a key of their own.
    if (isText(target)) { return; }
    if (event.key.length === 1) {
      typed(event.timeStamp, target, event.key);
      // Outside a text box the keys of a scan would tick boxes (space) or pick options (letters).
      if (scannerSpeed()) { event.preventDefault(); }
    } else if (event.key === "Backspace") {
      erased(event.timeStamp);
    }
  }, true);

  window.addEventListener("beforeinput", function (event) {
    if (!config() || !isText(event.target)) { return; }
    if (event.inputType === "insertText" && event.data) {
      typed(event.timeStamp, event.target, event.data);
    } else if (event.inputType === "deleteContentBackward") {
      erased(event.timeStamp);
    }
  }, true);

  window.addEventListener("keyup", function (event) {
    if (scanning() && event.key === " " && !isText(event.target)) { event.preventDefault(); }
  }, true);

  document.addEventListener("DOMContentLoaded", function () {
    var settings = config();
    if (settings) { settings.hidden = false; }
  });
})();
