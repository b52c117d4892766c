// The slum map: the RTs' boundaries (GeoJSON, embedded in the page) drawn with Leaflet and
// coloured by class; a click (or Enter on a focused RT) opens its score, the sub-criteria that
// carry it and what was done there. No tiles unless the server names a tile server.
(function () {
  "use strict";
  var box = document.getElementById("slum-map");
  var data = document.getElementById("slum-features");
  if (!box || !data || !window.L) return;
  var features = JSON.parse(data.textContent);
  var COLOURS = { none: "#1e7b34", light: "#b58100", medium: "#c2410c", heavy: "#b02a37", "": "#6c757d" };
  var map = L.map(box, { zoomSnap: 0.25, zoomControl: false, attributionControl: !!box.dataset.tiles });
  // Bottom right: a popup opens upwards, where the buttons at the top left would cover it.
  L.control.zoom({ position: "bottomright", zoomInTitle: box.dataset.zoomIn, zoomOutTitle: box.dataset.zoomOut }).addTo(map);
  map.on("popupopen", function (event) {
    var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) close.setAttribute("aria-label", box.dataset.close);
  });
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution || "", maxZoom: 19 }).addTo(map);
  }
  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }
  function popup(properties) {
    var root = document.createElement("div");
    root.className = "slum-popup";
    root.appendChild(text("strong", properties.label));
    var score = properties.score === null ? box.dataset.none
      : box.dataset.score + ": " + properties.score + " · " + properties.class_label;
    root.appendChild(text("div", score, "slum-popup-score"));
    if (properties.carriers.length) {
      root.appendChild(text("div", box.dataset.carried + ":", "fw-semibold"));
      var list = document.createElement("ul");
      properties.carriers.forEach(function (line) { list.appendChild(text("li", line)); });
      root.appendChild(list);
    }
    root.appendChild(text("div", box.dataset.done + ": " + properties.done_count, "fw-semibold"));
    if (properties.done.length) {
      var done = document.createElement("ul");
      properties.done.forEach(function (line) { done.appendChild(text("li", line)); });
      root.appendChild(done);
    }
    var link = text("a", box.dataset.open);
    link.href = properties.url;
    root.appendChild(link);
    return root;
  }
  if (features.outline) {
    L.geoJSON(features.outline, { style: { color: "#212529", weight: 2, fill: false, dashArray: "6 4" }, interactive: false }).addTo(map);
  }
  var layer = L.geoJSON(features, {
    style: function (feature) {
      var colour = COLOURS[feature.properties["class"]] || COLOURS[""];
      return { color: "#212529", weight: 1, fillColor: colour, fillOpacity: 0.6 };
    },
    onEachFeature: function (feature, shape) {
      // Inside the map on a phone too: no wider than the map, panned clear of its edges.
      shape.bindPopup(function () { return popup(feature.properties); }, {
        maxWidth: Math.max(160, Math.min(280, box.clientWidth - 100)),
        // Above the zoom buttons at the bottom right: a long popup scrolls inside itself.
        maxHeight: Math.max(120, box.clientHeight - 150),
        autoPanPaddingTopLeft: L.point(12, 12),
        autoPanPaddingBottomRight: L.point(12, 112)
      });
      // Each RT named on the map itself.
      shape.bindTooltip(feature.properties.short_label || feature.properties.label, {
        permanent: true, direction: "center", className: "rt-label", interactive: false
      });
      shape.on("add", function () {
        var path = shape.getElement && shape.getElement();
        if (!path) return;
        path.setAttribute("tabindex", "0");
        path.setAttribute("role", "button");
        path.setAttribute("aria-label", feature.properties.label + (feature.properties.score === null ? "" : ", " + feature.properties.class_label));
        path.setAttribute("data-rt-label", feature.properties.label);
        path.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") {
            event.preventDefault();
            shape.openPopup();
          }
        });
      });
    }
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [12, 12] });

  // The legend: each class's colour and name, on the map (the list below says the same).
  var names = document.getElementById("slum-class-labels");
  if (names) {
    var labels = JSON.parse(names.textContent);
    var legend = L.control({ position: "topright" });
    legend.onAdd = function () {
      var root = L.DomUtil.create("div", "slum-legend");
      root.setAttribute("aria-label", box.dataset.legend);
      root.setAttribute("role", "group");
      Object.keys(labels).forEach(function (key) {
        var row = text("div", "");
        var swatch = text("span", "", "slum-swatch");
        swatch.style.background = COLOURS[key] || COLOURS[""];
        swatch.setAttribute("aria-hidden", "true");
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(labels[key]));
        root.appendChild(row);
      });
      return root;
    };
    legend.addTo(map);
  }
})();
