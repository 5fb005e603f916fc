// Studio's own script: the persistent player and submit-once forms. No inline handlers.
(function () {
  "use strict";

  function play(button) {
    var bar = document.getElementById("player");
    if (!bar) return;
    var audio = bar.querySelector("audio");
    bar.hidden = false;
    bar.querySelector(".player-title").textContent = button.dataset.title || "Untitled";
    bar.querySelector(".player-style").textContent = button.dataset.style || "";
    if (button.dataset.cover) bar.querySelector(".player-cover").src = button.dataset.cover;
    if (audio.getAttribute("src") !== button.dataset.play) {
      audio.src = button.dataset.play;
    }
    audio.play();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-play]");
    if (button) { event.preventDefault(); play(button); }
  });

  // A form marked data-once sends once: a double click does not make two generations
  // (the server also de-duplicates by the form's token).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-once]")) return;
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (b) {
      b.disabled = true; b.textContent = "Starting…";
    });
  });
})();
