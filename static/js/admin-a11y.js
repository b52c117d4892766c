/* Accessible names that Django admin's own widgets leave out, given once the page is ready:
   the cells of tabular inlines (named by their column and row), the autocomplete comboboxes
   (named by their field's label), the two halves of a date-and-time field, the search icons of
   the two-box selector; and boxes wider than a phone that scroll take focus, so that a keyboard
   scrolls them. */
(function () {
  "use strict";
  var english = (document.documentElement.lang || "").indexOf("en") === 0;

  function text(element) {
    return element ? (element.textContent || "").replace(/\s+/g, " ").replace(/[:*\s]+$/, "").trim() : "";
  }

  function named(field) {
    if (field.getAttribute("aria-label") || field.closest("label")) return true;
    return Boolean(field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]'));
  }

  function nameTabularCells() {
    document.querySelectorAll(".tabular table").forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll("thead tr:first-child th"), text);
      table.querySelectorAll("tbody tr.form-row").forEach(function (row, index) {
        var which = text(row.querySelector("td.original p")) || String(index + 1);
        Array.prototype.forEach.call(row.cells, function (cell, column) {
          cell.querySelectorAll("input:not([type=hidden]), select, textarea").forEach(function (field) {
            if (!named(field) && heads[column]) field.setAttribute("aria-label", heads[column] + " – " + which);
          });
        });
      });
    });
  }

  function nameSplitFields() {
    document.querySelectorAll(".form-row input:not([type=hidden]), .fieldBox input:not([type=hidden])").forEach(function (field) {
      if (named(field)) return;
      var label = text(field.closest(".form-row, .fieldBox").querySelector("label"));
      if (!label) return;
      var part = /_0$/.test(field.id) ? (english ? "date" : "tanggal") : /_1$/.test(field.id) ? (english ? "time" : "jam") : "";
      field.setAttribute("aria-label", part ? label + " (" + part + ")" : label);
    });
  }

  function nameComboboxes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling && select.nextElementSibling.querySelector(".select2-selection[role=combobox]");
      if (!box || box.dataset.named) return;
      var label = select.id && document.querySelector('label[for="' + CSS.escape(select.id) + '"]');
      var shown = box.querySelector("[role=textbox]");  // the chosen value, read as a text box
      if (label) {
        if (!label.id) label.id = select.id + "-label";
        box.setAttribute("aria-labelledby", label.id + " " + (box.getAttribute("aria-labelledby") || ""));
        if (shown) shown.setAttribute("aria-labelledby", label.id);
      } else if (select.getAttribute("aria-label")) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", select.getAttribute("aria-label"));
        if (shown) shown.setAttribute("aria-label", select.getAttribute("aria-label"));
      }
      box.dataset.named = "1";
    });
  }

  function iconRoles() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  function focusableScrollBoxes() {
    document.querySelectorAll("#content div, #content fieldset").forEach(function (box) {
      var overflow = getComputedStyle(box).overflowX;
      if ((overflow !== "auto" && overflow !== "scroll") || box.scrollWidth <= box.clientWidth) return;
      if (box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      if (!box.getAttribute("role")) box.setAttribute("role", "region");
      var heading = box.querySelector("h2, caption");
      if (heading && !box.getAttribute("aria-label")) box.setAttribute("aria-label", text(heading));
    });
  }

  // A refused form or log-in: its message is announced and takes the focus.
  function announceErrors() {
    var note = document.querySelector("#content .errornote");
    if (!note || note.hasAttribute("role")) return;
    note.setAttribute("role", "alert");
    note.setAttribute("tabindex", "-1");
    if (document.body.classList.contains("login")) note.id = "login-error";
    note.focus();
  }

  function all() {
    announceErrors();
    nameTabularCells();
    nameSplitFields();
    nameComboboxes();
    iconRoles();
    focusableScrollBoxes();
  }

  document.addEventListener("DOMContentLoaded", all);
  window.addEventListener("load", all);
  // jQuery runs its ready handlers (where select2 starts) a moment after the page loads: the
  // comboboxes it adds are named as they appear.
  // (Only attributes are set in return, which this observer does not watch.)
  new MutationObserver(nameComboboxes).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  document.addEventListener("formset:added", function () { setTimeout(all, 0); });
})();
