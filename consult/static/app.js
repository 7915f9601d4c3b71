// Focus the error summary of a refused form so that screen readers announce it first.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }
  // Bulk selection: a "select all" checkbox toggles the row checkboxes of its table.
  document.querySelectorAll("[data-select-all]").forEach(function (box) {
    box.addEventListener("change", function () {
      document.querySelectorAll("input[name='" + box.dataset.selectAll + "']").forEach(function (row) {
        row.checked = box.checked;
      });
    });
  });
});

// A compile job's page follows the job: it asks for the job's state every two seconds, shows it in the
// live region, and reloads the page (with the result or the reason of a failure) once the job is over.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-job-poll]");
  if (!box || !window.fetch) { return; }
  var url = box.dataset.jobPoll;
  function poll() {
    fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        var tag = box.querySelector(".tag");
        if (tag && tag.textContent !== job.label) { tag.textContent = job.label; }
        if (job.pending) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
});
