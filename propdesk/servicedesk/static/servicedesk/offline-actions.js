/* 助这儿: work-order actions taken without network wait on the phone and are sent when it is back online.

   A form of an action box ([data-offline-wo], drawn by _workorder_actions.html and my_orders.html) submitted while
   the phone is offline is not posted: the action is kept in localStorage with the order's state as the page showed
   it (data-status, data-assignee) and a fresh Idempotency-Key, and shown as 「待发送」. When the phone is online
   again each action goes to POST /api/desk/work-orders/{id}/actions/{action} with that state: the server applies
   it, or refuses it with a 409 naming what changed meanwhile (reassigned, cancelled, completed…), which is shown
   and the action dropped. A retry after a lost answer is applied once (the key). One action per order waits at a
   time: the next one depends on the state the first leaves, which only the server knows.
   The queue belongs to the signed-in user (data-user) and is dropped at sign-out (the server's Clear-Site-Data);
   signing out with actions waiting asks first. Texts come translated from the script tag's data-t-* attributes. */
(function () {
  "use strict";
  var me = document.currentScript;
  if (!me || !window.localStorage) return;
  var user = me.getAttribute("data-user") || "";
  var QUEUE = "propdesk:desk-queue", NOTES = "propdesk:desk-notes";
  var API = "/api/desk/work-orders/";
  var FIELDS = ["reason", "hold_reason", "result", "materials", "signature", "confirmation_code", "assignee_id"];

  function t(name) { return me.getAttribute("data-t-" + name) || name; }
  function load(key) { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function store(key, value) { localStorage.setItem(key, JSON.stringify(value)); }
  // The offline page is the same for everyone (data-user empty): it lists what waits and sends nothing.
  function mine() { return load(QUEUE).filter(function (item) { return !user || item.user === user; }); }
  var signInAgain = false;
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16); crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function csrfToken(item) {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : item.csrf;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }

  // --- what the page shows ---------------------------------------------------------------------------------
  function render() {
    var queue = mine(), notes = load(NOTES).filter(function (n) { return n.user === user; });
    var main = document.querySelector("main") || document.body;
    var panel = document.getElementById("offline-queue");
    if (!panel) {
      panel = el("section", "card offline-queue"); panel.id = "offline-queue";
      panel.setAttribute("aria-live", "polite");
      main.insertBefore(panel, main.firstChild);
    }
    panel.textContent = "";
    panel.hidden = !queue.length && !notes.length;
    if (queue.length) {
      panel.appendChild(el("h2", "", t("pending")));
      panel.appendChild(el("p", "muted", t("explain")));
      if (signInAgain) panel.appendChild(el("p", "msg-error", t("session")));
      var list = el("ul", "offline-list");
      queue.forEach(function (item) {
        var li = el("li", "offline-item pending"); li.setAttribute("data-queued-wo", item.wo);
        li.appendChild(el("span", "tag warn", t("pending")));
        li.appendChild(document.createTextNode(" " + item.number + " · " + item.label + " "));
        var undo = el("button", "btn secondary small offline-undo", t("undo"));
        undo.type = "button"; undo.setAttribute("data-undo", item.id);
        li.appendChild(undo); list.appendChild(li);
      });
      panel.appendChild(list);
    }
    if (notes.length) {
      var done = el("ul", "offline-list messages");
      notes.forEach(function (note) {
        var li = el("li", note.ok ? "msg-success offline-sent" : "msg-error offline-refused");
        li.appendChild(document.createTextNode((note.ok ? t("sent") : t("refused")) + "：" + note.number + " · " +
                                               note.label + (note.message ? " — " + note.message : "") + " "));
        var ok = el("button", "btn secondary small offline-dismiss", t("ok"));
        ok.type = "button"; ok.setAttribute("data-dismiss", note.id);
        li.appendChild(ok); done.appendChild(li);
      });
      panel.appendChild(done);
    }
    // An order with an action waiting shows that instead of its buttons.
    document.querySelectorAll("[data-offline-wo]").forEach(function (box) {
      var waiting = queue.filter(function (item) { return String(item.wo) === box.getAttribute("data-offline-wo"); })[0];
      var line = box.querySelector(".offline-waiting");
      Array.prototype.forEach.call(box.children, function (child) {
        if (!child.classList.contains("offline-waiting")) child.hidden = !!waiting;
      });
      if (waiting && !line) { line = el("div", "offline-waiting"); box.appendChild(line); }
      if (line) {
        line.hidden = !waiting;
        line.textContent = waiting ? t("pending") + "：" + waiting.label : "";
      }
    });
  }

  function note(item, ok, message) {
    var notes = load(NOTES);
    notes.push({id: item.id, user: item.user, number: item.number, label: item.label, ok: ok, message: message || ""});
    store(NOTES, notes.slice(-20));
  }
  function drop(id) { store(QUEUE, load(QUEUE).filter(function (item) { return item.id !== id; })); }

  document.addEventListener("click", function (e) {
    var undo = e.target.closest("[data-undo]"), dismiss = e.target.closest("[data-dismiss]");
    if (undo) { drop(undo.getAttribute("data-undo")); render(); }
    if (dismiss) {
      store(NOTES, load(NOTES).filter(function (n) { return n.id !== dismiss.getAttribute("data-dismiss"); }));
      render();
    }
  });

  // --- taking an action offline ---------------------------------------------------------------------------
  document.addEventListener("submit", function (e) {
    var form = e.target, action = form.getAttribute("action") || "";
    if (/\/logout\/?$/.test(action)) {
      var waiting = mine().length;
      if (waiting && !window.confirm(t("signout").replace("{n}", waiting))) e.preventDefault();
      return;
    }
    var box = form.closest("[data-offline-wo]");
    if (!box || navigator.onLine) return;
    var path = new URL(form.action, location.href).pathname.match(/\/orders\/(\d+)\/([a-z_]+)\/$/);
    if (!path) return;
    e.preventDefault();
    var files = form.querySelector("input[type=file]");
    if (files && files.files && files.files.length) { window.alert(t("photos")); return; }
    var fields = {};
    FIELDS.forEach(function (name) {
      var input = form.elements[name];
      if (input && input.value) fields[name] = name === "assignee_id" ? parseInt(input.value, 10) : input.value;
    });
    var button = e.submitter || form.querySelector("button[type=submit], button:not([type])");
    var assignee = box.getAttribute("data-assignee");
    var queue = load(QUEUE).filter(function (item) { return !(item.user === user && item.wo === path[1]); });
    queue.push({
      id: newKey(), key: newKey(), user: user, wo: path[1], action: path[2], fields: fields,
      number: box.getAttribute("data-number") || path[1], label: (button && button.textContent.trim()) || path[2],
      status: box.getAttribute("data-status"), assignee: assignee ? parseInt(assignee, 10) : null,
      csrf: form.elements.csrfmiddlewaretoken ? form.elements.csrfmiddlewaretoken.value : "", at: Date.now()
    });
    store(QUEUE, queue);
    var details = form.closest("details");
    if (details) details.open = false;
    render();
  }, true);  // before the page's other submit handlers

  // --- sending when back online ---------------------------------------------------------------------------
  var sending = false;
  function flush() {
    if (sending || !navigator.onLine || !user) return;
    var item = mine()[0];
    if (!item) return;
    sending = true;
    var body = Object.assign({}, item.fields, {expected_status: item.status, expected_assignee_id: item.assignee});
    fetch(API + item.wo + "/actions/" + item.action, {
      method: "POST", credentials: "same-origin", body: JSON.stringify(body),
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(item), "Idempotency-Key": item.key}
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        sending = false;
        var extra = answer.extra || {};
        if (response.ok) {
          drop(item.id); note(item, true, "");
        } else if (response.status === 401 || (response.status === 403 && !extra.code) ||
                   response.status === 429 || response.status >= 500) {
          // Signed out meanwhile, a stale CSRF token, too many at once or the server's trouble: nothing was done;
          // the action waits for the next try (after signing in again).
          signInAgain = response.status === 401 || response.status === 403;
          render(); return;
        } else {
          // Refused (the order changed, a field was missing…): what the server said, with each field's message.
          var fields = Object.keys(extra.fields || {}).map(function (name) { return [].concat(extra.fields[name]).join(" "); });
          drop(item.id); note(item, false, [answer.message || String(response.status)].concat(fields).join(" "));
        }
        if (mine().length) { flush(); return; }
        // Show the orders as they are now: the page the action was taken on is out of date.
        if (document.querySelector("[data-offline-wo]")) location.reload(); else render();
      });
    }).catch(function () { sending = false; render(); });  // still no network: stays queued
  }

  render();
  window.addEventListener("online", flush);
  window.addEventListener("offline", render);
  flush();
  setInterval(function () { if (mine().length) flush(); }, 20000);
})();
