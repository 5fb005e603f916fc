// Karaoke lyrics on the track page: the line being sung is highlighted and scrolled into the
// lyrics box as the footer player plays this track; choosing a line plays from its start.
// Reads the footer's <audio> through its standard events only (player.js owns the player).
(function () {
  "use strict";

  function footerAudio() { return document.querySelector("#player audio"); }
  function box() { return document.querySelector("[data-karaoke]"); }
  function playing(audio, list) { return audio && list && audio.getAttribute("src") === list.dataset.src; }

  function show(list, now) {
    var lines = list.querySelectorAll(".karaoke-line");
    var current = null;
    lines.forEach(function (line) {
      var on = now >= parseFloat(line.dataset.start) &&
        (line === lines[lines.length - 1] || now < parseFloat(line.parentElement.nextElementSibling.firstElementChild.dataset.start));
      if (on && now <= parseFloat(line.dataset.end) + 4) current = line;
      line.classList.toggle("is-current", line === current);
      line.querySelectorAll(".karaoke-word").forEach(function (word) {
        word.classList.toggle("is-sung", line === current && now >= parseFloat(word.dataset.start));
      });
    });
    if (current && current !== list.karaokeLine) {
      list.karaokeLine = current;
      // scroll the lyrics box only, never the page under the reader
      var top = current.offsetTop - list.clientHeight / 3;
      list.scrollTo({ top: Math.max(0, top), behavior: "smooth" });
    }
  }

  document.addEventListener("timeupdate", function (event) {
    var audio = footerAudio(), list = box();
    if (event.target !== audio || !playing(audio, list)) return;
    show(list, audio.currentTime);
  }, true);  // media events do not bubble; a capturing listener still hears them

  document.addEventListener("click", function (event) {
    var line = event.target.closest(".karaoke-line");
    var list = box();
    if (!line || !list) return;
    var audio = footerAudio();
    var at = parseFloat(line.dataset.start);
    if (playing(audio, list)) {
      audio.currentTime = at;
      if (audio.paused) audio.play();
      return;
    }
    // Not this track yet: the page's own play button loads it into the player, then seek.
    var play = document.querySelector('[data-play="' + list.dataset.src + '"]');
    if (!play || !audio) return;
    audio.addEventListener("playing", function seek() {
      audio.removeEventListener("playing", seek);
      audio.currentTime = at;
    });
    play.click();
  });
})();
