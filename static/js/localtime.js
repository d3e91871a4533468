// Times are printed in Geneva time; readers elsewhere also see their own clock time beside it.
(function () {
  "use strict";
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === "Europe/Zurich") { return; }
  var language = document.documentElement.lang || undefined;
  // Explicit fields, not dateStyle/timeStyle: engines reject those combined with timeZoneName
  // (Chromium: "Invalid option"), and the zone's offset is what tells the reader which clock this is.
  // Latin digits, as Babel writes the Geneva time beside it (Arabic included).
  var fields = {
    year: "numeric", month: "short", day: "numeric", hour: "numeric", minute: "2-digit",
    timeZoneName: "short", numberingSystem: "latn"
  };
  var local = new Intl.DateTimeFormat(language, Object.assign({ timeZone: zone }, fields));
  var geneva = new Intl.DateTimeFormat(language, Object.assign({ timeZone: "Europe/Zurich" }, fields));
  document.querySelectorAll("[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return; }
    // A reader whose clock reads as Geneva's at that moment (Paris, Berlin...) needs no second time.
    var text = local.format(when);
    if (text === geneva.format(when)) { return; }
    var extra = document.createElement("span");
    extra.className = "local-time";
    extra.textContent = " (" + element.dataset.localLabel.replace("{time}", text + ", " + zone) + ")";
    element.after(extra);
  });
})();
