// A thread page: new replies, edits, removals, endorsements and readers appear without reloading.
(function () {
  "use strict";
  var thread = document.getElementById("posts");
  var list = document.getElementById("posts-list");
  if (!thread || !list || !window.forumLive) { return; }
  var live = window.forumLive;
  var lastPage = thread.dataset.lastPage === "true";
  var banner = document.getElementById("new-replies");
  var counter = document.getElementById("new-replies-count");
  var presence = document.getElementById("presence");
  var unseen = [];

  // The first post after `postId` on this page, so that a restored or approved post takes its place in order.
  function successor(postId) {
    var posts = list.querySelectorAll("li.post");
    for (var i = 0; i < posts.length; i += 1) {
      if (Number(posts[i].dataset.postId) > postId) { return posts[i]; }
    }
    return null;
  }

  function place(payload) {
    var existing = document.getElementById("post-" + payload.post_id);
    if (!payload.html) {
      if (existing) { existing.remove(); }
      return null;
    }
    var holder = document.createElement("ol");
    holder.innerHTML = payload.html;
    var element = holder.firstElementChild;
    // A page filtered by language leaves out posts in other languages, also when one changes language.
    var language = thread.dataset.language;
    if (language && element.dataset.language !== language) {
      if (existing) { existing.remove(); }
      return null;
    }
    // The page's viewer style already shows this reader's controls; only the form token is missing.
    live.prepareForms(element);
    if (existing) {
      existing.replaceWith(element);
      return null;
    }
    var next = successor(payload.post_id);
    if (next) {
      list.insertBefore(element, next);
      return element;
    }
    if (!lastPage) { return element; }
    list.appendChild(element);
    return element;
  }

  function showUnseen() {
    counter.textContent = live.number(unseen.length);
    banner.hidden = unseen.length === 0;
  }

  function belowFold(element) {
    return element.getBoundingClientRect().top > window.innerHeight;
  }

  document.getElementById("show-new-replies").addEventListener("click", function () {
    var first = unseen[0];
    unseen = [];
    showUnseen();
    if (first && first.isConnected) {
      first.scrollIntoView({ block: "start" });
      first.setAttribute("tabindex", "-1");
      first.focus();
    } else if (first) {
      window.location.href = "/posts/" + first.dataset.postId;
    }
  });

  window.addEventListener("scroll", function () {
    unseen = unseen.filter(function (element) { return !element.isConnected || belowFold(element); });
    showUnseen();
  }, { passive: true });

  live.follow(thread.dataset.room, {
    "post.created": function (payload) {
      var element = place(payload);
      if (element && (!element.isConnected || belowFold(element))) {
        unseen.push(element);
        showUnseen();
      }
      if (element || !thread.dataset.language) { live.announce(thread.dataset.announceReply); }
    },
    "post.updated": place,
    "post.deleted": place,
    "post.hidden": place,
    "post.endorsed": function (payload) {
      var label = document.querySelector('[data-endorsements="' + payload.post_id + '"]');
      if (label) { label.textContent = payload.label; }
    },
    "thread.updated": function (payload) {
      document.getElementById("thread-title").textContent = payload.title;
    },
    "presence": function (payload) {
      presence.textContent = presence.dataset.label + " " + live.number(payload.count);
      presence.hidden = false;
    }
  }, Number(thread.dataset.since), function () {
    var composer = document.querySelector("#composer textarea");
    if (!composer || !composer.value) { window.location.reload(); }
  });

})();
