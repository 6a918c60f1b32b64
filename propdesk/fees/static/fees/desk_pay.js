/* The desk's payment form: the amount follows the ticked bills (until the cashier types another amount), and a
   second click on the button while the first submit is on its way does nothing (the one-time form token makes a
   double submit record one payment anyway). A static file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  var form = document.getElementById("pay-form");
  if (!form) return;
  var amount = form.querySelector("input[name=amount]");
  var total = document.getElementById("ticked-total");
  var typed = false;
  function yuan(fen) {
    var whole = Math.floor(fen / 100), cents = fen % 100;
    return whole + "." + (cents < 10 ? "0" : "") + cents;
  }
  function tickedFen() {
    var fen = 0;
    form.querySelectorAll("input[name=bills]:checked").forEach(function (box) {
      fen += parseInt(box.getAttribute("data-fen"), 10) || 0;
    });
    return fen;
  }
  function recompute() {
    var fen = tickedFen();
    if (total) total.textContent = "¥" + yuan(fen);
    if (amount && !typed) amount.value = fen ? yuan(fen) : "";
  }
  form.addEventListener("change", function (e) {
    if (e.target.matches("input[name=bills]")) recompute();
  });
  if (amount) amount.addEventListener("input", function () { typed = amount.value !== ""; });
  form.addEventListener("submit", function () {
    var button = document.getElementById("pay-submit");
    if (button) setTimeout(function () { button.disabled = true; }, 0);
  });
})();
