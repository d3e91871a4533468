// A session's Q&A: questions, approvals, highlights and vote counts appear without reloading;
// votes go over the socket when it is up, through the plain form otherwise.
(function () {
  "use strict";
  var list = document.getElementById("questions");
  if (!list || !window.forumLive) { return; }
  var live = window.forumLive;
  var canVote = list.dataset.canVote === "true";
  var empty = document.getElementById("no-questions");
  var box = document.getElementById("highlighted-box");
  var boxText = document.getElementById("highlighted-text");

  var lastStamp = 0;

  function item(id) { return document.getElementById("question-" + id); }

  function setVoted(button, voted) {
    button.dataset.voted = voted ? "true" : "false";
    button.setAttribute("aria-pressed", button.dataset.voted);
    button.textContent = voted ? button.dataset.labelUnvote : button.dataset.labelVote;
    button.form.querySelector('input[name="vote"]').value = voted ? "0" : "1";
  }

  function build(html) {
    var holder = document.createElement("ol");
    holder.innerHTML = html;
    var element = holder.firstElementChild;
    live.prepareForms(element);
    if (canVote) {
      element.querySelectorAll(".needs-voter").forEach(function (f) { f.classList.remove("needs-voter"); });
    }
    return element;
  }

  function place(payload) {
    var existing = item(payload.question_id);
    if (payload.removed) {
      if (existing) { existing.remove(); }
      return false;
    }
    var element = build(payload.html);
    // A list filtered by language leaves out questions in other languages, also when one changes language.
    var language = list.dataset.language;
    if (language && element.dataset.language !== language) {
      if (existing) { existing.remove(); }
      empty.hidden = list.children.length > 0;
      return false;
    }
    if (existing) {
      var old = existing.querySelector(".vote-button");
      var fresh = element.querySelector(".vote-button");
      if (old && fresh) { setVoted(fresh, old.dataset.voted === "true"); }
      existing.replaceWith(element);
    } else if (list.dataset.sort === "recent") {
      list.insertBefore(element, list.firstElementChild);
    } else {
      list.appendChild(element);
    }
    empty.hidden = list.children.length > 0;
    return true;
  }

  function showHighlight(payload) {
    var id = payload.highlighted_id;
    var element = id && item(id);
    var body = element && element.querySelector(".question-body");
    box.hidden = !element;
    boxText.textContent = body ? body.textContent : "";
    // The highlighted question keeps its language, so it is read and laid out as written.
    boxText.setAttribute("dir", body ? body.getAttribute("dir") : "auto");
    if (body && body.lang) { boxText.lang = body.lang; } else { boxText.removeAttribute("lang"); }
  }

  function resort() {
    if (list.dataset.sort !== "popular") { return; }
    var items = Array.prototype.slice.call(list.children);
    var open = items.filter(function (li) { return !li.classList.contains("question-answered"); });
    var answered = items.filter(function (li) { return li.classList.contains("question-answered"); });
    open.sort(function (a, b) { return Number(b.dataset.votes) - Number(a.dataset.votes); });
    open.concat(answered).forEach(function (li) { list.appendChild(li); });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList.contains("vote-form")) { return; }
    var button = form.querySelector(".vote-button");
    // A vote on its way: ignore more presses. Not `disabled`, which would drop the keyboard focus.
    if (button.getAttribute("aria-disabled") === "true") { event.preventDefault(); return; }
    var voting = button.dataset.voted !== "true";
    var sent = live.send("question.vote", { question_id: Number(button.dataset.questionId), vote: voting }, function (reply) {
      button.removeAttribute("aria-disabled");
      if (reply && reply.ok) {
        setVoted(button, voting);
        var count = document.querySelector('[data-vote-count="' + reply.question_id + '"]');
        if (count) { count.textContent = live.number(reply.count); }
      } else if (reply) {
        var note = form.querySelector(".error") || document.createElement("span");
        note.className = "error";
        note.setAttribute("role", "alert");
        note.textContent = " " + reply.message;
        form.appendChild(note);
      }
    });
    if (sent) {
      event.preventDefault();
      button.setAttribute("aria-disabled", "true");
    }
  });

  function question(payload) {
    var shown = place(payload);
    showHighlight(payload);
    return shown;
  }

  // The page says whether it is live (tests and styles read it).
  live.onStatus(function (up) { list.dataset.live = up ? "connected" : "offline"; });
  live.follow(list.dataset.room, {
    "question.created": function (payload) {
      if (question(payload)) { live.announce(list.dataset.announce); }
    },
    "question.updated": question,
    "question.answered": question,
    "question.highlighted": question,
    "question.voted": function (payload) {
      // Counts sent by different server processes can arrive out of order: the highest stamp wins.
      if (payload.stamp <= lastStamp) { return; }
      lastStamp = payload.stamp;
      payload.counts.forEach(function (entry) {
        var element = item(entry.question_id);
        if (element) { element.dataset.votes = String(entry.count); }
        var count = document.querySelector('[data-vote-count="' + entry.question_id + '"]');
        if (count) { count.textContent = live.number(entry.count); }
      });
      resort();
    },
    "speakers.updated": function (payload) {
      // The chair gave or took the floor: the note under the session's facts follows the speakers' list.
      var note = document.getElementById("speaking-now");
      if (!note || !payload.list_html) { return; }
      var holder = document.createElement("div");
      holder.innerHTML = payload.list_html;
      var fresh = holder.querySelector("#speaking-now");
      var text = fresh ? fresh.textContent : "";
      if (text === note.textContent) { return; }
      note.textContent = text;
      note.hidden = !fresh;
      if (payload.announce) { live.announce(payload.announce); }
    },
    "session.updated": function () {
      // The Q&A opened, closed or changed its moderation. Thousands of readers must not all reload
      // at the same instant: each waits a random moment of up to ten seconds.
      var draft = document.querySelector("#ask-form textarea");
      if (!draft || !draft.value) {
        window.setTimeout(function () { window.location.reload(); }, Math.random() * 10000);
      }
    }
  }, Number(list.dataset.since), function () {
    var draft = document.querySelector("#ask-form textarea");
    if (!draft || !draft.value) { window.location.reload(); }
  });
})();
