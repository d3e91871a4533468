// The speakers' list follows the session's room: after each change the server sends the list (and, to
// the chair, the requests) rendered as the page renders them; screen readers hear a short, batched note.
// Without JavaScript the page shows the same list on reload.
(function () {
  "use strict";
  var section = document.getElementById("speakers");
  if (!section || !window.forumLive) { return; }
  var live = window.forumLive;
  var runs = section.dataset.runs === "true";

  // Replace a part of the page, keeping what the chair was typing and where the focus was.
  function swap(id, html) {
    var current = document.getElementById(id);
    if (!current || !html) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    if (!runs) {
      fresh.querySelectorAll(".runner-only").forEach(function (element) { element.remove(); });
    }
    live.prepareForms(fresh);
    current.querySelectorAll("input[type=text][id]").forEach(function (input) {
      var twin = fresh.querySelector("#" + input.id);
      if (twin && input.value) { twin.value = input.value; }
    });
    var focused = current.contains(document.activeElement) ? document.activeElement : null;
    current.replaceWith(fresh);
    var target = focused && focused.id && document.getElementById(focused.id);
    if (target) { target.focus(); }
  }

  function ignore() { return null; }

  // A requester's own requests are theirs alone, not in the room's message: when the list changes (the
  // chair may have decided on one of them), the page is fetched again and that part taken from it.
  // Only the latest fetch is used: answers to two quick changes can arrive in either order.
  var fetches = 0;
  function refreshMine() {
    if (!document.getElementById("my-requests") || !window.fetch) { return; }
    var asked = ++fetches;
    window.fetch(window.location.href, { credentials: "same-origin" }).then(function (response) {
      return response.ok ? response.text() : null;
    }).then(function (html) {
      if (!html || asked !== fetches) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("my-requests");
      var current = document.getElementById("my-requests");
      if (fresh && current) { current.replaceWith(document.adoptNode(fresh)); }
    }).catch(ignore);
  }

  live.onStatus(function (up) { section.dataset.live = up ? "connected" : "offline"; });
  // The room's Q&A events are followed too, without effect here: their numbers keep the sequence whole.
  live.follow(section.dataset.room, {
    "speakers.updated": function (payload) {
      swap("speakers-live", payload.list_html);
      if (window.forumCountdown) { window.forumCountdown(); }
      swap("speaker-requests", payload.requests_html);
      if (payload.announce) { live.announce(payload.announce); }
      refreshMine();
    },
    "question.created": ignore,
    "question.updated": ignore,
    "question.answered": ignore,
    "question.highlighted": ignore,
    "session.updated": ignore
  }, Number(section.dataset.since), function () { window.location.reload(); });
})();
