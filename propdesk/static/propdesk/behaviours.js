/* Small page behaviours, bound from data attributes: the Content-Security-Policy allows no inline handlers (onclick=…)
   and no javascript: links. Every page works without this script; it only adds convenience. */
(function () {
  "use strict";
  // <button data-print>: print the page (quotes, receipts, summaries, public reports).
  document.addEventListener("click", function (e) {
    var print = e.target.closest("[data-print]");
    if (print) { e.preventDefault(); window.print(); return; }
    // <a href="/" data-history-back>: back to the previous page when there is one; else the link's own address.
    var back = e.target.closest("a[data-history-back]");
    if (back && history.length > 1 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.button) {
      e.preventDefault(); history.back();
    }
  });
  // <input data-select-on-focus>: focusing selects the whole value (a token shown once, to copy).
  document.addEventListener("focusin", function (e) {
    if (e.target.matches("input[data-select-on-focus]")) e.target.select();
  });
  // <select data-autosubmit>: choosing sends the form (a project picker).
  document.addEventListener("change", function (e) {
    if (e.target.matches("select[data-autosubmit]") && e.target.form) e.target.form.submit();
  });
  // The period picker (reports): the inputs of the other period types are hidden (CSS) and ignored by the server;
  // disabling them keeps them out of the address.
  function periodPicker(picker) {
    var type = picker.querySelector("[data-period-type]");
    if (!type) return;
    function sync() {
      picker.querySelectorAll("[data-grain]").forEach(function (label) {
        var shown = label.getAttribute("data-grain") === type.value;
        label.hidden = !shown;
        label.querySelectorAll("input").forEach(function (input) { input.disabled = !shown; });
      });
    }
    type.addEventListener("change", sync);
    sync();
  }
  document.querySelectorAll("[data-period-picker]").forEach(periodPicker);
})();
