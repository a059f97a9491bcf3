// Federated search: each other registry on the search page is asked on its own, in parallel,
// and shown as soon as it answers, so a slow one holds up nothing. Without this script the
// page links to /search/federated, which shows them all at once.
(function () {
  "use strict";
  function show(item, answer) {
    var status = item.querySelector(".federated-status");
    var list = item.querySelector("ol");
    status.textContent = answer.message;
    item.setAttribute("data-status", answer.status);
    list.innerHTML = "";
    answer.results.forEach(function (hit) {
      var li = document.createElement("li");
      var label = document.createElement(hit.link ? "a" : "span");
      if (hit.link) { label.href = hit.link; label.rel = "nofollow noopener"; }
      label.textContent = hit.label;
      li.appendChild(label);
      if (hit.vocabulary) {
        var vocabulary = document.createElement("span");
        vocabulary.className = "note";
        vocabulary.textContent = " · " + hit.vocabulary;
        li.appendChild(vocabulary);
      }
      if (hit.definition) {
        var definition = document.createElement("p");
        definition.textContent = hit.definition;
        li.appendChild(definition);
      }
      list.appendChild(li);
    });
    list.hidden = answer.results.length === 0;
  }
  function ask(item) {
    var status = item.querySelector(".federated-status");
    item.setAttribute("data-status", "waiting");
    status.setAttribute("aria-busy", "true");
    status.textContent = item.getAttribute("data-waiting");
    fetch(item.getAttribute("data-federated"), {headers: {Accept: "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (answer) { show(item, answer); })
      .catch(function () {
        status.textContent = item.getAttribute("data-failed");
        item.setAttribute("data-status", "unreachable");
      })
      .then(function () { status.removeAttribute("aria-busy"); });
  }
  document.querySelectorAll("[data-federated]").forEach(ask);
}());
