/* The welfare map: draws the GeoJSON of the page's own query (the filter form is a plain GET form,
   so the list beside the map and these markers always show the same points). */
(function () {
  "use strict";
  var TAIPEI = [25.0478, 121.5319];

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function popup(p, detailsLabel) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.appendChild(text("h3", p.name));
    box.appendChild(text("p", p.kind_label + (p.category ? "・" + p.category : "")));
    if (p.need_labels && p.need_labels.length) box.appendChild(text("p", p.need_labels.join("、")));
    if (p.address) box.appendChild(text("p", p.address));
    if (p.url) {
      var link = text("a", detailsLabel);
      link.href = p.url;
      var para = document.createElement("p");
      para.appendChild(link);
      box.appendChild(para);
    }
    return box;
  }

  function baseMap(el, center, zoom) {
    el.classList.add("map-canvas--active");
    var map = L.map(el, { zoomControl: false }).setView(center, zoom);
    L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    }
    return map;
  }
  window.GooddayMap = { baseMap: baseMap };

  function init() {
    var el = document.getElementById("welfare-map");
    if (!el || !window.L) return;
    var map = baseMap(el, TAIPEI, 12);
    var layer = L.featureGroup().addTo(map);
    fetch(el.dataset.pointsUrl, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        data.features.forEach(function (feature) {
          var p = feature.properties;
          var c = feature.geometry.coordinates;
          var marker = L.marker([c[1], c[0]], {
            icon: L.divIcon({ className: "map-marker map-marker--" + p.kind, iconSize: [16, 16] }),
            title: p.kind_label + "：" + p.name,
            keyboard: true,
          });
          marker.bindPopup(popup(p, el.dataset.details));
          // An opened popup takes focus (its link first), and closing it returns focus to its marker.
          marker.on("popupopen", function (event) {
            var box = event.popup.getElement();
            var target = box && (box.querySelector(".map-popup a") || box.querySelector(".map-popup"));
            if (!target) return;
            if (!target.href) target.tabIndex = -1;
            target.focus();
          });
          marker.on("popupclose", function () {
            var own = marker.getElement();
            if (own && document.activeElement === document.body) own.focus();
          });
          layer.addLayer(marker);
          marker.getElement().dataset.featureId = feature.id;
        });
        el.dataset.markers = String(data.features.length);
        if (data.features.length) map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15 });
      })
      .catch(function () { el.dataset.markers = "error"; });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
