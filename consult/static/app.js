// consult's progressive enhancement: every page works without this file; with it, pages get a little help.
document.documentElement.classList.add("js");

// On a small screen the main navigation folds behind a "Menu" button (without JavaScript all links show).
document.addEventListener("DOMContentLoaded", function () {
  var list = document.querySelector(".site-header nav .nav");
  if (!list) { return; }
  var nav = list.parentNode;
  if (!list.id) { list.id = "site-nav-list"; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "nav-toggle";
  button.setAttribute("aria-controls", list.id);
  button.setAttribute("aria-expanded", "false");
  button.textContent = nav.dataset.menuLabel || "Menu";
  button.addEventListener("click", function () {
    button.setAttribute("aria-expanded", button.getAttribute("aria-expanded") === "true" ? "false" : "true");
  });
  nav.insertBefore(button, list);
});

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

// A table that is wider than the screen scrolls in its box (.table-scroll): while it does, the box is a named,
// focusable region so that a keyboard user can scroll it too; when it fits, it is a plain box again.
document.addEventListener("DOMContentLoaded", function () {
  var boxes = document.querySelectorAll(".table-scroll");
  if (!boxes.length) { return; }
  function update() {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        var name = (caption ? caption.textContent.trim() + " – " : "") + box.dataset.scrollLabel;
        box.setAttribute("aria-label", name);
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  update();
  window.addEventListener("resize", update);
});

// A compile job's status region (templates/_jobs.html) follows the job: it asks the job's JSON status every
// two seconds while the job is pending and rewrites the region in place (it is aria-live, so the change is
// announced without moving the focus): queued → running → done with the download link, or failed with the
// reason. A network hiccup only slows the polling down; the refresh link under the region still works.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.fetch) { return; }
  document.querySelectorAll("[data-job-poll]").forEach(function (box) {
    var url = box.dataset.jobPoll;
    function show(job) {
      box.dataset.state = job.state;
      var tag = box.querySelector(".tag");
      if (tag) {
        tag.textContent = job.label;
        tag.className = "tag " + (job.state === "failed" ? "tag-withdrawn" : job.state === "done" ? "tag-published" : "tag-draft");
      }
      var message = box.querySelector(".job-status-message");
      if (message && message.textContent !== job.message) { message.textContent = job.message; }
      var holder = box.querySelector(".job-status-link");
      if (holder && job.download_url) {
        var link = document.createElement("a");
        link.href = job.download_url;
        link.textContent = job.download_label;
        holder.replaceChildren(link);
        holder.hidden = false;
      }
    }
    function poll() {
      fetch(url, {headers: {"Accept": "application/json"}, credentials: "same-origin", cache: "no-store"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job) { window.setTimeout(poll, 10000); return; }
          show(job);
          if (job.pending) { window.setTimeout(poll, 2000); return; }
          box.removeAttribute("data-job-poll");
          var refresh = box.nextElementSibling;
          if (refresh && refresh.classList.contains("job-status-refresh")) { refresh.hidden = true; }
        })
        .catch(function () { window.setTimeout(poll, 5000); });
    }
    window.setTimeout(poll, 1000);
  });
});

// The new-postulate form: the chosen provision's text appears under the select as soon as one is chosen (without
// JavaScript, after the form comes back or when the text's "zgłoś postulat do tego przepisu" link pre-selects it).
document.addEventListener("DOMContentLoaded", function () {
  var texts = document.querySelector("[data-provision-texts]");
  if (!texts) { return; }
  var select = document.getElementById(texts.dataset.provisionTexts);
  var box = document.getElementById("provision-text");
  var preview = box && box.querySelector("[data-provision-preview]");
  if (!select || !preview) { return; }
  select.addEventListener("change", function () {
    var source = texts.querySelector("[data-provision='" + select.value + "']");
    preview.innerHTML = source ? source.innerHTML : "";
    box.hidden = !source;
  });
});
