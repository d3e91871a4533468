// Live updates over Socket.IO. Pages work without JavaScript; this only keeps them current.
// Protocol (docs/architecture.md, "The real-time protocol"): subscribe {room, since}; events carry {room, id}; ids grow by one per room.
(function () {
  "use strict";
  var socket = null;
  var rooms = {};
  var region = document.getElementById("live-region");
  var pending = [];
  var timer = null;
  // Counts in the page's language with Latin digits, as Babel writes them on the server.
  var numbers = window.Intl ? new Intl.NumberFormat(document.documentElement.lang || undefined, { numberingSystem: "latn" }) : null;

  function number(value) { return numbers ? numbers.format(value) : String(value); }

  function connect() {
    if (!socket && window.io) {
      // WebSocket first: one connection, which any process behind the proxy can hold. Where it is
      // blocked, long polling (routed by the proxy's cookie to one process: docs/deploy.md).
      socket = window.io({ transports: ["websocket", "polling"], tryAllTransports: true });
      socket.on("connect", function () {
        Object.keys(rooms).forEach(subscribe);
      });
      socket.on("resync", function (payload) {
        var room = payload && rooms[payload.room];
        if (room && room.onResync) { room.onResync(); }
      });
    }
    return socket;
  }

  // The reply comes after the events the server replayed, so `last` closes any gap left by events
  // that were not for this reader.
  function subscribe(name) {
    var room = rooms[name];
    socket.emit("subscribe", { room: name, since: room.last }, function (reply) {
      if (reply && reply.ok) { room.last = Math.max(room.last === null ? 0 : room.last, reply.last); }
    });
  }

  // Follow `name`: handlers map event names to functions; `since` is the last event the page shows.
  function follow(name, handlers, since, onResync) {
    var s = connect();
    if (!s) { return; }
    rooms[name] = { last: typeof since === "number" ? since : null, onResync: onResync };
    // `skip` numbers an event this reader may not see (a held post): nothing to show, no gap.
    handlers = Object.assign({ skip: function () {} }, handlers);
    Object.keys(handlers).forEach(function (event) {
      s.on(event, function (payload) {
        var room = payload && rooms[payload.room];
        if (!room || payload.room !== name) { return; }
        if (typeof payload.id === "number") {
          // Replayed and live copies of one event can cross: each id is applied once.
          if (room.last !== null && payload.id <= room.last) { return; }
          // A gap means live copies were lost (the message queue blipped): ask for what is missing.
          if (room.last !== null && payload.id > room.last + 1) {
            subscribe(name);
            return;
          }
          room.last = payload.id;
        }
        handlers[event](payload);
      });
    });
    if (s.connected) { subscribe(name); }
  }

  // Screen readers hear a batch of updates once a second at most, never a flood; a message repeated
  // within the batch (ten items arriving in the queue) is said once.
  function announce(text) {
    if (!region) { return; }
    if (pending.indexOf(text) === -1) { pending.push(text); }
    if (timer) { return; }
    timer = window.setTimeout(function () {
      region.textContent = pending.slice(-3).join(" ");
      pending = [];
      timer = null;
    }, 1000);
  }

  // Forms inserted from live events carry no token; give them this page's.
  function prepareForms(element) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    element.querySelectorAll('input[name="csrf_token"]').forEach(function (input) {
      if (!input.value && meta) { input.value = meta.content; }
    });
  }

  function onUser(event, handler) {
    var s = connect();
    if (s) { s.on(event, handler); }
  }

  var unread = document.getElementById("unread-notifications");
  if (unread && document.body.dataset.userId) {
    onUser("notification.created", function (payload) {
      unread.textContent = number(payload.unread);
      var list = document.getElementById("notification-list");
      if (list && payload.html) { list.insertAdjacentHTML("afterbegin", payload.html); }
      announce(unread.parentNode.textContent.replace(/\s+/g, " ").trim());
    });
    onUser("notification.read", function (payload) { unread.textContent = number(payload.unread); });
    // A moderator silenced or suspended this account: the page reloads to show what is still allowed.
    onUser("account.silenced", function () { window.location.reload(); });
    onUser("session.ended", function () {
      socket.disconnect();
      window.location.reload();
    });
  }

  // Send an event when connected; false means the caller should fall back to the plain form.
  function send(event, data, callback) {
    var s = connect();
    if (!s || !s.connected) { return false; }
    s.emit(event, data, callback);
    return true;
  }

  // Tell `callback(true|false)` when the connection comes up or drops.
  function onStatus(callback) {
    var s = connect();
    if (!s) { return; }
    s.on("connect", function () { callback(true); });
    s.on("disconnect", function () { callback(false); });
  }

  window.forumLive = {
    follow: follow, announce: announce, prepareForms: prepareForms, send: send, onStatus: onStatus, number: number,
    onUser: onUser
  };
})();
