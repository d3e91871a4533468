// Secretariat registration queue: the pending count follows new registrations and decisions live.
(function () {
  "use strict";
  var count = document.getElementById("pending-count");
  var changed = document.getElementById("pending-changed");
  if (!count || !window.forumLive) { return; }
  window.forumLive.follow("registrations", {
    "registrations.changed": function (payload) {
      count.textContent = window.forumLive.number(payload.pending);
      changed.hidden = false;
      window.forumLive.announce(count.parentNode.textContent.replace(/\s+/g, " ").trim());
    }
  });
})();
