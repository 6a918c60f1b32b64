// Standard answers: the list filters as the agent types (every word typed must occur in the answer's topic,
// question, keywords or text), and "Copy" puts an answer on the clipboard. No inline handlers (CSP).
(function () {
  "use strict";
  function words(text) {
    return (text || "").toLowerCase().split(/\s+/).filter(Boolean);
  }
  function filter(input) {
    var box = document.querySelector(input.getAttribute("data-knowledge-filter"));
    if (!box) return;
    var wanted = words(input.value);
    var shown = 0;
    box.querySelectorAll("[data-text]").forEach(function (row) {
      var text = row.getAttribute("data-text").toLowerCase();
      var hit = wanted.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !hit;
      if (hit) shown += 1;
    });
    var none = box.querySelector("#answers-none");
    if (none) none.hidden = shown > 0 || box.querySelectorAll("[data-text]").length === 0;
    var count = document.getElementById("answer-count");
    if (count) count.textContent = String(shown);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-knowledge-filter]").forEach(function (input) {
      input.addEventListener("input", function () { filter(input); });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        if (navigator.clipboard) navigator.clipboard.writeText(button.getAttribute("data-copy"));
      });
    });
  });
})();
