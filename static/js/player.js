// The persistent footer player. It lives in <footer id="player">, outside <main id="main">;
// boosted navigation swaps only #main (below), and Back / Forward restore only #main
// (hx-history-elt in base.html), so the one <audio> keeps playing and no stale copy of it
// ever appears. Everything is event delegation: it works on content htmx swaps in and needs
// no inline script (CSP-friendly).
//
// What a page gives the player: any element with these data attributes (the `player_attrs`
// template tag writes them for a Track; a share page or playlist may write its own URLs):
//   data-play="<audio url>"   a play button; clicking it plays (or pauses) that track.
//                             Every [data-play] inside #main, in page order, is also the
//                             page's list: playing one makes that list the player's, for
//                             previous / next and the queue (library grid, playlists, shares).
//   data-play-next="<audio url>"  a "Play next" button: the track plays after the current one.
//   data-src="<audio url>" + data-seek   a waveform that seeks in that track on click / keys.
//   data-title, data-take (the take in words, "take 2" or "extension · take 1": two takes of
//             one generation, or an extension and its song, share a title),
//   data-style, data-cover (image url), data-href (the track's page),
//   data-info (optional: the URL of an HTML fragment like library/player_info.html — an
//             element with data-info-for (its own path), data-peaks (JSON, 0..1) and
//             data-duration, then the lyrics — which htmx loads when the track plays).
//   a[data-extend="<audio url>"]  "Extend from here": ?at= becomes the playhead's second.
(function () {
  "use strict";

  var bar = document.getElementById("player");
  if (!bar) return;
  var audio = bar.querySelector("audio");
  var placeholder = bar.querySelector(".player-cover").getAttribute("src");
  var STATE = "studio-player";
  var FIELDS = ["src", "title", "take", "style", "cover", "href", "info"];

  var list = [];       // the list the current track was started from
  var pos = -1;        // the current track's place in `list` (kept while a queued one plays)
  var upNext = [];     // tracks added with "Play next", played before the rest of the list
  var listFrom = "";   // the address of the page `list` was taken from
  var current = null;  // the track loaded in the audio element
  var repeat = "off";  // off | all | one

  function $(selector) { return bar.querySelector(selector); }

  function same(src) {
    return Boolean(src) && audio.getAttribute("src") === src;
  }

  function clock(t) {
    t = Math.max(0, Math.floor(t || 0));
    return Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0");
  }

  // A track as the player keeps it, read from an element's data attributes.
  function item(el, src) {
    var d = el.dataset;
    return { src: src || d.play || d.src || d.playNext, title: d.title || "Untitled",
             take: d.take || "", style: d.style || "", cover: d.cover || "", href: d.href || "",
             info: d.info || "" };
  }

  // The page's list: every play button in #main, in order, each track once.
  function pageList() {
    var seen = {}, found = [];
    document.querySelectorAll("#main [data-play]").forEach(function (el) {
      if (seen[el.dataset.play]) return;
      seen[el.dataset.play] = true;
      found.push(item(el));
    });
    return found;
  }

  function indexOf(tracks, src) {
    for (var i = 0; i < tracks.length; i++) if (tracks[i].src === src) return i;
    return -1;
  }

  // ---- showing the current track ----

  function show(track) {
    bar.hidden = false;
    var title = $(".player-title");
    title.textContent = track.title || "Untitled";
    if (track.href) title.setAttribute("href", track.href);
    $(".player-style").textContent = track.style || "";
    $(".player-cover").src = track.cover || placeholder;
    if ("mediaSession" in navigator && window.MediaMetadata) {
      navigator.mediaSession.metadata = new MediaMetadata({
        title: track.title || "Untitled", artist: "Studio", album: track.style || "",
        artwork: track.cover ? [{ src: new URL(track.cover, location.href).href }] : []
      });
    }
    loadInfo(track);
    drawQueue();
  }

  // The track's peaks and lyrics: an HTML fragment (library/player_info.html) that htmx
  // swaps into the lyrics panel; its data-info-for says which track it describes, so a slow
  // answer for a track already left behind is never taken for the current one's.
  var infoBox = document.getElementById("player-info");
  function loadInfo(track) {
    if (!track.info || !window.htmx) { infoBox.textContent = ""; drawWave(); return; }
    var done = function () { drawWave(); };
    var sent = window.htmx.ajax("GET", track.info, { source: infoBox, target: infoBox, swap: "innerHTML" });
    if (sent && sent.then) sent.then(done, done);
  }

  function currentInfo() {
    var found = infoBox.querySelector("[data-info-for]");
    if (!found || !current || found.dataset.infoFor !== current.info) return {};
    var peaks;
    try { peaks = JSON.parse(found.dataset.peaks || "[]"); } catch (e) { peaks = []; }
    return { peaks: peaks, duration: parseFloat(found.dataset.duration) || 0 };
  }

  // The footer waveform: the track's peaks, the played part in the accent colour.
  var canvas = $(".player-wave canvas");
  function drawWave() {
    var box = canvas.parentNode.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    var width = Math.max(1, Math.round(box.width * ratio));
    var height = Math.max(1, Math.round(box.height * ratio));
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width; canvas.height = height;
    }
    var ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, width, height);
    var peaks = currentInfo().peaks || [];
    if (!peaks.length) peaks = [0.12];
    var styles = getComputedStyle(bar);
    var played = styles.getPropertyValue("--accent").trim() || "#ff7a59";
    var rest = styles.getPropertyValue("--line").trim() || "#2c3140";
    var duration = audio.duration || currentInfo().duration || 0;
    var done = duration ? audio.currentTime / duration : 0;
    var n = Math.max(1, Math.min(peaks.length, Math.floor(width / (2 * ratio))));
    var step = width / n;
    for (var i = 0; i < n; i++) {
      var peak = peaks[Math.floor(i * peaks.length / n)] || 0;
      var h = Math.max(2 * ratio, Math.min(1, peak) * height);
      ctx.fillStyle = (i + 0.5) / n <= done ? played : rest;
      ctx.fillRect(i * step, (height - h) / 2, Math.max(1, step - ratio), h);
    }
  }

  function drawTime() {
    var duration = audio.duration || currentInfo().duration || 0;
    $(".player-time").textContent = clock(audio.currentTime);
    $(".player-duration").textContent = clock(duration);
    var wave = $(".player-wave");
    wave.setAttribute("aria-valuemax", duration.toFixed(1));
    wave.setAttribute("aria-valuenow", (audio.currentTime || 0).toFixed(1));
    wave.setAttribute("aria-valuetext", clock(audio.currentTime) + " of " + clock(duration));
    drawWave();
  }

  function drawQueue() {
    var ol = $(".player-list");
    ol.textContent = "";
    var coming = upNext.concat(list.slice(pos + 1));
    coming.forEach(function (track, i) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link";
      button.dataset.queueAt = String(i);
      var title = track.title || "Untitled";
      button.textContent = title;
      if (track.take) {  // the two takes of a generation share a title: say which one this is
        // ("take 2", "extension · take 1"; a queue kept from before held the number alone)
        var words = /^\d+$/.test(track.take) ? "take " + track.take : track.take;
        var take = document.createElement("span");
        take.className = "muted small";
        take.textContent = " · " + words;
        button.appendChild(take);
        button.setAttribute("aria-label", title + ", " + words.replace(" · ", ", "));
      }
      li.appendChild(button);
      if (i < upNext.length) {
        var tag = document.createElement("span");
        tag.className = "muted small";
        tag.textContent = " · queued";
        li.appendChild(tag);
      }
      ol.appendChild(li);
    });
    $(".player-empty").hidden = coming.length > 0;
  }

  function markPlaying() {
    var src = audio.getAttribute("src");
    document.querySelectorAll("[data-play]").forEach(function (el) {
      var on = same(el.dataset.play) && !audio.paused;
      var word = el.querySelector("[data-play-word]");
      el.classList.toggle("is-playing", on);
      // A button that says what it does (the track page's "Play" / "Pause") names its state
      // in its words; a pressed "Pause" would say it twice.
      if (word) word.textContent = on ? "Pause" : "Play";
      else el.setAttribute("aria-pressed", on ? "true" : "false");
    });
    document.querySelectorAll("[data-seek]").forEach(function (el) {
      el.classList.toggle("is-current", src === el.dataset.src);
    });
    var toggle = $("[data-player=toggle]");
    toggle.classList.toggle("is-playing", !audio.paused);
    toggle.setAttribute("aria-label", audio.paused ? "Play" : "Pause");
  }

  // The track page's own waveform follows the playhead too.
  function drawPlayhead() {
    var src = audio.getAttribute("src");
    document.querySelectorAll("[data-seek]").forEach(function (el) {
      var progress = el.querySelector(".waveform-progress");
      var duration = audio.duration || parseFloat(el.dataset.duration) || 0;
      var mine = src === el.dataset.src;
      var here = mine && duration ? audio.currentTime / duration : 0;
      if (progress) progress.style.width = (Math.min(1, here) * 100).toFixed(2) + "%";
      el.setAttribute("aria-valuenow", (mine ? audio.currentTime : 0).toFixed(1));
      el.setAttribute("aria-valuetext", clock(mine ? audio.currentTime : 0));
    });
  }

  // ---- playing ----

  function start() {
    var started = audio.play();
    if (started && started.catch) started.catch(function () { /* autoplay refused */ });
  }

  // Load a track (unless it is already loaded), then start it, optionally at `at` seconds.
  function play(track, at) {
    current = track;
    show(track);
    if (!same(track.src)) {
      audio.src = track.src;
      audio.preload = "auto";
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
    start();
    remember();
  }

  // Play a track from the page: the page's play buttons become the list.
  function playFromPage(track, at) {
    list = pageList();
    listFrom = location.pathname + location.search;
    pos = indexOf(list, track.src);
    if (pos === -1) { list = [track]; pos = 0; }
    play(track, at);
  }

  function next() {
    if (upNext.length) { play(upNext.shift()); return true; }
    if (pos + 1 < list.length) { pos += 1; play(list[pos]); return true; }
    if (repeat === "all" && list.length) { pos = 0; play(list[0]); return true; }
    return false;
  }

  function previous() {
    if (audio.currentTime > 3) { audio.currentTime = 0; start(); return; }
    var here = indexOf(list, current && current.src);
    if (here === -1 && pos >= 0 && pos < list.length) { play(list[pos]); return; } // a queued one
    if (here > 0) { pos = here - 1; play(list[pos]); return; }
    if (repeat === "all" && list.length > 1) { pos = list.length - 1; play(list[pos]); return; }
    audio.currentTime = 0; start();
  }

  function toggle() {
    if (!audio.getAttribute("src")) return;
    if (audio.paused) start(); else audio.pause();
  }

  function seekBy(seconds) {
    if (!audio.getAttribute("src")) return;
    var duration = audio.duration || currentInfo().duration || 0;
    var at = Math.max(0, (audio.currentTime || 0) + seconds);
    audio.currentTime = duration ? Math.min(at, Math.max(0, duration - 0.05)) : at;
  }

  function setRepeat(mode) {
    repeat = mode;
    var button = $("[data-player=repeat]");
    var words = { off: "off", all: "all tracks", one: "this track" }[mode];
    button.setAttribute("aria-pressed", mode === "off" ? "false" : "true");
    button.setAttribute("aria-label", "Repeat: " + words);
    button.title = "Repeat: " + words;
    button.dataset.mode = mode;
    remember();
  }

  audio.addEventListener("ended", function () {
    if (repeat === "one") { audio.currentTime = 0; start(); return; }
    next();
  });

  // ---- the page's buttons ----

  // Play buttons (track cards, the track page, takes in the progress list): play, or pause
  // when that track is the one playing.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-play]");
    if (!button) return;
    event.preventDefault();
    if (same(button.dataset.play) && !audio.paused) { audio.pause(); return; }
    if (same(button.dataset.play) && current) { start(); return; }
    playFromPage(item(button));
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-play-next]");
    if (!button) return;
    event.preventDefault();
    var track = item(button, button.dataset.playNext);
    if (!current) { playFromPage(track); return; }
    upNext.unshift(track);
    drawQueue();
    remember();
    var menu = button.closest("details[open]");  // a card's menu has done its job
    if (menu) menu.open = false;
  });

  // The track page's waveform: click to seek there (starting the track if another plays).
  function seekTo(el, fraction) {
    var duration = (same(el.dataset.src) && audio.duration) || parseFloat(el.dataset.duration) || 0;
    var at = Math.max(0, Math.min(1, fraction)) * duration;
    if (same(el.dataset.src)) {
      audio.currentTime = at;
      if (audio.paused) start();
    } else {
      playFromPage(item(el, el.dataset.src), at);
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

  // ---- the footer's own controls ----

  bar.addEventListener("click", function (event) {
    var control = event.target.closest("[data-player]");
    var queued = event.target.closest("[data-queue-at]");
    if (queued) {
      var i = parseInt(queued.dataset.queueAt, 10);
      if (i < upNext.length) { play(upNext.splice(i, 1)[0]); }
      else { pos = pos + 1 + (i - upNext.length); play(list[pos]); }
      return;
    }
    if (!control) return;
    var what = control.dataset.player;
    if (what === "toggle") toggle();
    else if (what === "next") next();
    else if (what === "previous") previous();
    else if (what === "repeat") setRepeat({ off: "all", all: "one", one: "off" }[repeat]);
    else if (what === "queue" || what === "lyrics") {
      var panel = document.getElementById(control.getAttribute("aria-controls"));
      var open = panel.hidden;
      closePanels();
      panel.hidden = !open;
      control.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });

  function closePanels() {
    bar.querySelectorAll(".player-panel").forEach(function (p) { p.hidden = true; });
    bar.querySelectorAll("[data-player=queue], [data-player=lyrics]").forEach(function (b) {
      b.setAttribute("aria-expanded", "false");
    });
  }

  // Escape closes the open queue or lyrics panel, as it closes a ⋯ menu (studio.js, which
  // goes first), and gives the focus back to the button that opened it.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    var shown = bar.querySelector(".player-panel:not([hidden])");
    if (!shown) return;
    event.preventDefault();
    closePanels();
    var opener = bar.querySelector("[aria-controls='" + shown.id + "']");
    if (opener) opener.focus();
  });

  var wave = $(".player-wave");
  wave.addEventListener("click", function (event) {
    var duration = audio.duration || currentInfo().duration || 0;
    if (!duration) return;
    var box = wave.getBoundingClientRect();
    audio.currentTime = Math.max(0, Math.min(1, (event.clientX - box.left) / box.width)) * duration;
    if (audio.paused) start();
  });

  // Keyboard: space plays / pauses, ← / → seek 5 s — never while typing in a field, nor
  // where the key already means something (a focused button or link takes space).
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (!audio.getAttribute("src")) return;
    var target = event.target;
    if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === " ") {
      if (target.closest && target.closest("button, a, summary, [role=button]")) return;
      toggle();
    } else if (event.key === "ArrowLeft") {
      seekBy(-5);
    } else if (event.key === "ArrowRight") {
      seekBy(5);
    } else return;
    event.preventDefault();
  });

  // Lock-screen and media-key controls.
  if ("mediaSession" in navigator) {
    var actions = {
      play: start, pause: function () { audio.pause(); }, previoustrack: previous,
      nexttrack: next,
      seekbackward: function (d) { seekBy(-((d && d.seekOffset) || 5)); },
      seekforward: function (d) { seekBy((d && d.seekOffset) || 5); },
      seekto: function (d) { if (d && typeof d.seekTime === "number") audio.currentTime = d.seekTime; }
    };
    Object.keys(actions).forEach(function (name) {
      try { navigator.mediaSession.setActionHandler(name, actions[name]); }
      catch (e) { /* an action this browser does not know */ }
    });
  }

  // "Extend from here": the link asks for the playhead's second. htmx read the boosted
  // link's href when it processed it, so the request path is rewritten as htmx sends it;
  // the href itself is rewritten too, for a new tab or a browser without htmx.
  function extendUrl(link) {
    if (!same(link.dataset.extend) || !(audio.currentTime > 0)) return null;
    var url = new URL(link.getAttribute("href"), location.href);
    url.searchParams.set("at", audio.currentTime.toFixed(1));
    return url.pathname + url.search;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-extend]");
    var url = link && extendUrl(link);
    if (url) link.setAttribute("href", url);
  }, true);

  document.addEventListener("htmx:configRequest", function (event) {
    var link = event.detail.elt;
    if (!link.matches || !link.matches("a[data-extend]")) return;
    var url = extendUrl(link);
    if (url) event.detail.path = url;
  });

  ["play", "pause", "ended", "emptied", "loadedmetadata"].forEach(function (name) {
    audio.addEventListener(name, function () {
      markPlaying(); drawPlayhead(); drawTime(); remember();
      if ("mediaSession" in navigator) {
        navigator.mediaSession.playbackState = audio.paused ? "paused" : "playing";
      }
    });
  });
  audio.addEventListener("timeupdate", function () { drawPlayhead(); drawTime(); });
  window.addEventListener("resize", drawWave);

  // ---- navigation ----

  // Boosted navigation: swap only #main, so the footer (and its audio) stays untouched.
  // Set here rather than as inherited hx-target/hx-select on <body>, which every other htmx
  // element on a page (status polls, filters) would inherit too.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    // Taken already: a form that keeps what was typed stays, saying what went wrong (studio.js).
    if (!detail.boosted || event.defaultPrevented) return;
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
  });

  // The nav highlights the section of the page #main now holds (after a boosted swap and
  // after Back / Forward, which restores #main from htmx's history cache).
  function syncNav() {
    var marker = document.querySelector("#main [data-page-section]");
    if (!marker) return;
    document.querySelectorAll(".topbar nav a[data-section]").forEach(function (a) {
      var on = a.dataset.section === marker.dataset.pageSection;
      a.classList.toggle("active", on);
      if (on) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
    });
  }

  // "Load more" appends tracks to the page the list was taken from: the list grows with it,
  // so next goes on into them. Another page, or the same one filtered, leaves it as it was.
  function growList() {
    if (!list.length || listFrom !== location.pathname + location.search) return;
    var fresh = pageList();
    if (fresh.length <= list.length) return;
    for (var i = 0; i < list.length; i++) if (fresh[i].src !== list[i].src) return;
    list = fresh;
  }

  function afterNavigation() {
    growList(); syncNav(); markPlaying(); drawPlayhead();
  }
  document.addEventListener("htmx:afterSettle", afterNavigation);
  document.addEventListener("htmx:historyRestore", afterNavigation);

  // ---- a full reload (or a new tab) finds the player where it was, paused ----

  function remember() {
    if (!current) return;
    try {
      sessionStorage.setItem(STATE, JSON.stringify({
        current: current, at: audio.currentTime || 0, list: list, pos: pos, upNext: upNext,
        repeat: repeat
      }));
    } catch (e) { /* storage full or disabled: nothing to keep */ }
  }
  window.addEventListener("pagehide", remember);

  function valid(track) {
    return track && typeof track.src === "string" && track.src.charAt(0) === "/" &&
      FIELDS.every(function (k) { return track[k] === undefined || typeof track[k] === "string"; });
  }

  function restore() {
    var saved;
    try { saved = JSON.parse(sessionStorage.getItem(STATE) || "null"); } catch (e) { saved = null; }
    if (!saved || !valid(saved.current)) return;
    list = (saved.list || []).filter(valid);
    upNext = (saved.upNext || []).filter(valid);
    pos = Math.min(typeof saved.pos === "number" ? saved.pos : -1, list.length - 1);
    setRepeat(["off", "all", "one"].indexOf(saved.repeat) !== -1 ? saved.repeat : "off");
    current = saved.current;
    show(current);
    audio.preload = "metadata";
    audio.src = current.src;
    audio.addEventListener("loadedmetadata", function once() {
      audio.removeEventListener("loadedmetadata", once);
      if (saved.at) audio.currentTime = saved.at;
    });
  }

  restore();
  syncNav();
  markPlaying();
  drawPlayhead();
})();
