// The query editor: YASGUI (served from /static/vendor, no CDN) on our /sparql endpoint, with
// result IRIs linked to the catalogue's own pages and download links that follow the query.
(function () {
  "use strict";
  var holder = document.getElementById("yasgui");
  if (!holder || typeof Yasgui === "undefined") { return; }  // the plain form stays usable
  var form = document.getElementById("sparql-form");
  var endpoint = new URL(holder.dataset.endpoint, window.location.href).href;
  var idPrefix = holder.dataset.idPrefix;

  // Offline: the bundled prefix list, and no completers that ask LOV on the internet.
  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  Yasgui.Yasqe.defaults.prefixCcApi = "";

  function siteLink(iri) {
    if (iri.indexOf(idPrefix) === 0) {
      return "/doc/" + iri.slice(idPrefix.length);
    }
    return "/resource?uri=" + encodeURIComponent(iri);
  }

  // YASGUI's own words in the page language: the page lists them (English -> page language).
  var labels = JSON.parse(holder.dataset.labels || "{}");
  function translated(text) {
    var key = (text || "").trim();
    return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : null;
  }
  function translate(root) {
    ["title", "aria-label", "placeholder"].forEach(function (name) {
      root.querySelectorAll("[" + name + "]").forEach(function (element) {
        var text = translated(element.getAttribute(name));
        if (text !== null) { element.setAttribute(name, text); }
      });
    });
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var text = translated(node.nodeValue);
      if (text !== null) { node.nodeValue = text; }
    }
  }

  var yasgui = new Yasgui(holder, {
    tabName: translated("Query") || "Query",
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    yasr: { prefixes: {} },
  });
  holder.hidden = false;
  form.hidden = true;
  var tab = yasgui.getTab();
  var initial = document.getElementById("sparql-query").value;
  tab.setQuery(initial);

  // YASGUI's own controls come without names (its editor's text area, the endpoint field, the
  // selects of its result view): name each from our page, in the page's language.
  function nameControls() {
    holder.querySelectorAll("input, textarea, select").forEach(function (control) {
      if (control.hasAttribute("aria-label") || control.labels && control.labels.length) { return; }
      var label = control.tagName === "TEXTAREA" ? holder.dataset.labelQuery
        : control.tagName === "SELECT" ? (control.title || holder.dataset.labelFormat)
        : (control.title || control.placeholder || holder.dataset.labelEndpoint);
      control.setAttribute("aria-label", label);
    });
    // A tablist holds tabs only: the button that adds a tab goes right after the list.
    holder.querySelectorAll("[role=tablist] > :not(.tab)").forEach(function (other) {
      if (!other.querySelector("button")) { return; }
      var list = other.parentNode;
      list.parentNode.insertBefore(other, list.nextSibling);
    });
  }

  // Result IRIs open the catalogue's page for them, in the same window.
  translate(holder);
  new MutationObserver(function () {
    translate(holder);
    holder.querySelectorAll("a.iri:not([data-site])").forEach(function (link) {
      link.dataset.site = "1";
      link.setAttribute("href", siteLink(link.getAttribute("href")));
      link.setAttribute("target", "_self");
    });
    nameControls();
  }).observe(holder, { childList: true, subtree: true });
  nameControls();

  // SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words after the prologue.
  function queryForm(query) {
    var body = query.replace(/#[^\n]*/g, " ")
      .replace(/^\s*((PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*/i, "");
    var match = /^(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(body);
    return match ? match[1].toUpperCase() : "SELECT";
  }

  function updateDownloads() {
    var query = tab.getQuery();
    var form = queryForm(query);
    document.querySelectorAll("ul.sparql-downloads").forEach(function (list) {
      list.hidden = list.dataset.forms.split(" ").indexOf(form) < 0;
    });
    document.querySelectorAll("a.sparql-download").forEach(function (link) {
      var params = new URLSearchParams({ query: query, format: link.dataset.format });
      link.href = holder.dataset.endpoint + "?" + params.toString();
    });
  }
  tab.on("change", updateDownloads);
  updateDownloads();

  document.querySelectorAll("a.sparql-example").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      tab.setQuery(link.dataset.query);
      updateDownloads();
      tab.query();
    });
  });
})();
