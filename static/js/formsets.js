// Formset helpers for the assessment and action-plan pages: add rows, reorder ranked problems,
// and keep the budget (RAB) totals up to date while the user types. The server recomputes
// everything; this only saves the user from surprises.
// Amounts are written by metroRupiah() from page.js, which every page loads before this file.
(function () {
  "use strict";

  function addRow(prefix) {
    var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
    var template = document.getElementById(prefix + "-empty");
    var rows = document.getElementById(prefix + "-rows");
    var index = parseInt(total.value, 10);
    var holder = document.createElement(rows.tagName === "TBODY" ? "tbody" : "div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    if (rows.hasAttribute("data-rank-list")) renumber(rows);
    var first = row.querySelector("input:not([type=hidden]):not(.problem-rank), textarea, select");
    if (first) first.focus();
    refreshBudget();
  }

  function visibleRows(list) {
    return Array.prototype.filter.call(list.querySelectorAll("[data-row]"), function (row) {
      var deleted = row.querySelector("input[name$='-DELETE']");
      return !(deleted && deleted.checked);
    });
  }

  // Ranks follow the order on screen: 1 for the top problem.
  // Each move button names its row ("Move problem 2 up"), so a screen reader knows which.
  function renumber(list) {
    visibleRows(list).forEach(function (row, position) {
      var rank = row.querySelector(".problem-rank");
      var shown = row.querySelector("[data-rank-shown]");
      if (rank) rank.value = String(position + 1);
      if (shown) shown.textContent = String(position + 1);
      nameMoves(row, position + 1);
    });
  }

  function nameMoves(row, rank) {
    row.querySelectorAll("[data-move][data-label]").forEach(function (button) {
      button.setAttribute("aria-label", button.getAttribute("data-label").replace("{n}", String(rank)));
    });
  }

  // The moved row keeps the focus on the button pressed, and its new rank is announced.
  function move(button, direction) {
    var row = button.closest("[data-row]");
    var list = row.parentElement;
    var sibling = direction === "up" ? row.previousElementSibling : row.nextElementSibling;
    while (sibling && !sibling.hasAttribute("data-row")) {
      sibling = direction === "up" ? sibling.previousElementSibling : sibling.nextElementSibling;
    }
    if (!sibling) return;
    if (direction === "up") list.insertBefore(row, sibling);
    else list.insertBefore(sibling, row);
    renumber(list);
    button.focus();
    var status = document.getElementById("rank-status");
    var rows = visibleRows(list);
    if (status && list.getAttribute("data-moved")) {
      status.textContent = list.getAttribute("data-moved")
        .replace("{n}", String(rows.indexOf(row) + 1)).replace("{total}", String(rows.length));
    }
  }

  function refreshBudget() {
    var box = document.querySelector("[data-rab]");
    if (!box) return;
    var total = 0;
    box.querySelectorAll("[data-budget-line]").forEach(function (row) {
      var quantity = parseFloat(row.querySelector(".rab-quantity").value);
      var price = parseFloat(row.querySelector(".rab-price").value);
      var deleted = row.querySelector("input[name$='-DELETE']");
      var cell = row.querySelector(".line-total");
      if (isNaN(quantity) || isNaN(price)) {
        cell.textContent = "–";
        return;
      }
      var line = Math.round(quantity * price);
      cell.textContent = metroRupiah(line);
      if (!(deleted && deleted.checked)) total += line;
    });
    var ceiling = parseFloat(box.getAttribute("data-ceiling"));
    var over = total > ceiling;
    document.querySelectorAll("#rab-total, [data-rab-total]").forEach(function (cell) {
      cell.textContent = metroRupiah(total);
      cell.classList.toggle("text-danger", over);
    });
    document.getElementById("rab-over").classList.toggle("d-none", !over);
  }

  document.addEventListener("click", function (event) {
    var add = event.target.closest("[data-formset-add]");
    if (add) {
      addRow(add.getAttribute("data-formset-add"));
      return;
    }
    var mover = event.target.closest("[data-move]");
    if (mover) move(mover, mover.getAttribute("data-move"));
  });
  document.addEventListener("input", refreshBudget);
  document.addEventListener("change", function (event) {
    if (event.target.name && /-DELETE$/.test(event.target.name)) {
      var list = event.target.closest("[data-rank-list]");
      if (list) renumber(list);
      refreshBudget();
    }
  });
  refreshBudget();
  // A page sent back keeps the ranks it was sent with; the buttons are named after them.
  document.querySelectorAll("[data-rank-list]").forEach(function (list) {
    visibleRows(list).forEach(function (row, position) {
      var rank = row.querySelector(".problem-rank");
      nameMoves(row, (rank && parseInt(rank.value, 10)) || position + 1);
    });
  });
})();
