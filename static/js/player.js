// The persistent player. It lives in <footer id="player">, outside <main id="main">; page
// navigation is boosted by htmx and swaps only #main, so the <audio> keeps playing while
// the creator browses. Everything here is event delegation: it keeps working on content
// htmx swaps in, and needs no inline script (CSP-friendly).
(function () {
  "use strict";

  var bar = document.getElementById("player");
  if (!bar) return;
  var audio = bar.querySelector("audio");
  var STATE = "studio-player";

  function same(src) {
    return Boolean(src) && audio.getAttribute("src") === src;
  }

  function show(el) {
    bar.hidden = false;
    bar.querySelector(".player-title").textContent = el.dataset.title || "Untitled";
    if (el.dataset.href) bar.querySelector(".player-title").setAttribute("href", el.dataset.href);
    bar.querySelector(".player-style").textContent = el.dataset.style || "";
    if (el.dataset.cover) bar.querySelector(".player-cover").src = el.dataset.cover;
    if ("mediaSession" in navigator && window.MediaMetadata) {
      navigator.mediaSession.metadata = new MediaMetadata({
        title: el.dataset.title || "Untitled", artist: "Studio", album: el.dataset.style || "",
        artwork: el.dataset.cover ? [{ src: el.dataset.cover }] : []
      });
    }
  }

  // Load a track (unless it is already loaded), then start it, optionally at `at` seconds.
  function load(el, src, at) {
    show(el);
    if (!same(src)) {
      audio.src = src;
      bar.dataset.src = src;
    }
    if (typeof at === "number") {
      if (audio.readyState >= 1) {
        audio.currentTime = at;
      } else {
        audio.addEventListener("loadedmetadata", function once() {
          audio.removeEventListener("loadedmetadata", once);
          audio.currentTime = at;
        });
      }
    }
    var started = audio.play();
    if (started && started.catch) started.catch(function () { /* autoplay refused */ });
    remember();
  }

  function markPlaying() {
    var src = audio.getAttribute("src");
    document.querySelectorAll("[data-play]").forEach(function (el) {
      var on = same(el.dataset.play) && !audio.paused;
      el.classList.toggle("is-playing", on);
      el.setAttribute("aria-pressed", on ? "true" : "false");
    });
    document.querySelectorAll("[data-seek]").forEach(function (el) {
      el.classList.toggle("is-current", src === el.dataset.src);
    });
  }

  function drawPlayhead() {
    var src = audio.getAttribute("src");
    document.querySelectorAll("[data-seek]").forEach(function (el) {
      var bar = el.querySelector(".waveform-progress");
      var duration = audio.duration || parseFloat(el.dataset.duration) || 0;
      var here = src === el.dataset.src && duration ? audio.currentTime / duration : 0;
      if (bar) bar.style.width = (Math.min(1, here) * 100).toFixed(2) + "%";
      el.setAttribute("aria-valuenow", (src === el.dataset.src ? audio.currentTime : 0).toFixed(1));
      el.setAttribute("aria-valuetext", clock(src === el.dataset.src ? audio.currentTime : 0));
    });
  }

  function clock(t) {
    t = Math.max(0, Math.round(t || 0));
    return Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0");
  }

  // Play buttons (track cards, the track page, takes in the progress list): play, or pause
  // when that track is the one playing.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-play]");
    if (!button) return;
    event.preventDefault();
    if (same(button.dataset.play) && !audio.paused) { audio.pause(); return; }
    load(button, button.dataset.play);
  });

  // The waveform on the track page: click to seek there (starting the track if another plays).
  function seekTo(el, fraction) {
    var duration = (same(el.dataset.src) && audio.duration) || parseFloat(el.dataset.duration) || 0;
    var at = Math.max(0, Math.min(1, fraction)) * duration;
    if (same(el.dataset.src)) {
      audio.currentTime = at;
      if (audio.paused) audio.play();
    } else {
      load(el, el.dataset.src, at);
    }
    drawPlayhead();
  }

  document.addEventListener("click", function (event) {
    var wave = event.target.closest("[data-seek]");
    if (!wave) return;
    var box = wave.getBoundingClientRect();
    seekTo(wave, (event.clientX - box.left) / box.width);
  });

  document.addEventListener("keydown", function (event) {
    var wave = event.target.closest && event.target.closest("[data-seek]");
    if (!wave) return;
    var duration = parseFloat(wave.dataset.duration) || 1;
    var now = same(wave.dataset.src) ? audio.currentTime : 0;
    var step = { ArrowLeft: -5, ArrowRight: 5, PageDown: -30, PageUp: 30 }[event.key];
    if (event.key === "Home") { seekTo(wave, 0); }
    else if (event.key === "End") { seekTo(wave, 0.999); }
    else if (step) { seekTo(wave, (now + step) / duration); }
    else if (event.key === " " || event.key === "Enter") {
      if (same(wave.dataset.src) && !audio.paused) audio.pause(); else seekTo(wave, now / duration);
    } else return;
    event.preventDefault();
  });

  // "Extend from here": carry the playhead into the link before htmx or the browser follows it
  // (capture phase, so it runs before the boosted link's own handler).
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-extend]");
    if (!link || !same(link.dataset.extend) || !(audio.currentTime > 0)) return;
    var url = new URL(link.href, location.href);
    url.searchParams.set("at", audio.currentTime.toFixed(1));
    link.href = url.pathname + url.search;
  }, true);

  ["play", "pause", "ended", "emptied"].forEach(function (name) {
    audio.addEventListener(name, function () { markPlaying(); drawPlayhead(); remember(); });
  });
  audio.addEventListener("timeupdate", drawPlayhead);

  // Boosted navigation: swap only #main, so the footer (and its audio) stays untouched.
  // Set here rather than as inherited hx-target/hx-select on <body>, which every other htmx
  // element on a page (status polls, filters) would inherit too.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!detail.boosted) return;
    if (detail.isError || !/id="main"/.test(detail.serverResponse || "")) {
      // An error page or a page without #main (log-in): let the browser load it whole.
      detail.shouldSwap = false;
      window.location.href = (detail.pathInfo && detail.pathInfo.responsePath) ||
        detail.xhr.responseURL;
      return;
    }
    detail.target = document.getElementById("main");
    detail.selectOverride = "#main";
    detail.swapOverride = "outerHTML";
    syncNav(detail.serverResponse);
  });

  function syncNav(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var active = Array.prototype.map.call(page.querySelectorAll(".topbar nav a.active"),
      function (a) { return a.getAttribute("href"); });
    document.querySelectorAll(".topbar nav a").forEach(function (a) {
      a.classList.toggle("active", active.indexOf(a.getAttribute("href")) !== -1);
    });
  }

  document.addEventListener("htmx:afterSettle", function () {
    markPlaying(); drawPlayhead();
  });

  // A full reload (or a new tab) finds the player where it was, paused.
  function remember() {
    if (!audio.getAttribute("src")) return;
    try {
      sessionStorage.setItem(STATE, JSON.stringify({
        src: audio.getAttribute("src"), at: audio.currentTime || 0,
        title: bar.querySelector(".player-title").textContent,
        href: bar.querySelector(".player-title").getAttribute("href"),
        style: bar.querySelector(".player-style").textContent,
        cover: bar.querySelector(".player-cover").getAttribute("src")
      }));
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }
  window.addEventListener("pagehide", remember);

  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(STATE) || "null"); } catch (e) { saved = null; }
    if (!saved || !saved.src) return;
    show({ dataset: saved });
    audio.preload = "metadata";
    audio.src = saved.src;
    audio.addEventListener("loadedmetadata", function once() {
      audio.removeEventListener("loadedmetadata", once);
      if (saved.at) audio.currentTime = saved.at;
    });
  }

  restore();
  markPlaying();
  drawPlayhead();
})();
