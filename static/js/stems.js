// The track page's stem player: one <audio> per stem, started together and kept in step with
// the first; Mute and Solo per stem (any solo mutes every stem that is not soloed).
// Only standard media events and properties; the footer player is paused while stems play,
// and the stems pause whenever the footer player starts (its button, a play button, a key).
(function () {
  "use strict";

  function clock(t) {
    t = Math.max(0, Math.floor(t || 0));
    return Math.floor(t / 60) + ":" + String(t % 60).padStart(2, "0");
  }
  function audios(player) { return Array.prototype.slice.call(player.querySelectorAll("audio")); }
  function pressed(button) { return button.getAttribute("aria-pressed") === "true"; }

  function applyMix(player) {
    var rows = player.querySelectorAll("[data-stem]");
    var anySolo = Array.prototype.some.call(rows, function (row) {
      return pressed(row.querySelector("[data-stem-solo]"));
    });
    rows.forEach(function (row) {
      var muted = pressed(row.querySelector("[data-stem-mute]")) ||
        (anySolo && !pressed(row.querySelector("[data-stem-solo]")));
      row.querySelector("audio").muted = muted;
      row.classList.toggle("is-silent", muted);
    });
  }

  function setPlaying(player, on) {
    var button = player.querySelector("[data-stems-play]");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.textContent = on ? "Pause stems" : "Play stems";
  }

  function play(player) {
    var list = audios(player), lead = list[0];
    var footer = document.querySelector("#player audio");
    if (footer && !footer.paused) footer.pause();
    list.forEach(function (a) { a.currentTime = lead.currentTime; });
    Promise.all(list.map(function (a) { return a.play(); })).catch(function () { setPlaying(player, false); });
    setPlaying(player, true);
  }

  function pause(player) {
    audios(player).forEach(function (a) { a.pause(); });
    setPlaying(player, false);
  }

  document.addEventListener("click", function (event) {
    var player = event.target.closest("[data-stems]");
    if (!player) return;
    var button = event.target.closest("button");
    if (!button) return;
    if (button.hasAttribute("data-stems-play")) {
      if (pressed(button)) pause(player); else play(player);
    } else if (button.hasAttribute("data-stem-mute") || button.hasAttribute("data-stem-solo")) {
      button.setAttribute("aria-pressed", pressed(button) ? "false" : "true");
      applyMix(player);
    }
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches("[data-stems-seek]")) return;
    var player = event.target.closest("[data-stems]");
    var at = parseFloat(event.target.value) || 0;
    audios(player).forEach(function (a) { a.currentTime = at; });
  });

  // Media events do not bubble: a capturing listener on the document hears every <audio>.
  document.addEventListener("timeupdate", function (event) {
    var player = event.target.closest && event.target.closest("[data-stems]");
    if (!player) return;
    var list = audios(player), lead = list[0];
    if (event.target !== lead) return;
    list.slice(1).forEach(function (a) {  // keep every stem within 40 ms of the first
      if (!a.paused && Math.abs(a.currentTime - lead.currentTime) > 0.04) a.currentTime = lead.currentTime;
    });
    var seek = player.querySelector("[data-stems-seek]");
    if (document.activeElement !== seek) seek.value = lead.currentTime;
    player.querySelector("[data-stems-clock]").textContent = clock(lead.currentTime);
  }, true);

  document.addEventListener("play", function (event) {
    if (!event.target.closest || !event.target.closest("#player")) return;
    document.querySelectorAll("[data-stems]").forEach(function (player) {
      if (audios(player).some(function (a) { return !a.paused; })) pause(player);
    });
  }, true);

  document.addEventListener("ended", function (event) {
    var player = event.target.closest && event.target.closest("[data-stems]");
    if (player && event.target === audios(player)[0]) pause(player);
  }, true);
})();
