// "Make persona": the vocal window (10–30 s) drawn over the track's waveform. Clicking the
// waveform (or the arrow keys) moves the window, keeping its length; typing a start or an
// end redraws it. The numbers are what the form sends. Set up on every page htmx brings in,
// one put back by Back included (studio.setUp, studio.js).
(function () {
  "use strict";

  studio.setUp("[data-window-duration]", function (wave) {
    var duration = parseFloat(wave.dataset.windowDuration);
    var start = document.getElementById(wave.dataset.windowStart);
    var end = document.getElementById(wave.dataset.windowEnd);
    var mark = wave.querySelector(".window-mark");
    function draw() {
      var a = parseFloat(start.value) || 0, b = parseFloat(end.value) || 0;
      mark.style.left = (100 * Math.max(0, a) / duration) + "%";
      mark.style.width = (100 * Math.max(0, Math.min(duration, b) - a) / duration) + "%";
    }
    function moveTo(seconds) {
      var length = (parseFloat(end.value) || 0) - (parseFloat(start.value) || 0);
      if (!(length >= 10 && length <= 30)) length = Math.min(20, duration);
      var a = Math.max(0, Math.min(duration - length, seconds));
      start.value = a.toFixed(1);
      end.value = (a + length).toFixed(1);
      draw();
    }
    wave.addEventListener("click", function (e) {
      var box = wave.getBoundingClientRect();
      moveTo(duration * (e.clientX - box.left) / box.width);
    });
    wave.addEventListener("keydown", function (e) {
      var now = parseFloat(start.value) || 0;
      if (e.key === "ArrowRight") moveTo(now + 1);
      else if (e.key === "ArrowLeft") moveTo(now - 1);
      else return;
      e.preventDefault();
    });
    start.addEventListener("input", draw);
    end.addEventListener("input", draw);
    draw();
  });
})();
