// The field portal without a connection (the service worker is templates/programme/sw.js, the
// phone's records static/js/offline-store.js). On every page of a logged-in user:
//   - the service worker is registered, and a social worker's pages are kept to read offline
//     (only their own kelurahan, NIKs masked), brought up to date at most every 30 minutes;
//   - a form marked data-offline="what it records" gets a key made on the phone; sent without a
//     connection it is kept in the queue instead (the service worker keeps it too when the
//     connection fails on the way); photos are made smaller and checked before they are kept;
//   - the queue is sent, oldest first, when the page loads and when the connection returns; each
//     item ends saved, refused with the server's message (to correct and send again), or in
//     conflict (both versions side by side, the worker chooses); the menu shows how many wait;
//   - the page /luring/ lists the last 100 items sent from this phone, and the space they take;
//   - logging out deletes everything the phone keeps, after saying what has not been sent.
(function () {
  "use strict";
  var store = window.metroStore;
  var textsNode = document.getElementById("offline-texts");
  if (!store || !window.indexedDB || !textsNode) return;
  var T = JSON.parse(textsNode.textContent);
  var me = String(T.user);
  var REFRESH_MINUTES = 30;
  var KEPT = 100;
  var MAX_SIDE = 1600;
  var token = T.csrf;
  var sending = false;

  function say(text, values) {
    return String(text).replace(/\{(\w+)\}/g, function (all, name) {
      return values && name in values ? values[name] : all;
    });
  }
  function mb(bytes) {
    return (bytes / 1048576).toLocaleString(document.documentElement.lang || undefined, { maximumFractionDigits: 1 });
  }
  // An item's size as people read it: "840 KB", "3,2 MB".
  function size(bytes) {
    if (bytes >= 1048576) return mb(bytes) + " MB";
    return Math.max(1, Math.round(bytes / 1024)).toLocaleString(document.documentElement.lang || undefined) + " KB";
  }
  function when(iso) {
    var d = new Date(iso);
    if (isNaN(d)) return "";
    function two(n) { return (n < 10 ? "0" : "") + n; }
    return two(d.getDate()) + "/" + two(d.getMonth() + 1) + "/" + d.getFullYear() + " " + two(d.getHours()) + ":" + two(d.getMinutes());
  }
  function today() { var d = new Date(); d.setMinutes(d.getMinutes() - d.getTimezoneOffset()); return d.toISOString().slice(0, 10); }
  function mine(item) { return String(item.user) === me; }
  function open(item) { return ["waiting", "refused", "conflict", "expired"].indexOf(item.state) >= 0; }

  function alertBox(kind, text, link) {
    var box = document.createElement("div");
    box.className = "alert alert-" + kind;
    box.setAttribute("role", kind === "danger" ? "alert" : "status");
    box.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link[0];
      a.textContent = link[1];
      a.className = "ms-2 alert-link";
      box.appendChild(a);
    }
    var main = document.querySelector("main");
    if (!main) return box;
    // The same message once: the signal's return and a page load can both send and both hear it.
    Array.prototype.forEach.call(main.querySelectorAll(":scope > .alert"), function (shown) {
      if (shown.className === box.className && shown.textContent === box.textContent) shown.remove();
    });
    main.insertBefore(box, main.firstChild);
    return box;
  }

  // The menu's count of what waits on this phone, leading to /luring/.
  function showCount() {
    return store.items().then(function (items) {
      var own = items.filter(mine);
      var waiting = own.filter(function (i) { return i.state === "waiting"; }).length;
      var look = own.filter(function (i) { return open(i) && i.state !== "waiting"; }).length;
      var text = [waiting ? say(T.waiting, { n: waiting }) : "", look ? say(T.look, { n: look }) : ""];
      // The header holds only the number (it stays one row at 360 px); its words are read aloud
      // and shown on hover.
      var words = text.filter(Boolean).join(" · ");
      document.querySelectorAll("[data-offline-count]").forEach(function (link) {
        link.hidden = !waiting && !look;
        link.title = words;
        var badge = link.querySelector("[data-count]");
        if (badge) badge.textContent = String(waiting + look);
        var said = link.querySelector("[data-count-words]");
        if (said) said.textContent = " " + words;
      });
      showInPlace();
      return items;
    });
  }

  // A list marked data-offline-place="/the/form's/address/" shows, at its top, what this phone
  // keeps for that address and has not sent yet: the record in its place, marked as waiting.
  // Once sent and saved it is one of the list's own rows.
  function showInPlace() {
    var lists = document.querySelectorAll("[data-offline-place]");
    if (!lists.length) return Promise.resolve();
    return store.items().then(function (items) {
      lists.forEach(function (list) {
        list.querySelectorAll("[data-offline-waiting]").forEach(function (row) { row.remove(); });
        var place = list.getAttribute("data-offline-place");
        items.filter(function (i) { return mine(i) && i.state === "waiting" && i.url === place; })
          .forEach(function (item) {
            var row = document.createElement("li");
            row.className = "list-group-item list-group-item-warning";
            row.setAttribute("data-offline-waiting", "");
            var badge = document.createElement("span");
            badge.className = "badge text-bg-secondary me-2";
            badge.textContent = T.states.waiting;
            row.appendChild(badge);
            var fields = {};
            (item.fields || []).forEach(function (pair) { fields[pair[0]] = pair[1]; });
            row.appendChild(document.createTextNode(
              [fields.visit_date || fields.date || "", item.label].filter(Boolean).join(" · ")
            ));
            var small = document.createElement("span");
            small.className = "d-block small";
            small.textContent = say(T.queuedAt, { at: when(item.queued_at) });
            row.appendChild(small);
            list.insertBefore(row, list.firstChild);
          });
        var empty = list.querySelector("[data-offline-empty]");
        if (empty) empty.hidden = !!list.querySelector("[data-offline-waiting]");
      });
    });
  }

  // Photos ------------------------------------------------------------------------------------

  function isPhotoField(input) {
    var accept = (input.getAttribute("accept") || "").toLowerCase();
    return accept.indexOf(".pdf") < 0 && accept.indexOf("pdf") < 0;
  }
  function smaller(file) {
    if (!window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size < 600000) return file;
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          var name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(blob ? new File([blob], name, { type: "image/jpeg" }) : file);
        }, "image/jpeg", 0.8);
      });
    });
  }
  // A photo is checked and made smaller as soon as it is chosen; a PDF receipt stays as it is.
  function watchFiles(form) {
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files);
        if (!files.length || !window.DataTransfer) return;
        form.setAttribute("data-offline-busy", "");
        input.setCustomValidity("");
        var note = input.parentNode.querySelector(".offline-file-note");
        if (note) note.remove();
        Promise.all(files.map(function (file) {
          var image = /^image\//.test(file.type) || isPhotoField(input);
          if (!image || file.type === "application/pdf") return Promise.resolve(file);
          return smaller(file).catch(function () { return null; });
        })).then(function (ready) {
          var refused = ready.indexOf(null) >= 0;
          var transfer = new DataTransfer();
          if (!refused) ready.forEach(function (file) { transfer.items.add(file); });
          input.files = transfer.files;
          input.setCustomValidity(refused ? T.notImage : "");
          if (refused) {
            note = document.createElement("div");
            note.className = "offline-file-note invalid-feedback d-block";
            note.setAttribute("role", "alert");
            note.textContent = T.notImage;
            input.parentNode.appendChild(note);
          }
          input.dispatchEvent(new Event("input", { bubbles: true }));
          form.removeAttribute("data-offline-busy");
          // Sent while the photo was being made smaller: sent now that it is ready.
          if (form.hasAttribute("data-offline-send") && !refused) {
            form.removeAttribute("data-offline-send");
            form.requestSubmit();
          }
        });
      });
    });
  }

  // Forms ---------------------------------------------------------------------------------------

  function hidden(form, name, value) {
    var input = form.querySelector("input[name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  function spaceFor(bytes) {
    if (!navigator.storage || !navigator.storage.estimate) return Promise.resolve(null);
    return navigator.storage.estimate().then(function (e) { return e.quota - e.usage - bytes; });
  }
  // Whether so many more bytes still fit on the phone: written once and deleted. Browsers round
  // or hide their estimate of the space left; a write that fails is the only sure answer.
  var NEARLY_FULL = 10 * 1048576;
  function fits(bytes) {
    if (!window.caches) return Promise.resolve(true);
    return caches.open("metro-probe").then(function (cache) {
      return cache.put("/probe", new Response(new Uint8Array(bytes)));
    }).then(function () { return true; }, function () { return false; }).then(function (room) {
      return caches.delete("metro-probe").then(function () { return room; });
    });
  }

  function watchForm(form) {
    watchFiles(form);
    form.addEventListener("submit", function (event) {
      var refused = form.querySelector(".offline-file-note");
      if (refused) {
        event.preventDefault();
        refused.parentNode.querySelector("input[type=file]").focus();
        return;
      }
      if (form.hasAttribute("data-offline-busy")) {
        event.preventDefault();
        form.setAttribute("data-offline-send", "");
        return;
      }
      // The attribute, not form.action: a field named "action" (the long forms' buttons) hides it.
      var action = new URL(form.getAttribute("action") || location.href, location.href);
      hidden(form, "offline_key", store.uuid());
      hidden(form, "offline_user", me);
      hidden(form, "offline_label", form.getAttribute("data-offline"));
      hidden(form, "offline_until", form.getAttribute("data-offline-until") || "");
      hidden(form, "offline_page", location.pathname + (form.closest("[id]") ? "#" + form.closest("[id]").id : ""));
      var replaces = form.getAttribute("data-offline-replaces");
      if (navigator.onLine !== false && !replaces) return;  // sent as usual; sw.js keeps it if it fails
      event.preventDefault();
      // The button pressed goes with the form ("save draft" or "submit" on the long forms).
      var data = event.submitter ? new FormData(form, event.submitter) : new FormData(form);
      var item = store.fromForm(data, action.pathname);
      item.notice = false;  // said on this page at once (the service worker's items say it later)
      var saved = fits(item.size).then(function (room) {
        if (!room) throw new Error("no room");
        return replaces ? store.get(Number(replaces)).then(function (old) {
          item.id = old.id;
          item.queued_at = old.queued_at;
          return store.put(item);
        }) : store.add(item);
      });
      saved.then(function () {
        form.classList.remove("is-changed");
        if (form.hasAttribute("data-draft")) {
          form.setAttribute("data-sending", "");  // the long forms keep what was typed in view
        } else {
          form.reset();
        }
        form.removeAttribute("data-offline-replaces");
        var details = form.closest("details");
        if (details) details.open = false;  // as after a page's own save
        if (replaces) history.replaceState(null, "", location.pathname);
        alertBox("info", T.queued, [T.offlinePage, T.queueLink]).scrollIntoView();
        showCount();
        return fits(NEARLY_FULL).then(function (room) {
          if (!room) alertBox("warning", say(T.lowSpace, { left: mb(NEARLY_FULL) })).scrollIntoView();
          if (navigator.onLine !== false) send();
        });
      }, function () {
        alertBox("danger", say(T.noSpace, { need: mb(item.size) })).scrollIntoView();
      });
    });
  }

  // A refused item opened again (/page#luring-<id>): its form filled in, the server's message above.
  function correcting() {
    var match = /^#luring-(\d+)$/.exec(location.hash);
    if (!match) return;
    store.get(Number(match[1])).then(function (item) {
      if (!item) return;
      var form = Array.prototype.find.call(document.querySelectorAll("form[data-offline]"), function (f) {
        return new URL(f.getAttribute("action") || location.href, location.href).pathname === item.url;
      });
      if (!form) return;
      var details = form.closest("details");
      if (details) details.open = true;
      item.fields.forEach(function (pair) {
        var field = form.elements[pair[0]];
        if (!field || field.type === "file" || pair[0] === "offline_key") return;
        if (field.type === "checkbox") field.checked = pair[1] === "on" || pair[1] === "true";
        else field.value = pair[1];
      });
      if (window.DataTransfer) {
        item.files.forEach(function (triple) {
          var input = form.querySelector("input[type=file][name='" + triple[0] + "']");
          if (!input) return;
          var transfer = new DataTransfer();
          Array.prototype.forEach.call(input.files, function (f) { transfer.items.add(f); });
          transfer.items.add(new File([triple[1]], triple[2], { type: triple[1].type }));
          input.files = transfer.files;
          input.dispatchEvent(new Event("input", { bubbles: true }));
        });
      }
      form.setAttribute("data-offline-replaces", String(item.id));
      var box = document.createElement("div");
      box.className = "alert alert-danger small";
      box.setAttribute("role", "alert");
      box.textContent = T.correcting + " " + (item.problems && item.problems.length ? item.problems.join(" ") : item.message);
      form.insertBefore(box, form.firstChild);
      box.scrollIntoView();
    });
  }

  // Sending the queue -------------------------------------------------------------------------

  function status() {
    return fetch(T.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401) return { login: true };
        if (!response.ok) throw new Error("status " + response.status);
        return response.json();
      });
  }

  function sendOne(item) {
    var body = new FormData();
    item.fields.forEach(function (pair) { body.append(pair[0], pair[1]); });
    item.files.forEach(function (triple) { body.append(triple[0], triple[1], triple[2]); });
    body.append("offline_url", item.url);
    return fetch(T.sendUrl, {
      method: "POST", body: body, credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRFToken": token, Accept: "application/json" }
    }).then(function (response) {
      var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
      return (json ? response.json() : Promise.resolve(null)).then(function (answer) {
        return { status: response.status, answer: answer };
      });
    });
  }

  function answered(item, reply) {
    var a = reply.answer;
    item.answered_at = new Date().toISOString();
    item.notice = false;
    item.message = a.message || "";
    item.problems = a.problems || [];
    item.next = a.next || item.next;
    item.state = a.state === "already" ? "saved" : a.state;
    if (a.state === "conflict") {
      item.both = a.both;
      item.version = a.version;
    }
    if (item.state === "saved") {
      item.fields = [];
      item.files = [];  // what was saved is on the server; the phone keeps the answer only
      item.size = 0;
    }
    return store.put(item);
  }

  // One page of the phone sends at a time (two tabs, or a page that saw the signal return and
  // the next one opened): the second reads the queue once the first is done.
  function send() {
    if (sending) return Promise.resolve();
    sending = true;
    if (navigator.locks && navigator.locks.request) {
      return navigator.locks.request("metro-field-send", sendNow);
    }
    return sendNow();
  }

  function sendNow() {
    var sent = 0;
    var stop = null;
    return store.items().then(function (items) {
      var waiting = items.filter(function (i) { return mine(i) && i.state === "waiting"; });
      if (!waiting.length) return null;
      return status().then(function (s) {
        if (s.login) { stop = "login"; return null; }
        token = s.csrf;
        store.setMeta("contact", Date.now());
        var chain = Promise.resolve();
        waiting.sort(function (a, b) { return a.id - b.id; }).forEach(function (item) {
          chain = chain.then(function () {
            if (stop) return null;
            if (item.until && today() > item.until) {
              item.state = "expired";
              item.message = say(T.expired, { date: item.until.split("-").reverse().join("/") });
              return store.put(item);
            }
            return sendOne(item).then(function (reply) {
              if (reply.status === 401) { stop = "login"; return null; }
              if (!reply.answer) { stop = "server"; return null; }
              sent += reply.answer.state === "saved" || reply.answer.state === "already" ? 1 : 0;
              return answered(item, reply);
            });
          });
        });
        return chain;
      });
    }).catch(function () {
      stop = stop || "network";
    }).then(function () {
      sending = false;
      if (stop === "login") alertBox("warning", T.login, [T.loginUrl + "?next=" + encodeURIComponent(location.pathname), T.loginLink]);
      else if (stop === "server") alertBox("warning", T.serverError);
      if (sent) alertBox("success", say(T.sent, { n: sent }), [T.offlinePage, T.queueLink]);
      return prune().then(showCount).then(render);
    });
  }

  // The last 100 answers are kept; what still waits or was refused, always.
  function prune() {
    return store.items().then(function (items) {
      var done = items.filter(function (i) { return !open(i); }).sort(function (a, b) { return b.id - a.id; });
      return Promise.all(done.slice(KEPT).map(function (i) { return store.remove(i.id); }));
    });
  }

  // Pages kept to read offline ----------------------------------------------------------------

  function keepPages(force) {
    if (!window.caches) return Promise.resolve();
    return store.meta("pages").then(function (last) {
      if (!force && last && last.user === me && Date.now() - last.at < REFRESH_MINUTES * 60000) return null;
      return fetch(T.pagesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (list) {
          if (!list) return null;
          return caches.open(store.PAGES).then(function (cache) {
            var kept = 0;
            var chain = Promise.resolve();
            list.pages.forEach(function (url) {
              chain = chain.then(function () {
                return fetch(url, { credentials: "same-origin", headers: { "X-Offline-Copy": "1" } }).then(function (response) {
                  if (!response.ok || response.redirected) return null;
                  return response.blob().then(function (body) {
                    var headers = new Headers(response.headers);
                    headers.set("X-Saved-At", new Date().toISOString());
                    kept += 1;
                    return cache.put(url, new Response(body, { status: 200, headers: headers }));
                  });
                });
              });
            });
            return chain.then(function () {
              return cache.keys().then(function (requests) {
                return Promise.all(requests.filter(function (r) {
                  return list.pages.indexOf(new URL(r.url).pathname) < 0;
                }).map(function (r) { return cache.delete(r); }));
              });
            }).then(function () {
              store.setMeta("contact", Date.now());
              document.documentElement.setAttribute("data-offline-kept", String(kept));
              return store.setMeta("pages", { user: me, at: Date.now(), count: kept });
            });
          });
        });
    }).catch(function () { return null; });
  }

  // The page /luring/ ---------------------------------------------------------------------------

  function cell(row, text, tag) {
    var node = document.createElement(tag || "td");
    node.textContent = text;
    row.appendChild(node);
    return node;
  }
  function button(text, kind, action) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-" + kind + " me-2 mt-2";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  function itemView(item) {
    var li = document.createElement("li");
    li.className = "list-group-item";
    li.setAttribute("data-state", item.state);
    var head = document.createElement("div");
    var badge = document.createElement("span");
    badge.className = "badge me-2 text-bg-" + ({ saved: "success", waiting: "secondary", refused: "danger", conflict: "warning", expired: "dark", dropped: "light" }[item.state] || "light");
    badge.textContent = T.states[item.state] || item.state;
    head.appendChild(badge);
    var label = document.createElement(item.next ? "a" : "span");
    if (item.next) label.href = item.next;
    label.className = "fw-semibold";
    label.textContent = item.label;
    head.appendChild(label);
    li.appendChild(head);
    var small = document.createElement("div");
    small.className = "small text-muted";
    small.textContent = say(T.queuedAt, { at: when(item.queued_at) }) + (item.answered_at ? " · " + say(T.answeredAt, { at: when(item.answered_at) }) : "") + (item.size ? " · " + size(item.size) : "");
    li.appendChild(small);
    if (item.message || (item.problems && item.problems.length)) {
      var message = document.createElement("div");
      message.className = "small";
      message.textContent = item.problems && item.problems.length ? item.problems.join(" ") : item.message;
      li.appendChild(message);
    }
    if (item.state === "refused") {
      var fix = document.createElement("a");
      fix.className = "btn btn-outline-danger mt-2";
      fix.href = item.page.split("#")[0] + "#luring-" + item.id;
      fix.textContent = T.correct;
      li.appendChild(fix);
    }
    if (item.state === "conflict") {
      var wrap = document.createElement("div");
      wrap.className = "table-responsive";
      var table = document.createElement("table");
      table.className = "table table-sm small mt-2";
      var caption = document.createElement("caption");
      caption.textContent = T.compare;
      table.appendChild(caption);
      var row = table.createTHead().insertRow();
      [T.field, T.server, T.phone].forEach(function (t) { cell(row, t, "th").scope = "col"; });
      var body = table.createTBody();
      (item.both || []).forEach(function (triple) {
        var r = body.insertRow();
        if (triple[1] !== triple[2]) r.className = "table-warning";
        cell(r, triple[0], "th").scope = "row";
        cell(r, triple[1]);
        cell(r, triple[2]);
      });
      wrap.appendChild(table);
      li.appendChild(wrap);
      li.appendChild(button(T.keepMine, "warning", function () {
        item.fields = item.fields.map(function (p) { return p[0] === "version" ? ["version", String(item.version)] : p; });
        item.fields = item.fields.map(function (p) { return p[0] === "offline_key" ? ["offline_key", store.uuid()] : p; });
        item.state = "waiting";
        store.put(item).then(send);
      }));
      li.appendChild(button(T.keepServer, "outline-secondary", function () {
        item.state = "dropped";
        item.message = T.serverKept;
        item.problems = [];
        item.fields = [];
        item.files = [];
        item.size = 0;
        store.put(item).then(render).then(showCount);
      }));
    }
    if (item.state === "waiting" && !sending) {
      li.appendChild(button(T.sendNow, "outline-success", function () { send(); }));
    }
    return li;
  }

  function render() {
    var list = document.getElementById("offline-items");
    if (!list) return Promise.resolve();
    return store.items().then(function (items) {
      items = items.filter(mine).sort(function (a, b) { return b.id - a.id; });
      list.replaceChildren.apply(list, items.map(itemView));
      document.getElementById("offline-empty").hidden = items.length > 0;
      var used = items.reduce(function (sum, i) { return sum + (i.size || 0); }, 0);
      var space = document.getElementById("offline-space");
      spaceFor(0).then(function (left) {
        space.textContent = say(T.space, { used: size(used), left: left === null ? "?" : size(left) });
        if (left !== null && left < 50 * 1048576) space.className = "alert alert-warning";
      });
      return store.meta("pages");
    }).then(function (pages) {
      var node = document.getElementById("offline-pages");
      if (!node) return;
      node.textContent = pages && pages.user === me ? say(T.pages, { n: pages.count, at: when(new Date(pages.at).toISOString()) }) : T.noPages;
    });
  }

  // Logging out deletes what the phone keeps; what has not been sent is named first.
  function watchLogout() {
    document.querySelectorAll("form[data-drafts-purge]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (form.hasAttribute("data-offline-cleared")) return;
        event.preventDefault();
        store.items().then(function (items) {
          var waiting = items.filter(function (i) { return mine(i) && (i.state === "waiting" || i.state === "refused" || i.state === "conflict"); }).length;
          if (waiting && !window.confirm(say(T.logoutWaiting, { n: waiting }))) return null;
          return store.clearAll().then(function () {
            // Sent again as a submit event, so that page.js removes the drafts as well.
            form.setAttribute("data-offline-cleared", "");
            form.requestSubmit();
          });
        });
      });
    });
  }

  // Start -------------------------------------------------------------------------------------

  function start() {
    var copy = document.documentElement.getAttribute("data-offline-copy");
    var copyBox = copy !== null ? alertBox("warning", say(T.copy, { at: when(copy) || "?" })) : null;
    document.querySelectorAll("form[data-offline]").forEach(watchForm);
    // Any other form sent without a connection stays on its page, filled in, and says so.
    document.querySelectorAll("form[method=post]:not([data-offline]):not([data-drafts-purge])").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (navigator.onLine !== false) return;
        event.preventDefault();
        alertBox("warning", form.hasAttribute("data-draft") ? T.draftKept : T.notSent).scrollIntoView();
      });
    });
    watchLogout();
    var refresh = document.getElementById("offline-refresh");
    if (refresh) refresh.addEventListener("click", function () { keepPages(true).then(render); });
    var sendButton = document.getElementById("offline-send");
    if (sendButton) sendButton.addEventListener("click", function () { send(); });
    // Pages are kept only where the service worker can answer with them.
    var worker = navigator.serviceWorker && T.workerUrl
      ? navigator.serviceWorker.register(T.workerUrl, { scope: "/" }).then(function () { return true; }, function () { return false; })
      : Promise.resolve(false);
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () { return null; });
    window.addEventListener("online", function () {
      send().then(function () {
        // The connection is back and what waited is sent: "this page as kept on …" no longer
        // holds; the next page opened is the live one.
        if (copyBox && copyBox.parentNode) copyBox.parentNode.removeChild(copyBox);
        document.documentElement.removeAttribute("data-offline-copy");
        return worker;
      }).then(function (ok) { return ok ? keepPages(false) : null; }).then(render);
    });
    store.meta("user").then(function (last) {
      // Another worker logged in on this phone: the pages kept for the last one go.
      if (last && String(last) !== me) return store.clearPages().then(function () { return store.setMeta("pages", null); });
      return null;
    }).then(function () { return store.setMeta("user", me); }).then(function () {
      return store.items();
    }).then(function (items) {
      var fresh = items.filter(function (i) { return mine(i) && i.notice; });
      if (fresh.length) {
        alertBox("info", T.queued, [T.offlinePage, T.queueLink]);
        fresh.forEach(function (i) { i.notice = false; store.put(i); });
      }
      correcting();
      return showCount().then(render);
    }).then(function () {
      if (copy !== null || navigator.onLine === false) return null;
      return send().then(function () { return worker; }).then(function (ok) {
        return ok ? keepPages(false) : null;
      }).then(render);
    }).catch(function () { return null; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
