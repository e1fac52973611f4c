// The wall board: rotates its panels, keeps the clock, announces calls, rides out a lost server, dims after hours, reloads nightly.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var root = document.querySelector("[data-board]");
  if (!root || !window.htmx) { return; }
  var body = document.body;
  var panels = Array.prototype.slice.call(root.querySelectorAll("[data-panel]"));
  var dots = Array.prototype.slice.call(document.querySelectorAll(".board-dots li"));
  var offline = document.getElementById("board-offline");
  var DAY = 86400000;
  var RELOAD_CHECK = 30000;
  // The server's local wall time minus this machine's clock: a TV box's own clock is often wrong.
  var offset = 0;
  var lastGood = Date.now();
  var current = 0;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Dates shifted by `offset` hold the server's wall time; they are read with the UTC getters.
  function serverNow() { return new Date(Date.now() + offset); }
  function hhmm(date) { return pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes()); }

  function readStatus() {
    var status = document.querySelector("[data-server-now]");
    if (!status) { return; }
    var p = status.getAttribute("data-server-now").split(/[-T:]/).map(Number);
    offset = Date.UTC(p[0], p[1] - 1, p[2], p[3], p[4], p[5] || 0) - Date.now();
    body.classList.toggle("is-dim", status.getAttribute("data-open") !== "1");
  }

  function tick() {
    var text = hhmm(serverNow());
    document.querySelectorAll("[data-clock]").forEach(function (clock) { clock.textContent = text; });
  }

  function listOf(panel) { return panel.querySelector("[data-pages]"); }
  function shownPage(panel) { var list = listOf(panel); return list ? Number(list.getAttribute("data-page")) : 1; }
  function pageCount(panel) { var list = listOf(panel); return list ? Number(list.getAttribute("data-pages")) : 1; }
  function poller(panel) { return panel.querySelector("[hx-get]"); }

  function turnTo(panel, page) {
    poller(panel).setAttribute("data-page", page);
    htmx.trigger(poller(panel), "board:turn");
  }

  function isEmpty(panel) { var list = listOf(panel); return Boolean(list && list.hasAttribute("data-empty")); }

  // A panel with nothing to show (no notices) is passed over; it is still polled, and comes back when it has.
  function show(index) {
    for (var step = 0; step < panels.length && isEmpty(panels[index]); step += 1) { index = (index + 1) % panels.length; }
    current = index;
    panels.forEach(function (panel, i) { panel.classList.toggle("is-active", i === index); });
    dots.forEach(function (dot, i) {
      dot.classList.toggle("is-active", i === index);
      dot.hidden = isEmpty(panels[i]);
    });
    setTimeout(advance, Number(panels[index].getAttribute("data-seconds")) * 1000);
  }

  // Each page of a panel stays its panel's seconds; after the last page the next panel comes.
  function advance() {
    var panel = panels[current];
    if (shownPage(panel) < pageCount(panel)) {
      turnTo(panel, shownPage(panel) + 1);
      setTimeout(advance, Number(panel.getAttribute("data-seconds")) * 1000);
      return;
    }
    // Back to its first page while hidden, so that it starts there next time round.
    if (pageCount(panel) > 1) { turnTo(panel, 1); }
    show((current + 1) % panels.length);
  }

  function lost() {
    offline.querySelector("[data-last-good]").textContent = hhmm(new Date(lastGood + offset));
    offline.hidden = false;
  }

  body.addEventListener("htmx:configRequest", function (event) {
    var page = event.detail.elt.getAttribute("data-page");
    if (page) { event.detail.parameters.page = page; }
  });
  // An unchanged fragment (the browser revalidated it with a 304) is left as it is on screen.
  body.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (event.detail.xhr.status !== 200) { return; }
    if (target.boardLastResponse === event.detail.serverResponse) { event.detail.shouldSwap = false; }
    target.boardLastResponse = event.detail.serverResponse;
  });
  body.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target.id === "board-status") { readStatus(); }
    if (target.id === "board-calls") { announce(target); }
    var list = target.querySelector("[data-page]");
    if (list && target.hasAttribute("data-page")) { target.setAttribute("data-page", list.getAttribute("data-page")); }
  });
  // A new call flashes, chimes, then is said; calls on screen when the page loads (a reload, a server
  // back after a restart) are not announced again. Calls arriving together are said one after another.
  var announced = {};
  var toSay = [];
  var saying = false;
  var audio = null;
  var soundButton = document.querySelector("[data-sound-on]");
  function callsIn(scope) { return Array.prototype.slice.call(scope.querySelectorAll("[data-call-key]")); }
  callsIn(document).forEach(function (call) { announced[call.getAttribute("data-call-key")] = true; });

  function mark(state) { body.setAttribute("data-call-sound", state); }

  // A new audio context starts suspended; it runs at once where sound is allowed (the kiosk flag, a
  // click before), and stays suspended where the browser wants a click first.
  function soundAllowed() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) { return Promise.resolve(true); }
    audio = audio || new Context();
    if (audio.state === "running") { return Promise.resolve(true); }
    return Promise.race([
      audio.resume().then(function () { return audio.state === "running"; }),
      new Promise(function (resolve) { setTimeout(function () { resolve(false); }, 500); }),
    ]);
  }

  // Two soft tones made by the browser, so the chime needs no file and plays even without a voice.
  function chime(allowed) {
    if (!allowed) { return Promise.reject(new Error("blocked")); }
    if (!audio) { return Promise.resolve(); }
    [[660, 0], [880, 0.35]].forEach(function (tone) {
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      var start = audio.currentTime + tone[1];
      oscillator.frequency.value = tone[0];
      gain.gain.setValueAtTime(0.3, start);
      gain.gain.exponentialRampToValueAtTime(0.001, start + 0.6);
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(start);
      oscillator.stop(start + 0.6);
    });
    return new Promise(function (resolve) { setTimeout(resolve, 1000); });
  }

  function speak(call) {
    var url = call.getAttribute("data-voice-url");
    if (!url) { return Promise.resolve(); }
    var voice = new Audio(url);
    voice.addEventListener("playing", function () { mark("voice " + call.getAttribute("data-call-key")); });
    return voice.play().then(function () {
      return new Promise(function (resolve) {
        voice.addEventListener("ended", resolve);
        voice.addEventListener("error", resolve);
      });
    }, function (error) {
      // A voice file that cannot be had (no synthesizer any more) is passed over; a refusal to play is not.
      if (error && error.name === "NotAllowedError") { throw error; }
    });
  }

  function sayNext() {
    if (saying || !toSay.length) { return; }
    saying = true;
    var call = toSay[0];
    mark("chime " + call.getAttribute("data-call-key"));
    soundAllowed().then(chime).then(function () { return speak(call); }).then(function () {
      toSay.shift();
      saying = false;
      mark("done " + call.getAttribute("data-call-key"));
      sayNext();
    }, function () {
      // The browser wants a click first: one button, and the calls wait for it.
      saying = false;
      mark("blocked");
      soundButton.hidden = false;
    });
  }

  soundButton.addEventListener("click", function () {
    soundAllowed().then(function () {
      soundButton.hidden = true;
      sayNext();
    });
  });

  function announce(scope) {
    callsIn(scope).forEach(function (call) {
      var key = call.getAttribute("data-call-key");
      if (announced[key]) { return; }
      announced[key] = true;
      call.classList.add("is-new");
      toSay.push(call);
    });
    sayNext();
  }

  // The last good content stays; polling goes on and the first answer that arrives hides the line.
  body.addEventListener("htmx:sendError", lost);
  body.addEventListener("htmx:responseError", lost);
  body.addEventListener("htmx:timeout", lost);
  body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) {
      lastGood = Date.now();
      offline.hidden = true;
    }
  });

  // Once a day, at a quiet hour, load the page afresh so a new version reaches the screen; never
  // while the server is away, or the screen would be left on the browser's error page.
  function nextReload() {
    var at = root.getAttribute("data-reload-at").split(":").map(Number);
    var now = serverNow();
    var due = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), at[0], at[1]);
    return due <= now.getTime() ? due + DAY : due;
  }
  readStatus();
  var reloadDue = nextReload();
  setInterval(function () {
    if (serverNow().getTime() < reloadDue) { return; }
    fetch(root.getAttribute("data-status-url"), { cache: "no-store", headers: { "HX-Request": "true" } })
      .then(function (response) { if (response.ok) { window.location.reload(); } })
      .catch(function () { /* still away: the next check tries again */ });
  }, RELOAD_CHECK);

  tick();
  setInterval(tick, 1000);
  if (panels.length) {
    body.classList.add("js-rotating");
    show(0);
  }
});
