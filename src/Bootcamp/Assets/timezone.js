// The time-zone list, enhanced: preselect the browser's own zone (unless the page already chose one),
// show the IANA name of the choice, and add a box that narrows the list as the reader types.
(function () {
  var select = document.getElementById("timeZone");
  if (!select) { return; }
  var shown = document.getElementById("timeZone-id");

  function showId() { if (shown && select.value) { shown.textContent = select.value; } }

  if (!select.value) {
    var zone = "";
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* leave it for the reader */ }
    if (zone) {
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === zone; });
      if (!known) { select.add(new Option(zone, zone), 1); }
      select.value = zone;
    }
  }
  showId();
  select.addEventListener("change", showId);

  var search = document.createElement("input");
  search.type = "search";
  search.id = "timeZone-search";
  search.placeholder = "Search for a city or country";
  search.setAttribute("aria-label", "Search the time zones");
  search.setAttribute("aria-controls", "timeZone");
  search.autocomplete = "off";
  select.parentNode.insertBefore(search, select);
  search.addEventListener("input", function () {
    var words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    var first = null;
    Array.prototype.forEach.call(select.options, function (o) {
      if (!o.value) { return; }
      var text = (o.text + " " + o.value).toLowerCase().replace(/_/g, " ");
      o.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      if (!o.hidden && !first) { first = o; }
    });
    var current = select.options[select.selectedIndex];
    if (first && (!current || current.hidden || !current.value)) { select.value = first.value; showId(); }
  });
})();
