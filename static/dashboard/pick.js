/* Coordinates picked on a map: a click fills the form's latitude and longitude inputs; typing the
   numbers moves the marker. Without JavaScript the map stays hidden and the inputs are typed. */
(function () {
  "use strict";
  var TAIPEI = [25.0375, 121.5637];

  function number(input) {
    var value = parseFloat(input.value);
    return isNaN(value) ? null : value;
  }

  function setUp(el) {
    var lat = document.getElementById(el.dataset.latInput);
    var lng = document.getElementById(el.dataset.lngInput);
    if (!lat || !lng || !window.L) return;
    var known = number(lat) !== null && number(lng) !== null;
    el.classList.add("map-canvas--active");
    var map = L.map(el, { zoomControl: false }).setView(known ? [number(lat), number(lng)] : TAIPEI, known ? 16 : 12);
    L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    }
    var marker = null;
    function place(latlng) {
      if (marker) marker.setLatLng(latlng);
      else {
        marker = L.marker(latlng, {
          icon: L.divIcon({ className: "map-marker map-marker--dropoff", iconSize: [18, 18] }),
          title: el.dataset.markerLabel,
          keyboard: false,
        }).addTo(map);
      }
    }
    if (known) place([number(lat), number(lng)]);
    map.on("click", function (event) {
      lat.value = event.latlng.lat.toFixed(6);
      lng.value = event.latlng.lng.toFixed(6);
      place(event.latlng);
    });
    [lat, lng].forEach(function (input) {
      input.addEventListener("change", function () {
        if (number(lat) !== null && number(lng) !== null) {
          place([number(lat), number(lng)]);
          map.panTo([number(lat), number(lng)]);
        }
      });
    });
  }

  function init() {
    document.querySelectorAll("[data-coordinate-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
