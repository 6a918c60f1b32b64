// Phone sign-in: the resend button counts down until another code may be asked for (data-resend-after seconds).
(function () {
  "use strict";
  function start() {
    var button = document.getElementById("resend");
    if (!button) { return; }
    var left = parseInt(button.getAttribute("data-resend-after") || "0", 10);
    var label = button.getAttribute("data-label");
    var wait = button.getAttribute("data-wait-label");
    function tick() {
      if (left > 0) {
        button.disabled = true;
        button.textContent = wait.replace("{seconds}", String(left));
        left -= 1;
        window.setTimeout(tick, 1000);
      } else {
        button.disabled = false;
        button.textContent = label;
      }
    }
    tick();
    var code = document.getElementById("id_code");
    if (code) { code.focus(); }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
