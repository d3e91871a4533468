// Live updates: one Socket.IO connection per page; pages without JavaScript work the same, only not live.
(function () {
  "use strict";
  var socket = null;
  var live = document.getElementById("live-region");

  function connect() {
    if (!socket && window.io) {
      socket = window.io({ transports: ["websocket", "polling"] });
    }
    return socket;
  }

  // Join `room` now and after every reconnection; `handlers` maps event names to functions.
  function follow(room, handlers) {
    var s = connect();
    if (!s) { return; }
    Object.keys(handlers).forEach(function (name) {
      s.on(name, function (payload) { if (payload && payload.room === room) { handlers[name](payload); } });
    });
    var join = function () { s.emit("subscribe", { room: room }); };
    s.on("connect", join);
    if (s.connected) { join(); }
  }

  // Tell screen-reader users politely, without interrupting them.
  function announce(text) {
    if (live) { live.textContent = ""; window.setTimeout(function () { live.textContent = text; }, 50); }
  }

  window.forumLive = { follow: follow, announce: announce };
})();
