// A speaker's time left, counted down each second in every element with role=timer and data-ends-at.
// The server draws the right value first (a page without script shows it); this only keeps it moving.
(function () {
  "use strict";

  function tick() {
    document.querySelectorAll("[role=timer][data-ends-at]").forEach(function (timer) {
      var left = Math.round((new Date(timer.dataset.endsAt).getTime() - Date.now()) / 1000);
      if (left <= 0) {
        timer.textContent = timer.dataset.over;
        timer.classList.add("over");
        return;
      }
      var seconds = left % 60;
      timer.textContent = Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
    });
  }

  // Pages that replace their timer call it at once, rather than wait for the next second.
  window.forumCountdown = tick;
  window.setInterval(tick, 1000);
  tick();
})();
