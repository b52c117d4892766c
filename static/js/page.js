// Small behaviours every page may use, kept out of the HTML so that the Content-Security-Policy
// can refuse inline scripts. Each is switched on by a data- attribute:
//   data-print            a button that prints the page
//   data-confirm="…"      a form, or a submit button, that asks once before it is sent
//   data-date             a day-first date field: slashes added while digits are typed
//   data-guard            a form that warns before its unsaved changes are left behind
//   data-draft="key"      a long form whose unsaved input is kept on this device until it is sent
//   data-nav-toggle       the menu button of the navigation bar on narrow screens
//   data-scroll-here      the part of a long page that was just sent back with errors
//   data-autosubmit       a filter form sent again whenever one of its choices changes
//   data-rupiah           an amount field whose value is echoed beside it as "Rp 20.000.000"
// Loaded at the end of the portal's pages, in the head of admin pages: it waits for the page.
(function () {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", metroPage);
  } else {
    metroPage();
  }
})();

function metroPage() {
  "use strict";

  var here = document.querySelector("[data-scroll-here]");
  if (here) here.scrollIntoView();

  document.addEventListener("click", function (event) {
    var print = event.target.closest("[data-print]");
    if (print) {
      event.preventDefault();
      window.print();
      return;
    }
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var menu = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = menu.classList.toggle("show");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit")) form.submit();
  });

  // Asking once: the question comes from the button pressed, else from the form.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var question =
      (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-sending", "");
  });

  function echoRupiah(field) {
    var echo = field.parentElement.querySelector("[data-rupiah-echo]");
    if (!echo) return;
    var amount = parseInt(field.value, 10);
    echo.textContent = isNaN(amount)
      ? ""
      : "= " + metroRupiah(amount);
  }
  document.querySelectorAll("input[data-rupiah]").forEach(echoRupiah);
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-rupiah")) {
      echoRupiah(event.target);
    }
  });

  // Dates: "25112026" becomes "25/11/2026" as it is typed; "8/11/2026" is left as typed.
  document.addEventListener("input", function (event) {
    var field = event.target;
    if (!field.hasAttribute || !field.hasAttribute("data-date")) return;
    if (event.inputType && event.inputType.indexOf("delete") === 0) return;
    var value = field.value;
    if (/^\d{3,}$/.test(value) && value.length <= 8) {
      value = value.slice(0, 2) + "/" + value.slice(2, 4) + (value.length > 4 ? "/" + value.slice(4) : "");
    } else if (/^\d{2}$/.test(value) || /^\d{1,2}\/\d{2}$/.test(value)) {
      value += "/";
    } else if (/^\d{1,2}\/\d{3,}$/.test(value)) {
      var parts = value.split("/");
      value = parts[0] + "/" + parts[1].slice(0, 2) + "/" + parts[1].slice(2);
    }
    field.value = value;
  });

  // Unsaved changes: the browser asks before the page is left; sending the form is not leaving.
  var guarded = document.querySelectorAll("form[data-guard], form[data-draft]");
  function snapshot(form) {
    var data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }
  var initial = new Map();
  guarded.forEach(function (form) {
    initial.set(form, snapshot(form));
  });
  function changed(form) {
    return !form.hasAttribute("data-sending") && snapshot(form) !== initial.get(form);
  }
  window.addEventListener("beforeunload", function (event) {
    var unsaved = Array.prototype.some.call(guarded, changed);
    if (unsaved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Drafts: kept in this browser, per user and page, while they differ from what the server has;
  // the page offers them back. Only the long forms without identity numbers use it (see the
  // templates); logging out, or the record being sent for review, removes them.
  var store = null;
  try {
    store = window.localStorage;
  } catch (error) {
    store = null;
  }
  document.addEventListener("submit", function (event) {
    if (store && !event.defaultPrevented && event.target.hasAttribute("data-drafts-purge")) {
      Object.keys(store).forEach(function (key) {
        if (key.indexOf("draft:") === 0) store.removeItem(key);
      });
    }
  });
  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    if (store) store.removeItem("draft:" + element.getAttribute("data-draft-clear"));
  });
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    if (!store) return;
    var key = "draft:" + form.getAttribute("data-draft");
    var banner = document.getElementById(form.id + "-draft");
    var saved = store.getItem(key);
    if (saved === initial.get(form)) {
      store.removeItem(key);
      saved = null;
    }
    if (saved && banner) {
      banner.classList.remove("d-none");
      banner.querySelector("[data-draft-restore]").addEventListener("click", function () {
        restore(form, new URLSearchParams(saved));
        banner.classList.add("d-none");
      });
      banner.querySelector("[data-draft-discard]").addEventListener("click", function () {
        store.removeItem(key);
        banner.classList.add("d-none");
      });
    }
    var timer;
    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        var now = snapshot(form);
        if (now === initial.get(form)) store.removeItem(key);
        else store.setItem(key, now);
      }, 400);
    });
  });

  // Put a saved draft back: rows the draft had but the page lacks are added first.
  function restore(form, values) {
    form.querySelectorAll("input[name$='-TOTAL_FORMS']").forEach(function (total) {
      var prefix = total.name.replace(/-TOTAL_FORMS$/, "");
      var wanted = parseInt(values.get(total.name), 10);
      var adder = form.querySelector("[data-formset-add='" + prefix + "']");
      while (adder && parseInt(total.value, 10) < wanted) adder.click();
    });
    form.querySelectorAll("input, select, textarea").forEach(function (field) {
      if (!field.name || field.type === "hidden" || field.type === "file") return;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.getAll(field.name).indexOf(field.value) !== -1;
      } else if (values.has(field.name)) {
        field.value = values.get(field.name);
      }
    });
    form.dispatchEvent(new Event("change", { bubbles: true }));
    form.dispatchEvent(new Event("input", { bubbles: true }));
  }
}

// An amount the Indonesian way, "Rp 20.000.000": the amount echo here and the RAB totals
// (formsets.js) both write it with this.
function metroRupiah(amount) {
  "use strict";
  var sign = amount < 0 ? "-" : "";
  return sign + "Rp " + String(Math.abs(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, ".");
}
