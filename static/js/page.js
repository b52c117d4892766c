// Small behaviours every page may use, kept out of the HTML so that the Content-Security-Policy
// can refuse inline scripts: print buttons and confirmations before a destructive form is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
