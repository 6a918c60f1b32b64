/* PropDesk's service worker (住这儿 for residents, 助这儿 for technicians), served by propdesk/core/pwa.py. No asset from outside.
   - The shell (CSS, JS, icons, the offline page) is cached when the worker installs.
   - Pages: network first; without network, the page kept from the last visit when it is one the app keeps (a
     technician's own orders), else the offline page 「当前没有网络」.
   - Never cached: the API, anything but GET, pages of other apps, answers that are not plain 200s. */
"use strict";
const CONFIG = {{ config|safe }};
const PREFIX = "propdesk-" + CONFIG.app + "-";
const SHELL = PREFIX + "shell-" + CONFIG.version;
const PAGES = PREFIX + "pages";
const KEPT = CONFIG.pages.map(function (source) { return new RegExp(source); });

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL)
    .then(function (cache) { return cache.addAll(CONFIG.shell.map(function (url) {
      return new Request(url, {credentials: "same-origin", cache: "reload"}); })); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys()
    .then(function (names) { return Promise.all(names.filter(function (name) {
      return name.indexOf(PREFIX) === 0 && name !== SHELL && name !== PAGES; })
      .map(function (name) { return caches.delete(name); })); })
    .then(function () { return self.clients.claim(); }));
});

// The page asks to forget everything (sign-out): the kept pages and the shell.
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "propdesk:clear") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0; })
        .map(function (name) { return caches.delete(name); })); }));
  }
});

function kept(url) {
  return KEPT.some(function (pattern) { return pattern.test(url.pathname); });
}

function offlinePage(request, url) {
  var fromPages = kept(url) ? caches.open(PAGES).then(function (cache) { return cache.match(request); })
                            : Promise.resolve(undefined);
  return fromPages.then(function (page) {
    return page || caches.match(CONFIG.offline, {cacheName: SHELL});
  }).then(function (page) {
    return page || new Response("当前没有网络", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/api/") === 0) return;  // never the API
  if (request.mode === "navigate") {
    if (url.pathname.indexOf(CONFIG.scope) !== 0) return;
    event.respondWith(fetch(request).then(function (response) {
      if (kept(url) && response.status === 200 && response.type === "basic" && !response.redirected) {
        var copy = response.clone();
        caches.open(PAGES).then(function (cache) { return cache.put(request, copy); });
      }
      return response;
    }).catch(function () { return offlinePage(request, url); }));
    return;
  }
  if (CONFIG.shell.indexOf(url.pathname) !== -1) {
    // The shell comes from the cache. Production names change with their contents (a new worker brings the new
    // files); development names do not, so there the cached copy is refreshed behind the answer for the next visit.
    event.respondWith(caches.open(SHELL).then(function (cache) {
      return cache.match(request).then(function (hit) {
        if (hit && CONFIG.hashed) return hit;
        var fresh = fetch(request).then(function (response) {
          if (response.status === 200) cache.put(request, response.clone());
          return response;
        });
        if (!hit) return fresh;
        event.waitUntil(fresh.catch(function () {}));
        return hit;
      });
    }));
  }
});
