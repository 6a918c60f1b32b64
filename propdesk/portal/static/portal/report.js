/* The resident's report form on a phone (portal/report.html), and the drafts it leaves behind.
 *
 * - Photos are shrunk on the phone before upload: at most 1600 px on the longer side, JPEG at quality 0.8, drawn on a
 *   canvas (the server still checks every file). Thumbnails show what will be sent; each can be removed.
 * - What the resident types and the shrunk photos are kept in IndexedDB as a draft while they type, with an
 *   Idempotency-Key made when the draft was started.
 * - Sending goes through POST /api/portal/requests under that key. When the phone is offline (or the network drops)
 *   the draft is kept and marked to send; it is sent on the `online` event or on the next visit of a portal page that
 *   loads this script (the home page does), and removed when the server confirms. A retry under the same key never
 *   makes a second request.
 */
(function () {
  "use strict";
  var DB_NAME = "propdesk-portal", STORE = "drafts", MAX_PHOTOS = 6, SIDE = 1600, QUALITY = 0.8;
  var API = "/api/portal/requests";

  // --- storage ------------------------------------------------------------------------------------------------
  var dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        if (!window.indexedDB) { reject(new Error("IndexedDB unavailable")); return; }
        var open = indexedDB.open(DB_NAME, 1);
        open.onupgradeneeded = function () { open.result.createObjectStore(STORE, {keyPath: "id"}); };
        open.onsuccess = function () { resolve(open.result); };
        open.onerror = function () { reject(open.error); };
      });
    }
    return dbPromise;
  }
  function run(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(STORE, mode), store = tx.objectStore(STORE), result;
        var request = work(store);
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function getDraft(id) { return run("readonly", function (s) { return s.get(id); }); }
  function putDraft(draft) { return run("readwrite", function (s) { return s.put(draft); }); }
  function deleteDraft(id) { return run("readwrite", function (s) { return s.delete(id); }); }
  function allDrafts() { return run("readonly", function (s) { return s.getAll(); }); }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // --- sending --------------------------------------------------------------------------------------------------
  // Resolves {ok: true, url} when recorded, {ok: false, errors} when the server refused a field, and rejects when the
  // request did not get through (offline, dropped, a server error): the draft stays to be sent again.
  function send(draft) {
    var f = draft.fields || {}, body = new FormData();
    body.append("kind", draft.kind);
    body.append("home_id", draft.home);
    body.append("description", f.description || "");
    if (f.where && f.where !== "home") body.append("common_area_id", f.where);
    if (f.visit_at) body.append("visit_at", f.visit_at);
    if (f.urgent) body.append("urgent", "true");
    if (draft.kind === "complaint" && f.complaint_category) body.append("complaint_category", f.complaint_category);
    (draft.photos || []).forEach(function (blob, i) { body.append("photos", blob, "photo-" + (i + 1) + ".jpg"); });
    if (navigator.onLine === false) return Promise.reject(new Error("offline"));
    return fetch(API, {method: "POST", body: body, credentials: "same-origin",
                       headers: {"X-CSRFToken": csrfToken(), "Idempotency-Key": draft.key, "Accept": "application/json"}})
      .then(function (response) {
        if (response.status >= 500) throw new Error("server " + response.status);
        return response.json().then(function (json) {
          if (response.ok) return deleteDraft(draft.id).then(function () { return {ok: true, url: json.url}; });
          return {ok: false, message: json.message, errors: (json.extra && json.extra.fields) || {}};
        });
      });
  }

  // Drafts the resident sent while offline, from any portal page: sent now, the page reloaded to show them.
  var flushing = false;
  function flushPending(except) {
    if (flushing || navigator.onLine === false) return Promise.resolve(0);
    flushing = true;
    return allDrafts().then(function (drafts) {
      var pending = drafts.filter(function (d) { return d.pending && d.id !== except; });
      return pending.reduce(function (chain, draft) {
        return chain.then(function (count) {
          return send(draft).then(function (r) {
            if (!r.ok) { draft.pending = false; return putDraft(draft).then(function () { return count; }); }
            return count + 1;
          }, function () { return count; });
        });
      }, Promise.resolve(0));
    }).catch(function () { return 0; }).then(function (count) { flushing = false; return count; });
  }

  // --- photos ---------------------------------------------------------------------------------------------------
  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, {imageOrientation: "from-image"}).catch(function () { return viaImage(file); });
    }
    return viaImage(file);
  }
  function viaImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file), img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("not an image")); };
      img.src = url;
    });
  }
  function shrink(file) {
    return decode(file).then(function (image) {
      var w = image.width, h = image.height, scale = Math.min(1, SIDE / Math.max(w, h));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(w * scale));
      canvas.height = Math.max(1, Math.round(h * scale));
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) { resolve(blob || file); }, "image/jpeg", QUALITY);
      });
    }, function () { return file; });  // not decodable here: sent as it is, the server says what is wrong with it
  }

  // --- the form -------------------------------------------------------------------------------------------------
  function setUpForm(form) {
    var kind = form.dataset.kind, home = form.dataset.home, id = "report:" + kind + ":" + home;
    var status = document.getElementById("report-status"), button = document.getElementById("report-send");
    var input = document.getElementById("id_photos"), thumbs = document.getElementById("thumbs");
    var description = document.getElementById("id_description"), urgent = document.getElementById("id_urgent");
    var hint = document.getElementById("urgent-hint"), hints = JSON.parse(form.dataset.hints || "[]");
    var draft = {id: id, kind: kind, home: home, key: form.elements.draft_key.value || newKey(), fields: {},
                 photos: [], pending: false};
    var urgentTouched = false, saveTimer = null, sending = false, sent = false;

    function say(text) { status.textContent = text || ""; }
    function readFields() {
      var checked = form.querySelector("input[name=visit_at]:checked"), category = form.elements.complaint_category;
      return {where: form.elements.where.value, description: description.value,
              urgent: urgent ? urgent.checked : false, visit_at: checked ? checked.value : "",
              complaint_category: category ? category.value : ""};
    }
    function writeFields(f) {
      if (f.where && form.querySelector("#id_where option[value='" + f.where + "']")) form.elements.where.value = f.where;
      description.value = f.description || "";
      if (urgent) { urgent.checked = !!f.urgent; urgentTouched = true; }
      var radio = form.querySelector("input[name=visit_at][value='" + (f.visit_at || "") + "']");
      if (radio) radio.checked = true;
      if (form.elements.complaint_category && f.complaint_category) form.elements.complaint_category.value = f.complaint_category;
    }
    function isEmpty() { return !description.value.trim() && !draft.photos.length; }
    function save() {
      if (sent) return Promise.resolve();  // recorded: nothing may write the draft back after its removal
      draft.fields = readFields();
      if (isEmpty() && !draft.pending) return deleteDraft(id).catch(function () {});
      return putDraft(draft).catch(function () {});
    }
    function saveSoon() { clearTimeout(saveTimer); saveTimer = setTimeout(save, 300); }

    function showErrors(result) {
      form.querySelectorAll("[data-errors-for]").forEach(function (box) { box.textContent = ""; });
      var general = [];
      Object.keys(result.errors || {}).forEach(function (name) {
        var target = {common_area_id: "where", home_id: "where"}[name] || name;
        var box = form.querySelector("[data-errors-for='" + target + "']") || null;
        var text = [].concat(result.errors[name]).join(" ");
        if (box) {
          var list = document.createElement("ul"), item = document.createElement("li");
          list.className = "errorlist"; item.textContent = text; list.appendChild(item); box.appendChild(list);
        } else { general.push(text); }
      });
      say([result.message].concat(general).join(" "));
    }
    function renderThumbs() {
      thumbs.textContent = "";
      draft.photos.forEach(function (blob, index) {
        var cell = document.createElement("div"), img = document.createElement("img"), remove = document.createElement("button");
        cell.className = "thumb";
        img.src = URL.createObjectURL(blob);
        img.alt = "";
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        remove.type = "button"; remove.className = "thumb-remove"; remove.textContent = "×";
        remove.setAttribute("aria-label", form.dataset.remove);
        remove.addEventListener("click", function () { draft.photos.splice(index, 1); renderThumbs(); save(); });
        cell.appendChild(img); cell.appendChild(remove); thumbs.appendChild(cell);
      });
    }
    function submitDraft() {
      if (sending || sent) return;
      sending = true;
      clearTimeout(saveTimer);
      button.disabled = true;
      draft.fields = readFields();
      draft.pending = true;  // from now on it is sent until the server confirms, on this visit or the next
      say(form.dataset.sending);
      putDraft(draft).catch(function () {}).then(function () { return send(draft); }).then(function (result) {
        if (result.ok) { sent = true; window.location.assign(result.url); return; }
        draft.pending = false;
        save();
        showErrors(result);
        sending = false; button.disabled = false;
      }, function () {
        say(navigator.onLine === false ? form.dataset.offline : form.dataset.failed);
        sending = false; button.disabled = false;
      });
    }

    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      input.value = "";  // the shrunk copies are sent, not the originals
      if (draft.photos.length + files.length > MAX_PHOTOS) {
        say(form.dataset.tooMany);
        files = files.slice(0, Math.max(0, MAX_PHOTOS - draft.photos.length));
      }
      Promise.all(files.map(shrink)).then(function (blobs) {
        draft.photos = draft.photos.concat(blobs);
        renderThumbs();
        save();
      });
    });
    var triageUrgent = false;  // triage read the words as an urgent repair
    function tickUrgent() {
      if (!urgent || urgentTouched) return;
      var text = description.value.replace(/\s+/g, "");
      urgent.checked = triageUrgent || hints.some(function (h) { return text.indexOf(h) >= 0; });
      if (hint) hint.hidden = !urgent.checked;
    }
    if (urgent) {
      urgent.addEventListener("change", function () { urgentTouched = true; if (hint) hint.hidden = true; });
      description.addEventListener("input", tickUrgent);
    }

    // Triage reads what the resident writes, once they pause: it may say the message sounds like another kind (a
    // complaint written on the repair page) and offer to report it as that, tick "urgent", or preselect what a
    // complaint is about. Suggestions only, the resident decides; offline or refused, nothing is shown.
    var triageBox = document.getElementById("triage-hint"), triageTimer = null, asked = "";
    var KINDS = ["repair", "complaint", "inquiry", "help", "suggestion", "praise"], CONFIDENT = 0.6;
    function askTriage() {
      var text = description.value.trim();
      if (text.length < 8 || text === asked || navigator.onLine === false) return;
      asked = text;
      fetch(form.dataset.triageApi, {method: "POST", credentials: "same-origin", body: JSON.stringify({text: text, channel: "app"}),
                                     headers: {"Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (t) { if (t && description.value.trim() === text) showTriage(t); })
        .catch(function () {});
    }
    function showTriage(t) {
      var other = t.kind.label !== kind && t.kind.confidence >= CONFIDENT && KINDS.indexOf(t.kind.label) >= 0;
      if (triageBox) {
        triageBox.hidden = !other;
        if (other) {
          document.getElementById("triage-kind-name").textContent = t.kind.display;
          document.getElementById("triage-switch").href = form.dataset.reportUrl.replace("KIND", t.kind.label) +
            "?text=" + encodeURIComponent(description.value.slice(0, 2000));
        }
      }
      triageUrgent = t.urgency.label === "urgent" && t.urgency.confidence >= CONFIDENT && t.urgency.applies;
      tickUrgent();
      var category = form.elements.complaint_category;
      if (category && !category.value && t.category.applies && t.category.confidence >= CONFIDENT &&
          category.querySelector("option[value='" + t.category.label + "']")) category.value = t.category.label;
    }
    if (triageBox) {
      description.addEventListener("input", function () { clearTimeout(triageTimer); triageTimer = setTimeout(askTriage, 800); });
      // Reporting it as another kind takes the words along; this page's draft is dropped so it does not come back.
      document.getElementById("triage-switch").addEventListener("click", function (event) {
        event.preventDefault();
        var href = this.href;
        sent = true;
        deleteDraft(id).catch(function () {}).then(function () { window.location.href = href; });
      });
    }
    form.addEventListener("input", saveSoon);
    form.addEventListener("change", saveSoon);
    form.addEventListener("submit", function (event) { event.preventDefault(); submitDraft(); });
    window.addEventListener("online", function () { if (draft.pending) submitDraft(); });

    getDraft(id).then(function (saved) {
      if (saved) {
        draft = saved;
        form.elements.draft_key.value = draft.key;
        writeFields(draft.fields || {});
        renderThumbs();
        if (draft.pending && navigator.onLine !== false) { submitDraft(); return; }
        say(draft.pending ? form.dataset.offline : form.dataset.restored);
      } else {
        form.elements.draft_key.value = draft.key;
      }
    }).catch(function () {}).then(function () { form.dataset.ready = "1"; });  // listeners bound, draft restored
    flushPending(id);
  }

  function start() {
    var form = document.getElementById("report-form");
    if (form) { setUpForm(form); return; }
    if (!document.querySelector("[data-portal-drafts]")) return;
    var flush = function () { flushPending(null).then(function (sent) { if (sent) window.location.reload(); }); };
    window.addEventListener("online", flush);
    flush();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
