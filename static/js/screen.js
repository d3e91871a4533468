// The presenter screen: it follows the session's room, fetches its content again after each change or
// reconnection, updates vote counts in place and counts down the speaker's time. No controls.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !window.forumLive) { return; }
  var live = window.forumLive;
  var status = document.getElementById("screen-status");
  var pending = null;
  var lastStamp = 0;

  function refresh() {
    if (pending) { return; }
    pending = window.setTimeout(function () {
      window.fetch(main.dataset.refresh, { credentials: "same-origin", cache: "no-store" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
        .then(function (html) {
          var holder = document.createElement("div");
          holder.innerHTML = html;
          document.getElementById("screen-content").replaceWith(holder.firstElementChild);
          tick();
        })
        .catch(function () { return null; })
        .then(function () { pending = null; });
    }, 200);
  }

  function tick() {
    var timer = document.getElementById("screen-timer");
    if (!timer) { return; }
    var left = Math.round((new Date(timer.dataset.endsAt).getTime() - Date.now()) / 1000);
    if (left <= 0) {
      timer.textContent = timer.dataset.over;
      timer.classList.add("over");
      return;
    }
    var seconds = left % 60;
    timer.textContent = Math.floor(left / 60) + ":" + (seconds < 10 ? "0" : "") + seconds;
  }

  live.onStatus(function (up) {
    status.textContent = up ? "" : status.dataset.offline;
    main.dataset.live = up ? "connected" : "offline";
    if (up) { refresh(); }
  });
  live.follow(main.dataset.room, {
    "question.created": refresh,
    "question.updated": refresh,
    "question.answered": refresh,
    "question.highlighted": refresh,
    "speakers.updated": refresh,
    "session.updated": refresh,
    "question.voted": function (payload) {
      // Counts sent by different server processes can arrive out of order: the highest stamp wins.
      if (payload.stamp <= lastStamp) { return; }
      lastStamp = payload.stamp;
      payload.counts.forEach(function (entry) {
        var count = document.querySelector('[data-vote-count="' + entry.question_id + '"]');
        if (count) { count.textContent = live.number(entry.count); }
      });
    }
  }, Number(main.dataset.since), refresh);
  window.setInterval(tick, 1000);
  // A safety net for anything missed while the hall's network was down.
  window.setInterval(refresh, 30000);
  tick();
})();
