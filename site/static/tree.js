// Keyboard support for begrippen trees (WAI-ARIA treeview pattern, roving tabindex).
// Without this script the tree is a set of nested lists with links, fully usable.
(function () {
  "use strict";
  function visible(tree) {
    return Array.prototype.filter.call(tree.querySelectorAll("[role=treeitem]"), function (item) {
      var node = item.parentElement;
      while (node && node !== tree) {
        if (node.getAttribute("role") === "group" && node.hidden) { return false; }
        node = node.parentElement;
      }
      return true;
    });
  }
  function group(item) { return item.querySelector(":scope > [role=group]"); }
  function setExpanded(item, open) {
    var g = group(item);
    if (!g) { return; }
    item.setAttribute("aria-expanded", open ? "true" : "false");
    g.hidden = !open;
  }
  function focus(tree, item) {
    tree.querySelectorAll("[role=treeitem][tabindex='0']").forEach(function (i) { i.tabIndex = -1; });
    item.tabIndex = 0;
    item.focus();
  }
  function enhance(tree) {
    // The server sends plain nested lists; the ARIA roles belong with the keyboard behaviour.
    tree.setAttribute("role", "tree");
    tree.querySelectorAll("li").forEach(function (li) {
      li.setAttribute("role", "treeitem");
      var label = li.querySelector(":scope > a");
      if (label) { li.setAttribute("aria-label", label.textContent); }
      var sub = li.querySelector(":scope > ul");
      if (sub) {
        sub.setAttribute("role", "group");
        li.setAttribute("aria-expanded", "false");
        var toggle = document.createElement("span");
        toggle.className = "toggle"; toggle.setAttribute("aria-hidden", "true");
        li.insertBefore(toggle, li.firstChild);
      }
    });
  }
  function setup(tree) {
    enhance(tree);
    var items = tree.querySelectorAll("[role=treeitem]");
    items.forEach(function (item, n) {
      item.tabIndex = n === 0 ? 0 : -1;
      item.querySelectorAll(":scope > a").forEach(function (a) { a.tabIndex = -1; });
      if (group(item)) { setExpanded(item, item.getAttribute("aria-expanded") === "true"); }
    });
    tree.classList.add("enhanced");
    tree.addEventListener("click", function (e) {
      var toggle = e.target.closest(".toggle");
      if (toggle) {
        var it = toggle.closest("[role=treeitem]");
        setExpanded(it, it.getAttribute("aria-expanded") !== "true");
        focus(tree, it);
        e.preventDefault();
      }
    });
    tree.addEventListener("keydown", function (e) {
      var item = e.target.closest("[role=treeitem]");
      if (!item) { return; }
      var list = visible(tree), i = list.indexOf(item), handled = true;
      switch (e.key) {
        case "ArrowDown": if (i < list.length - 1) { focus(tree, list[i + 1]); } break;
        case "ArrowUp": if (i > 0) { focus(tree, list[i - 1]); } break;
        case "Home": focus(tree, list[0]); break;
        case "End": focus(tree, list[list.length - 1]); break;
        case "ArrowRight":
          if (group(item)) {
            if (item.getAttribute("aria-expanded") !== "true") { setExpanded(item, true); }
            else { var first = group(item).querySelector("[role=treeitem]"); if (first) { focus(tree, first); } }
          }
          break;
        case "ArrowLeft":
          if (group(item) && item.getAttribute("aria-expanded") === "true") { setExpanded(item, false); }
          else {
            var parent = item.parentElement.closest("[role=treeitem]");
            if (parent && tree.contains(parent)) { focus(tree, parent); }
          }
          break;
        case "Enter":
          var link = item.querySelector(":scope > a");
          if (link) { window.location.href = link.href; }
          break;
        default: handled = false;
      }
      if (handled) { e.preventDefault(); e.stopPropagation(); }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("ul[data-tree]").forEach(setup);
  });
})();
