// Replace a section (the track page's "Replace a section" panel): while the panel is open,
// drag across the waveform or choose lyric lines to set the window. The panel's start and end
// fields hold it (the form posts them); a summary and a shaded span on the waveform show it.
// Dragging and choosing lines take the place of seeking and playing only while it is open.
(function () {
  "use strict";
  var MIN = 6, MAX = 60;
  var anchor = null, drag = null, swallowClick = false, filled = null;

  function panel() { return document.getElementById("replace"); }
  function form() { return document.querySelector("[data-replace-form]"); }
  function wave() { return document.querySelector(".waveform[data-seek]"); }
  function open() { var p = panel(); return !!(p && p.open && form()); }
  function duration() { return parseFloat(form().dataset.duration) || 0; }
  function clock(s) {
    var m = Math.floor(s / 60), r = s - 60 * m;
    return m + ":" + (r < 10 ? "0" : "") + r.toFixed(2);
  }
  function lines() { return Array.prototype.slice.call(document.querySelectorAll(".karaoke-line")); }

  function put(start, end) {
    var f = form();
    f.elements.start.value = start.toFixed(2);
    f.elements.end.value = end.toFixed(2);
    show();
  }

  // A window the rules accept: at least MIN s (grown past its end, or back from the track's
  // end), at most MAX s, inside the track.
  function fit(start, end) {
    var d = duration();
    start = Math.max(0, Math.min(start, d));
    end = Math.max(start, Math.min(end, d));
    if (end - start < MIN) {
      end = Math.min(d, start + MIN);
      start = Math.max(0, end - MIN);
    }
    if (end - start > MAX) end = start + MAX;
    put(start, end);
  }

  function show() {
    var f = form();
    if (!f) return;
    var s = parseFloat(f.elements.start.value), e = parseFloat(f.elements.end.value);
    var summary = f.querySelector("[data-replace-summary]");
    var w = wave(), span = w && w.querySelector(".replace-span");
    var chosen = !isNaN(s) && !isNaN(e) && e > s;
    if (chosen) {
      var length = e - s, wrong = length < MIN - 1e-6 || length > MAX + 1e-6;
      summary.textContent = "Window " + clock(s) + " – " + clock(e) + " · " + length.toFixed(2) +
        " s" + (wrong ? " (it must be 6 to 60 seconds)" : "");
      summary.classList.toggle("is-wrong", wrong);
    }
    if (w && !span) {
      span = document.createElement("div");
      span.className = "replace-span";
      span.setAttribute("aria-hidden", "true");
      w.appendChild(span);
    }
    if (span) {
      var d = duration();
      span.hidden = !(chosen && open() && d);
      if (!span.hidden) {
        span.style.left = (100 * s / d) + "%";
        span.style.width = (100 * (e - s) / d) + "%";
      }
    }
    lines().forEach(function (line) {
      var inside = chosen && parseFloat(line.dataset.start) >= s - 0.01 && parseFloat(line.dataset.end) <= e + 0.01;
      line.classList.toggle("is-chosen", open() && inside);
      if (open()) line.setAttribute("aria-pressed", inside ? "true" : "false");
      else line.removeAttribute("aria-pressed");
    });
  }

  // The words of the chosen lines go into the lyrics field, to be rewritten — unless the
  // creator has typed their own there.
  function fillWords(chosen) {
    var box = form().elements.lyrics;
    if (!box || (box.value.trim() && box.value !== filled)) return;
    filled = chosen.map(function (line) { return line.textContent.trim().replace(/\s+/g, " "); }).join("\n");
    box.value = filled;
    box.dispatchEvent(new Event("input", { bubbles: true }));  // the character counter
  }

  // Choosing lines: the first chosen line is the window; the next one stretches it from the
  // first to there; the one after starts again.
  document.addEventListener("click", function (event) {
    var line = event.target.closest && event.target.closest(".karaoke-line");
    if (!line || !open()) return;
    event.stopPropagation();  // choosing, not playing (karaoke.js listens after this)
    event.preventDefault();
    var all = lines(), from = anchor && all.indexOf(anchor) >= 0 ? anchor : line;
    var i = all.indexOf(from), j = all.indexOf(line);
    var chosen = all.slice(Math.min(i, j), Math.max(i, j) + 1);
    anchor = from === line ? line : null;
    fit(parseFloat(chosen[0].dataset.start), parseFloat(chosen[chosen.length - 1].dataset.end));
    fillWords(chosen);
  }, true);

  // Dragging across the waveform.
  function at(x) {
    var box = drag.box;
    return Math.max(0, Math.min(1, (x - box.left) / box.width)) * duration();
  }
  document.addEventListener("pointerdown", function (event) {
    var w = event.target.closest && event.target.closest(".waveform[data-seek]");
    if (!w || !open() || event.button !== 0) return;
    drag = { box: w.getBoundingClientRect(), x: event.clientX, moved: false };
  });
  document.addEventListener("pointermove", function (event) {
    if (!drag || (!drag.moved && Math.abs(event.clientX - drag.x) < 4)) return;
    drag.moved = true;
    event.preventDefault();
    var a = at(drag.x), b = at(event.clientX);
    put(Math.min(a, b), Math.max(a, b));
  });
  document.addEventListener("pointerup", function (event) {
    if (!drag) return;
    if (drag.moved) {
      var a = at(drag.x), b = at(event.clientX);
      fit(Math.min(a, b), Math.max(a, b));
      swallowClick = true;  // the click that ends a drag does not seek
    }
    drag = null;
  });
  document.addEventListener("click", function (event) {
    if (swallowClick && event.target.closest && event.target.closest(".waveform[data-seek]")) {
      event.stopPropagation();
      event.preventDefault();
    }
    swallowClick = false;
  }, true);

  document.addEventListener("input", function (event) {
    if (event.target.form && event.target.form.matches("[data-replace-form]")) show();
  });
  document.addEventListener("toggle", function (event) {
    if (event.target === panel()) show();
  }, true);  // toggle does not bubble

  // "Replace" in a menu or the page's button: open the panel and bring it into view.
  function openPanel() {
    var p = panel();
    if (!p) return;
    p.open = true;
    show();
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-open-replace]");
    if (!link || !panel() || link.pathname !== location.pathname) return;
    event.preventDefault();
    openPanel();
    panel().scrollIntoView({ block: "start" });
    var menu = link.closest("details.track-menu");
    if (menu) menu.open = false;
  });
  function fromHash() { if (location.hash === "#replace") openPanel(); else show(); }
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("htmx:afterSettle", fromHash);
  fromHash();
})();
