// Leave quickly: the link works without this file (it goes to /away, which signs out,
// clears the site's data and opens a neutral site). With it, the page also goes at once,
// without staying in the history (location.replace), and Shift pressed three times
// within two seconds does the same.
(function () {
  "use strict";
  var link = document.getElementById("leave");
  if (!link) { return; }
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.hidden = true;
    document.title = "";
    window.location.replace(link.getAttribute("href"));
  }
  link.addEventListener("click", leave);
  var presses = [];
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") { return; }
    var now = Date.now();
    presses = presses.filter(function (t) { return now - t < 2000; });
    presses.push(now);
    if (presses.length >= 3) { leave(); }
  });
}());
