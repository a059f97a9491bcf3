/* Begrip cards for any site: <script src="https://REGISTRY/static/begrip-card.js" defer></script>
 * turns every <a data-begrip="IRI"> on the page into a link that shows the begrip's current
 * definition on hover and keyboard focus (from REGISTRY/embed/begrip.json, open to every
 * origin). The card is built with text nodes only: nothing from the registry is run as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var registry = new URL(script.src).origin;
  var lang = (document.documentElement.lang || "nl").slice(0, 2);
  var cache = {};
  var card = null;
  var shownFor = null;

  function load(iri) {
    if (!cache[iri]) {
      var url = registry + "/embed/begrip.json?" + new URLSearchParams({ uri: iri, lang: lang });
      cache[iri] = fetch(url).then(function (answer) {
        if (!answer.ok) { throw new Error(answer.status); }
        return answer.json();
      });
    }
    return cache[iri];
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function build(data) {
    var box = el("div", "begrip-card-popup");
    box.setAttribute("role", "tooltip");
    box.id = "begrip-card-" + Math.random().toString(36).slice(2);
    box.style.cssText = "position:absolute;z-index:2147483647;max-width:24em;background:#fff;" +
      "color:#1b1b1b;border:1px solid #c8ccd0;border-left:4px solid #154273;border-radius:4px;" +
      "padding:.5em .8em;font:14px/1.45 system-ui,sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.15)";
    var title = el("strong", "begrip-card-label", data.label);
    title.style.display = "block";
    box.appendChild(title);
    var definition = el("p", "begrip-card-definition", data.definition || data.words.none);
    definition.style.margin = ".3em 0";
    if (data.language) { definition.lang = data.language; }
    box.appendChild(definition);
    var meta = el("p", "begrip-card-meta");
    meta.style.cssText = "margin:0;font-size:.85em;color:#4a4a4a";
    var parts = [];
    if (data.schemeLabel) { parts.push(data.words["in"] + " " + data.schemeLabel); }
    parts.push(data.words.source + ": " + data.registry);
    if (data.changed) { parts.push(data.words.changed + " " + data.changed); }
    meta.textContent = parts.join(" · ");
    box.appendChild(meta);
    return box;
  }

  function hide() {
    if (card) { card.remove(); card = null; }
    if (shownFor) { shownFor.removeAttribute("aria-describedby"); shownFor = null; }
  }

  function show(link) {
    var iri = link.getAttribute("data-begrip");
    load(iri).then(function (data) {
      if (document.activeElement !== link && !link.matches(":hover")) { return; }
      hide();
      card = build(data);
      var place = link.getBoundingClientRect();
      card.style.left = (window.scrollX + place.left) + "px";
      card.style.top = (window.scrollY + place.bottom + 6) + "px";
      document.body.appendChild(card);
      link.setAttribute("aria-describedby", card.id);
      shownFor = link;
    }).catch(function () { /* no card: the link still leads to the page */ });
  }

  function prepare(link) {
    if (!link.getAttribute("href")) {
      link.setAttribute("href", registry + "/resource?" +
        new URLSearchParams({ uri: link.getAttribute("data-begrip") }));
    }
    link.addEventListener("mouseenter", function () { show(link); });
    link.addEventListener("focus", function () { show(link); });
    link.addEventListener("mouseleave", hide);
    link.addEventListener("blur", hide);
  }

  function start() {
    document.querySelectorAll("a[data-begrip]").forEach(prepare);
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { hide(); }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else { start(); }
})();
