/* The installable apps (住这儿, 助这儿): registers the page's service worker, named by this script's data-sw and
   data-scope (templates/pwa/_head.html). On sign-out the worker is asked to forget what it kept; the server's answer
   to the sign-out also clears the site's caches and storage (Clear-Site-Data). Pages work without this script. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !("serviceWorker" in navigator)) return;
  var sw = me.getAttribute("data-sw"), scope = me.getAttribute("data-scope");
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(sw, {scope: scope}).catch(function () { /* no worker: plain pages */ });
  });
  document.addEventListener("submit", function (e) {
    var action = e.target.getAttribute("action") || "";
    if (e.defaultPrevented || !/\/logout\/?$/.test(action)) return;
    if (navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage({type: "propdesk:clear"});
  });
})();
