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
//   data-copy, data-share buttons that copy, or hand to the phone's share sheet, the text of the
//                         nearest [data-copy-text] (shown only where the browser can)
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
  // A bar stuck to the bottom of the screen (Save, Submit) never covers the field in focus.
  var bar = document.querySelector(".save-bar");
  if (bar) {
    var form = bar.closest("form");
    if (form) {
      form.addEventListener("input", function () { form.classList.add("is-changed"); });
      form.addEventListener("change", function () { form.classList.add("is-changed"); });
    }
    var keepClear = function () {
      document.documentElement.style.scrollPaddingBottom = bar.offsetHeight + 16 + "px";
    };
    keepClear();
    window.addEventListener("resize", keepClear);
    // The browser scrolls a focused field into view after the focus event: look once it has.
    document.addEventListener("focusin", function (event) {
      if (bar.contains(event.target) || !form || !form.contains(event.target)) return;
      if (!form.classList.contains("is-changed")) return;  // not stuck yet: it covers nothing
      window.setTimeout(function () {
        var box = event.target.getBoundingClientRect();
        var top = bar.getBoundingClientRect().top;
        if (box.bottom > top - 8) window.scrollBy({ top: box.bottom - top + 16, behavior: "instant" });
      }, 0);
    });
  }
  // File fields speak the page's language, not the browser's ("Choose File / No file chosen"
  // on an English phone): the native control stays, reachable by keyboard, behind a labelled
  // button and the names of the files chosen.
  var texts = document.querySelector("meta[name=file-texts]");
  if (texts) {
    document.querySelectorAll("input[type=file]:not([data-file-ready])").forEach(function (input) {
      input.setAttribute("data-file-ready", "");
      input.classList.add("file-native");
      var button = document.createElement("label");
      button.className = "btn btn-outline-secondary file-button";
      button.htmlFor = input.id;
      button.textContent = texts.getAttribute("data-choose");
      var chosen = document.createElement("span");
      chosen.className = "file-chosen small";
      chosen.id = input.id + "-chosen";
      chosen.textContent = texts.getAttribute("data-none");
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + chosen.id).trim());
      input.insertAdjacentElement("afterend", chosen);
      input.insertAdjacentElement("afterend", button);
      input.addEventListener("change", function () {
        var names = Array.prototype.map.call(input.files, function (file) { return file.name; });
        chosen.textContent = names.length ? names.join(", ") : texts.getAttribute("data-none");
      });
    });
  }
  // A NIK holds the birth date (day + 40 for a woman), month and two-digit year: once all 16
  // digits are typed, sex and birth date are filled in when empty or filled from it before.
  document.querySelectorAll("[data-nik-fills]").forEach(function (nik) {
    var sex = document.getElementById(nik.getAttribute("data-sex"));
    var born = document.getElementById(nik.getAttribute("data-birth-date"));
    var filled = { sex: null, born: null };
    nik.addEventListener("input", function () {
      var digits = nik.value.replace(/[\s.\-\/]/g, "");
      if (!/^[0-9]{16}$/.test(digits)) return;
      var day = parseInt(digits.slice(6, 8), 10);
      var month = parseInt(digits.slice(8, 10), 10);
      var year = parseInt(digits.slice(10, 12), 10);
      var female = day > 40;
      if (female) day -= 40;
      var now = new Date();
      var full = year + (year > now.getFullYear() % 100 ? 1900 : 2000);
      var date = new Date(full, month - 1, day);
      if (date.getMonth() !== month - 1 || date.getDate() !== day) return;
      var text = ("0" + day).slice(-2) + "/" + ("0" + month).slice(-2) + "/" + full;
      if (born && (!born.value || born.value === filled.born)) {
        born.value = text;
        filled.born = text;
      }
      var code = female ? "P" : "L";
      if (sex && (!sex.value || sex.value === filled.sex)) {
        sex.value = code;
        filled.sex = code;
      }
    });
  });
  // A refused form: the summary of what to correct is read first, and focus starts there.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  // Share only where the browser has a share sheet (phones); copy where it may write the clipboard.
  document.querySelectorAll("[data-share]").forEach(function (button) {
    if (navigator.share) button.hidden = false;
  });
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    if (!(navigator.clipboard && window.isSecureContext)) button.hidden = true;
  });

  document.addEventListener("click", function (event) {
    var print = event.target.closest("[data-print]");
    if (print) {
      event.preventDefault();
      window.print();
      return;
    }
    var copy = event.target.closest("[data-copy]");
    var share = event.target.closest("[data-share]");
    if (copy || share) {
      var holder = (copy || share).closest("[data-copy-text]");
      var text = holder ? holder.getAttribute("data-copy-text") : "";
      if (share && navigator.share) {
        navigator.share({ title: document.title, text: text }).catch(function () {});
      } else if (copy) {
        navigator.clipboard.writeText(text).then(function () {
          var done = copy.getAttribute("data-copied");
          if (done) copy.textContent = done;
        });
      }
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

  // A date field that came filled in (a target date offered, today) is selected whole when it
  // takes focus, so digits typed replace it instead of being refused at its full length.
  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.hasAttribute && field.hasAttribute("data-date") && field.value.length >= 10) {
      // After the click that focused it (which would undo the selection), and only if nothing
      // was typed or cleared meanwhile.
      var offered = field.value;
      setTimeout(function () {
        if (field.value === offered && document.activeElement === field) field.select();
      }, 0);
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
  // What the user typed, without what the server adds: a saved row's id, the formsets' counts,
  // the version the page was opened at, the offline queue's facts (offline.js).
  var BOOKKEEPING = /(^csrfmiddlewaretoken$)|(^version$)|(^offline_)|(-(id|TOTAL_FORMS|INITIAL_FORMS|MIN_NUM_FORMS|MAX_NUM_FORMS)$)/;
  function snapshot(form) {
    var data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    return new URLSearchParams(data).toString();
  }
  function typed(text) {
    var kept = new URLSearchParams();
    new URLSearchParams(text).forEach(function (value, name) {
      if (!BOOKKEEPING.test(name)) kept.append(name, value);
    });
    return kept.toString();
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
  // The service worker's "no connection" page (templates/programme/sw.js): the draft form
  // just sent never reached the office, so what was typed stays on this device.
  if (store && document.querySelector("[data-unsent]")) {
    Object.keys(store).forEach(function (key) {
      if (key.indexOf("sent:") === 0) store.removeItem(key);
    });
  }
  document.querySelectorAll("[data-draft-clear]").forEach(function (element) {
    if (store) store.removeItem("draft:" + element.getAttribute("data-draft-clear"));
  });
  // A draft form sent: once the page comes back without errors, the server holds it all.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (store && !event.defaultPrevented && form.hasAttribute("data-draft")) {
      store.setItem("sent:" + form.getAttribute("data-draft"), "1");
    }
  });
  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    if (!store) return;
    var key = "draft:" + form.getAttribute("data-draft");
    var banner = document.getElementById(form.id + "-draft");
    if (store.getItem("sent:" + form.getAttribute("data-draft"))) {
      store.removeItem("sent:" + form.getAttribute("data-draft"));
      if (!document.querySelector("[data-error-summary]")) store.removeItem(key);
    }
    var saved = store.getItem(key);
    // Offered back only when what was typed differs from what the page now holds.
    if (saved !== null && typed(saved) === typed(initial.get(form))) {
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
        if (typed(now) === typed(initial.get(form))) store.removeItem(key);
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
      if (!field.name || field.type === "file") return;
      if (field.type === "hidden" && !field.classList.contains("problem-rank")) return;
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.getAll(field.name).indexOf(field.value) !== -1;
      } else if (values.has(field.name)) {
        field.value = values.get(field.name);
      }
    });
    // Ranked rows come back in the draft's order, their rank shown.
    form.querySelectorAll("[data-rank-list]").forEach(function (list) {
      var rows = Array.prototype.slice.call(list.querySelectorAll("[data-row]"));
      function rank(row) {
        var input = row.querySelector(".problem-rank");
        var value = input ? parseInt(input.value, 10) : NaN;
        return isNaN(value) ? 1e9 : value;
      }
      rows.sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (row) {
        list.appendChild(row);
        var shown = row.querySelector("[data-rank-shown]");
        var input = row.querySelector(".problem-rank");
        if (shown && input) shown.textContent = input.value;
      });
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
