// Fill the time zone from the browser (Intl), unless the reader already typed one.
(function () {
  var field = document.getElementById("timeZone");
  if (field && !field.value) {
    try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* leave it for the reader */ }
  }
})();
