// What the phone keeps for the field portal, shared by its pages (offline.js) and its service
// worker (sw.js): in IndexedDB the queue of forms sent without a connection ("items") and a few
// facts ("meta": who, the last contact with the office), in Cache Storage the pages kept to read.
// An item: {id, key, user, url, page, label, until, queued_at, state, fields, files, size,
// message, problems, both, version, answered_at}; state is waiting, saved, refused, conflict,
// expired (the programme ended before it was sent) or dropped (the server's version was kept).
var metroStore = (function () {
  "use strict";
  var NAME = "metro-field";
  var PAGES = "metro-pages";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("items", { keyPath: "id", autoIncrement: true });
        request.result.createObjectStore("meta");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  // One transaction on one store; resolves with the result of the request `work` returns.
  function run(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(store, mode);
        var request = work(tx.objectStore(store));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function uuid() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // A form's entries as an item: fields as [name, value], files as [name, blob, file name]; the
  // CSRF token is left out (the queue sends a fresh one) and so are the offline_* facts, but the key.
  function fromForm(data, url) {
    var item = {
      url: url, fields: [], files: [], size: 0, state: "waiting",
      key: data.get("offline_key") || uuid(),
      user: data.get("offline_user") || "",
      page: data.get("offline_page") || url,
      label: data.get("offline_label") || url,
      until: data.get("offline_until") || "",
      queued_at: new Date().toISOString(),
      notice: true
    };
    data.forEach(function (value, name) {
      if (typeof value !== "string") {
        if (value.size || value.name) {
          item.files.push([name, value, value.name || "foto.jpg"]);
          item.size += value.size;
        }
      } else if (name !== "csrfmiddlewaretoken" && (name.indexOf("offline_") !== 0 || name === "offline_key")) {
        item.fields.push([name, value]);
        item.size += value.length;
      }
    });
    return item;
  }

  return {
    uuid: uuid,
    fromForm: fromForm,
    items: function () { return run("items", "readonly", function (s) { return s.getAll(); }); },
    get: function (id) { return run("items", "readonly", function (s) { return s.get(id); }); },
    add: function (item) { return run("items", "readwrite", function (s) { return s.add(item); }); },
    put: function (item) { return run("items", "readwrite", function (s) { return s.put(item); }); },
    remove: function (id) { return run("items", "readwrite", function (s) { return s.delete(id); }); },
    meta: function (key) { return run("meta", "readonly", function (s) { return s.get(key); }); },
    setMeta: function (key, value) {
      return run("meta", "readwrite", function (s) { return s.put(value, key); });
    },
    PAGES: PAGES,
    // The pages kept to read are past their time after `days` without contact with the office.
    stale: function (days) {
      return run("meta", "readonly", function (s) { return s.get("contact"); }).then(function (at) {
        return Boolean(at) && Date.now() - at > days * 86400000;
      });
    },
    clearPages: function () { return self.caches ? caches.delete(PAGES) : Promise.resolve(); },
    // Everything this phone keeps of the portal: at logout.
    clearAll: function () {
      var pages = self.caches ? caches.delete(PAGES) : Promise.resolve();
      var db = new Promise(function (resolve) {
        var request = indexedDB.deleteDatabase(NAME);
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      });
      return Promise.all([pages, db]);
    }
  };
})();
