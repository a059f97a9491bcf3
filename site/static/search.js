// Suggestions for the search box in the header (WAI-ARIA combobox with a listbox popup).
// Without this script the form simply submits to /search.
(function () {
  "use strict";
  function setup(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector("[role=listbox]");
    var endpoint = form.getAttribute("data-suggest");
    var timer = null, active = -1, items = [], seq = 0;

    function close() {
      list.hidden = true; list.innerHTML = ""; items = []; active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function highlight(i) {
      items.forEach(function (li, n) { li.setAttribute("aria-selected", n === i ? "true" : "false"); });
      active = i;
      if (i >= 0) { input.setAttribute("aria-activedescendant", items[i].id); }
      else { input.removeAttribute("aria-activedescendant"); }
    }
    function render(results) {
      list.innerHTML = "";
      items = results.map(function (r, n) {
        var li = document.createElement("li");
        li.id = "site-search-option-" + n;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.url = r.url;
        // No link inside an option (an interactive element in another one): choosing the
        // option opens r.url, by mouse below or by Enter in the box.
        var label = document.createElement("span");
        label.className = "label";
        label.textContent = r.label;
        li.appendChild(label);
        var meta = document.createElement("span");
        meta.className = "meta";
        meta.textContent = " " + (r.kind_label || r.kind) + (r.scheme_label ? " · " + r.scheme_label : "");
        li.appendChild(meta);
        li.addEventListener("mousedown", function (e) { e.preventDefault(); window.location.href = r.url; });
        list.appendChild(li);
        return li;
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
      active = -1;
    }
    function fetchSuggestions() {
      var q = input.value.trim();
      if (q.length < 2) { close(); return; }
      var mine = ++seq;
      fetch(endpoint + "?q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { if (mine === seq) { render(data.results || []); } })
        .catch(function () { close(); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(fetchSuggestions, 150);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); highlight((active + 1) % items.length); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); highlight(active <= 0 ? items.length - 1 : active - 1); }
      else if (e.key === "Enter" && active >= 0) { e.preventDefault(); window.location.href = items[active].dataset.url; }
      else if (e.key === "Escape") { close(); }
    });
    input.addEventListener("blur", function () { setTimeout(close, 150); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-suggest]").forEach(setup);
  });
})();
