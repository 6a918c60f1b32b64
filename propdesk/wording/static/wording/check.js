/* Service-language check (服务禁用语): on every <textarea data-wording-check="/api/wording/check"> the text is checked
   when the writer pauses, and the words found with a suggested phrasing are shown under the field. It never blocks
   sending: the hint is advice, the form submits as it would without this script. No inline code (CSP); every text
   shown comes from the server in the user's language. */
(function () {
  "use strict";
  var DELAY = 600;  // ms after the last keystroke
  var DEFAULT_URL = "/api/wording/check";

  function csrfToken(field) {
    var input = field.form && field.form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function hintFor(field) {
    if (field._wordingHint) return field._wordingHint;
    var hint = document.createElement("div");
    hint.className = "help wording-hint";
    hint.setAttribute("role", "status");
    hint.setAttribute("aria-live", "polite");
    hint.hidden = true;
    field.insertAdjacentElement("afterend", hint);
    field._wordingHint = hint;
    return hint;
  }

  function render(field, data) {
    var hint = hintFor(field);
    hint.textContent = "";
    if (!data || data.clean || !data.findings || !data.findings.length) {
      hint.hidden = true;
      field.removeAttribute("data-wording-found");
      return;
    }
    var title = document.createElement("strong");
    title.textContent = data.title;
    hint.appendChild(title);
    var list = document.createElement("ul");
    list.className = "wording-findings";
    data.findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.className = "wording-finding";
      item.setAttribute("data-phrase", finding.phrase);
      item.setAttribute("data-kind", finding.kind);
      var tag = document.createElement("span");
      tag.className = "tag " + (finding.kind === "forbidden" ? "bad" : "warn");
      tag.textContent = finding.kind_label;
      item.appendChild(tag);
      item.appendChild(document.createTextNode(" " + finding.label));
      var reason = document.createElement("div");
      reason.className = "muted";
      reason.textContent = finding.reason;
      item.appendChild(reason);
      list.appendChild(item);
    });
    hint.appendChild(list);
    hint.hidden = false;
    field.setAttribute("data-wording-found", String(data.findings.length));
  }

  function check(field) {
    var text = field.value;
    if (field._wordingChecked === text) return;
    field._wordingChecked = text;
    if (!text.trim()) { render(field, null); return; }
    var sequence = (field._wordingSequence || 0) + 1;
    field._wordingSequence = sequence;
    fetch(field.getAttribute("data-wording-check") || DEFAULT_URL, {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken(field)},
      body: JSON.stringify({text: text})
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (sequence === field._wordingSequence && data) render(field, data);  // only the latest answer counts
    }).catch(function () { /* offline or refused: no hint, sending is never blocked */ });
  }

  function target(e) {
    return e.target && e.target.closest ? e.target.closest("textarea[data-wording-check]") : null;
  }
  document.addEventListener("input", function (e) {
    var field = target(e);
    if (!field) return;
    clearTimeout(field._wordingTimer);
    field._wordingTimer = setTimeout(function () { check(field); }, DELAY);
  });
  document.addEventListener("focusout", function (e) {
    var field = target(e);
    if (!field) return;
    clearTimeout(field._wordingTimer);
    check(field);
  });
  // A page that comes back with text in the field (a form with an error) is checked at once.
  document.querySelectorAll("textarea[data-wording-check]").forEach(function (field) {
    if (field.value.trim()) check(field);
  });
})();
