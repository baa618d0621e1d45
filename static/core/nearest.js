// "Nearest drop-off point to me" on the home page: the page is cached for everyone, so it cannot
// know where a visitor is. With the visitor's consent the browser's own location sorts the listed
// points by distance here, in the browser; the location is never sent to the site.
(function () {
  "use strict";
  var button = document.querySelector("[data-nearest-list]");
  if (!button || !navigator.geolocation) return;
  var list = document.getElementById(button.getAttribute("data-nearest-list"));
  var result = document.getElementById(button.getAttribute("data-result"));
  if (!list || !result) return;
  button.parentNode.hidden = false;

  function km(lat1, lng1, lat2, lng2) {
    var r = Math.PI / 180;
    var a = Math.pow(Math.sin((lat2 - lat1) * r / 2), 2) +
      Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.pow(Math.sin((lng2 - lng1) * r / 2), 2);
    return 6371 * 2 * Math.asin(Math.sqrt(a));
  }

  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = position.coords;
      var items = Array.prototype.slice.call(list.querySelectorAll("li[data-lat]"));
      items.forEach(function (li) {
        li.distance = km(here.latitude, here.longitude, parseFloat(li.getAttribute("data-lat")), parseFloat(li.getAttribute("data-lng")));
        var label = button.getAttribute("data-km").replace("{km}", li.distance.toFixed(1));
        li.querySelector(".distance").textContent = "（" + label + "）";
      });
      items.sort(function (a, b) { return a.distance - b.distance; });
      items.forEach(function (li) { list.appendChild(li); });
      if (items.length) {
        result.textContent = button.getAttribute("data-found") + items[0].getAttribute("data-name") + "（" +
          button.getAttribute("data-km").replace("{km}", items[0].distance.toFixed(1)) + "）";
      }
    }, function () {
      result.textContent = button.getAttribute("data-denied");
    }, { timeout: 10000, maximumAge: 600000 });
  });
})();
