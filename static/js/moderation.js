// The review queue: items arrive and leave as moderators act, and decisions go over the socket.
(function () {
  "use strict";
  var queue = document.getElementById("queue");
  var count = document.getElementById("queue-count");
  var empty = document.getElementById("queue-empty");
  if (!queue || !window.forumLive) { return; }
  var live = window.forumLive;
  var showsOpen = queue.dataset.state === "open";

  function refreshEmpty() {
    empty.hidden = queue.children.length > 0;
  }

  function wire(root) {
    root.querySelectorAll("form[data-live-action]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var item = form.closest(".review-item");
        var message = { item_id: Number(item.dataset.itemId), action: form.dataset.liveAction };
        var reason = form.querySelector("textarea[name=reason]");
        if (reason) { message.reason = reason.value; }
        var error = item.querySelector(".item-error");
        var sent = live.send("moderation.act", message, function (reply) {
          if (reply && reply.ok) { return; }
          error.textContent = reply ? reply.message : "";
          error.hidden = false;
        });
        // Without a live connection the plain form does the job.
        if (sent) { event.preventDefault(); }
      });
    });
  }

  live.follow(queue.dataset.room, {
    "queue.changed": function (payload) {
      count.textContent = live.number(payload.open);
      if (!showsOpen) {
        document.getElementById("queue-changed").hidden = false;
        return;
      }
      var existing = document.getElementById("item-" + payload.item_id);
      if (payload.html) {
        var holder = document.createElement("ol");
        holder.innerHTML = payload.html;
        var element = holder.firstElementChild;
        live.prepareForms(element);
        wire(element);
        if (existing) { existing.replaceWith(element); } else { queue.appendChild(element); }
      } else if (existing) {
        existing.remove();
      }
      refreshEmpty();
      live.announce(queue.dataset.announce);
    }
  });
  wire(queue);
})();
