// The presenter screen: it follows the session's room, fetches its content again after each change or
// reconnection and updates vote counts in place (js/countdown.js counts down the speaker's time). No controls.
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
          if (window.forumCountdown) { window.forumCountdown(); }
        })
        .catch(function () { return null; })
        .then(function () { pending = null; });
    }, 200);
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
  // A safety net for anything missed while the hall's network was down.
  window.setInterval(refresh, 30000);
})();
