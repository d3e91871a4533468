// Times are printed in Geneva time; readers elsewhere also see their own clock time beside it.
(function () {
  "use strict";
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone || zone === "Europe/Zurich") { return; }
  var language = document.documentElement.lang || undefined;
  document.querySelectorAll("[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("datetime"));
    if (isNaN(when.getTime())) { return; }
    var text = when.toLocaleString(language, {
      // Latin digits, as Babel writes the Geneva time beside it (Arabic included).
      dateStyle: "medium", timeStyle: "short", timeZone: zone, timeZoneName: "short", numberingSystem: "latn"
    });
    var extra = document.createElement("span");
    extra.className = "local-time";
    extra.textContent = " (" + element.dataset.localLabel.replace("{time}", text + ", " + zone) + ")";
    element.after(extra);
  });
})();
