// The run page's progress: while a job runs, ask the server for done/total every two
// seconds and move the bar; when it ends, load the page again (its figures changed).
// Without this script the page's Refresh link does the same.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box || !box.dataset.running) return;
  var bar = document.getElementById("job-bar");
  var text = document.getElementById("job-text");
  function tick() {
    fetch("/staff/runs/" + box.dataset.run + "/progress", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) return;
        if (!job.running) { location.reload(); return; }
        bar.max = job.total || 1; bar.value = job.done;
        text.textContent = text.textContent.replace(/\d+(\D+)\d+/, job.done + "$1" + job.total);
        setTimeout(tick, 2000);
      });
  }
  setTimeout(tick, 1000);
})();
