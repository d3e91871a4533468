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

  // Posts of this reader's own that arrived live: the server names them to this reader alone.
  var own = {};

  // This reader's controls for a post in `state`, copied from the page's templates with the post's number.
  function controlsFor(postId, state) {
    var whose = own[postId] ? "own" : "other";
    var template = document.querySelector('template[data-controls="' + state + "-" + whose + '"]');
    if (!template) { return null; }
    var marker = template.dataset.marker;
    var copy = template.content.firstElementChild;
    if (!copy) { return null; }
    copy = copy.cloneNode(true);
    copy.querySelectorAll("[href], [action]").forEach(function (element) {
      ["href", "action"].forEach(function (name) {
        var value = element.getAttribute(name);
        if (value) { element.setAttribute(name, value.split(marker).join(String(Number(postId)))); }
      });
    });
    return copy;
  }

  function build(payload) {
    var element = document.createElement("li");
    element.className = "post post-" + payload.state;
    element.id = "post-" + payload.post_id;
    element.dataset.postId = payload.post_id;
    element.dataset.state = payload.state;
    element.dataset.language = payload.language || "";
    element.innerHTML = payload.html;
    var controls = controlsFor(payload.post_id, payload.state);
    if (controls) { element.appendChild(controls); }
    return element;
  }

  function place(payload) {
    var existing = document.getElementById("post-" + payload.post_id);
    if (!payload.html) {
      if (existing) { existing.remove(); }
      return null;
    }
    // A page filtered by language leaves out posts in other languages, also when one changes language.
    var language = thread.dataset.language;
    if (language && (payload.language || "") !== language) {
      if (existing) { existing.remove(); }
      return null;
    }
    var element = build(payload);
    if (existing) {
      // The reader's own controls on a post they already see stay as the page made them (their
      // endorsement, say), unless its state changed what they may do.
      var kept = existing.querySelector(".post-actions");
      var fresh = element.querySelector(".post-actions");
      if (existing.dataset.state === payload.state) {
        if (fresh) { fresh.remove(); }
        if (kept) { element.appendChild(kept); }
      }
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

  // The server tells this reader alone which live posts are theirs: their controls change to an author's.
  live.onUser("post.own", function (payload) {
    own[payload.post_id] = true;
    var existing = document.getElementById("post-" + payload.post_id);
    if (!existing) { return; }
    var state = existing.dataset.state;
    var kept = existing.querySelector(".post-actions");
    if (kept) { kept.remove(); }
    var controls = controlsFor(payload.post_id, state);
    if (controls) { existing.appendChild(controls); }
  });

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
