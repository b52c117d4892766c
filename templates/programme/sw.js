// The field portal's service worker. Every page and file is asked of the office first, so that
// online nothing differs; without a connection a page is answered with the copy this phone kept
// (marked with the time it was kept, static/js/offline.js shows it), and a form that could not be
// sent is put in the phone's queue, to be sent by the page when the connection returns.
{% autoescape off %}importScripts({{ store_url }});

var ASSETS = {{ assets }};
var OFFLINE_PAGE = {{ offline_page }};
var KEEP_DAYS = {{ keep_days }};
var FILES = "metro-files-" + {{ version }};

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(FILES).then(function (cache) { return cache.addAll(ASSETS); }).then(function () {
    return self.skipWaiting();
  }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("metro-files-") === 0 && name !== FILES;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.indexOf("/admin/") === 0) return;
  if (request.mode === "navigate" && request.method === "POST") {
    event.respondWith(sendOrKeep(request));
  } else if (request.mode === "navigate" && request.method === "GET") {
    event.respondWith(pageOrCopy(request));
  } else if (request.method === "GET" && ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(fileOrCopy(request));
  }
});

function fileOrCopy(request) {
  return fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(FILES).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () { return caches.match(request); });
}

function pageOrCopy(request) {
  return fetch(request).catch(function () {
    return metroStore.stale(KEEP_DAYS).then(function (stale) {
      if (stale) return metroStore.clearPages().then(function () { return null; });
      return caches.open(metroStore.PAGES).then(function (cache) {
        return cache.match(request, { ignoreSearch: true });
      });
    }).then(function (copy) { return copy ? marked(copy) : notice(); });
  });
}

// A kept page says when it was kept: the page's script shows it above the content.
function marked(copy) {
  var at = copy.headers.get("X-Saved-At") || "";
  return copy.text().then(function (html) {
    return new Response(html.replace("<html ", '<html data-offline-copy="' + at + '" '), {
      status: 200, headers: copy.headers
    });
  });
}

// A page this phone does not keep (or no longer: KEEP_DAYS without contact), or a form that
// cannot wait in the queue, without a connection: said in both languages, with the way back.
function notice() {
  return new Response(
    '<!doctype html><html lang="id"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<link rel="stylesheet" href="' + ASSETS[0] + '"><title>Tanpa sinyal</title></head>' +
    '<body><main class="container py-3" data-unsent><h1 class="h3">Tanpa sinyal</h1>' +
    "<p>Halaman ini tidak tersimpan di ponsel ini (halaman yang disimpan dihapus setelah " +
    KEEP_DAYS + " hari tanpa sambungan), atau formulir ini tidak bisa menunggu di antrean. " +
    "Coba lagi saat ada sinyal.</p>" +
    '<p lang="en">No connection: this page is not kept on this phone, or this form cannot wait ' +
    "in the queue. Try again when connected.</p>" +
    '<p><a class="btn btn-success" href="' + OFFLINE_PAGE + '">Terkirim dari ponsel ini</a> ' +
    '<a class="btn btn-link" href="/">Beranda</a></p></main>' +
    '<script src="' + ASSETS[2] + '"></script></body></html>',
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

// A form that could not reach the office: kept in the queue with the key its page gave it, and
// the page it was sent from shown again (its copy, offline), which tells that it waits.
function sendOrKeep(request) {
  var copy = request.clone();
  return fetch(request).catch(function () {
    return copy.formData().then(function (data) {
      if (!data.get("offline_key")) return notice();
      var item = metroStore.fromForm(data, new URL(request.url).pathname);
      return metroStore.add(item).then(function () {
        return Response.redirect(new URL(item.page, self.location.origin).href, 303);
      });
    });
  });
}
{% endautoescape %}
