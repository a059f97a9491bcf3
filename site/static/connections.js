// The connections map on /koppelingen: draws the nodes and edges of /koppelingen.json (placed on
// rings by the server) on a canvas, and filters them when a filter of the page's form changes,
// without a round trip. Without JavaScript the form, the table and the CSV do the same work.
(function () {
  "use strict";
  var section = document.getElementById("connections-map");
  var form = document.getElementById("connections-filters");
  if (!section || !form || !window.fetch) { return; }
  var canvas = document.getElementById("connections-canvas");
  var list = document.getElementById("map-nodes");
  var status = document.getElementById("map-status");
  var FIELDS = ["organisation", "kind", "service", "registry"];
  var COLOURS = { organisation: "#01689b", api: "#a90061", dataset: "#275937", provider: "#e17000" };
  var LIST_AT_MOST = 300;
  var data = null, index = {}, shown = null, scale = 1, size = 0;
  var started = performance.now();

  section.hidden = false;
  fetch(section.getAttribute("data-source"), { credentials: "same-origin" })
    .then(function (answer) { return answer.json(); })
    .then(function (json) {
      data = json;
      json.nodes.forEach(function (node, i) { index[node[0]] = i; });
      apply();
      // Times for bench/connections_bench.py: taken at the next frame, once the drawing is done.
      requestAnimationFrame(function () {
        var now = performance.now();
        window.connectionsTimes = { rendered: now, fetchedAndDrawn: now - started, filters: 0 };
        section.setAttribute("data-state", "rendered");
      });
    });

  function chosen() {
    var values = {};
    FIELDS.forEach(function (field) { values[field] = form.elements[field].value; });
    return values;
  }

  // The edges and nodes that pass the filters: an edge organisation -> service passes when the
  // organisation, its kind, the service and the service's registry are the chosen ones.
  function select(values) {
    var nodes = data.nodes, uses = data.uses, edges = [], on = new Uint8Array(nodes.length);
    var org = values.organisation ? index[values.organisation] : -1;
    var service = values.service ? index[values.service] : -1;
    if ((values.organisation && org === undefined) || (values.service && service === undefined)) {
      return { edges: [], offers: [], on: on };
    }
    for (var i = 0; i < uses.length; i++) {
      var e = uses[i];
      if (org >= 0 && e[0] !== org) { continue; }
      if (service >= 0 && e[1] !== service) { continue; }
      if (values.kind && nodes[e[0]][3] !== values.kind) { continue; }
      if (values.registry && nodes[e[1]][3] !== values.registry) { continue; }
      edges.push(e);
      on[e[0]] = 1; on[e[1]] = 1;
    }
    var offers = data.offers.filter(function (o) { return on[o[1]]; });
    offers.forEach(function (o) { on[o[0]] = 1; });
    return { edges: edges, offers: offers, on: on };
  }

  function resize() {
    var ratio = window.devicePixelRatio || 1;
    size = Math.min(section.clientWidth || 800, 800);
    canvas.style.width = size + "px";
    canvas.style.height = size + "px";
    canvas.width = Math.round(size * ratio);
    canvas.height = Math.round(size * ratio);
    scale = ratio;
  }

  function at(node) {  // canvas pixels (CSS) of a node
    var half = size / 2, radius = half - 12;
    return [half + node[4] * radius, half + node[5] * radius];
  }

  function draw() {
    var g = canvas.getContext("2d"), nodes = data.nodes;
    g.setTransform(scale, 0, 0, scale, 0, 0);
    g.clearRect(0, 0, size, size);
    var many = shown.edges.length > 2000;
    g.lineWidth = many ? 0.5 : 1;
    g.strokeStyle = many ? "rgba(1, 104, 155, 0.06)" : "rgba(1, 104, 155, 0.45)";
    g.beginPath();
    shown.edges.forEach(function (e) { line(g, nodes[e[0]], nodes[e[1]]); });
    g.stroke();
    g.strokeStyle = "rgba(225, 112, 0, 0.7)";
    g.beginPath();
    shown.offers.forEach(function (e) { line(g, nodes[e[0]], nodes[e[1]]); });
    g.stroke();
    var visible = 0;
    for (var i = 0; i < nodes.length; i++) {
      if (!shown.on[i]) { continue; }
      visible++;
      var p = at(nodes[i]);
      g.fillStyle = COLOURS[nodes[i][2]] || "#333";
      g.beginPath();
      g.arc(p[0], p[1], nodes[i][2] === "organisation" ? 2.5 : 4.5, 0, 2 * Math.PI);
      g.fill();
    }
    if (visible <= 40) {
      g.fillStyle = "#1a1a1a";
      g.font = "12px sans-serif";
      for (var j = 0; j < nodes.length; j++) {
        if (shown.on[j]) { var q = at(nodes[j]); g.fillText(nodes[j][1], q[0] + 6, q[1] - 4); }
      }
    }
  }

  function line(g, a, b) {
    var p = at(a), q = at(b);
    g.moveTo(p[0], p[1]);
    g.lineTo(q[0], q[1]);
  }

  // The points on the map as links, for keyboards and screen readers (when few enough).
  function describe() {
    var nodes = data.nodes, items = [], orgs = 0, services = 0;
    for (var i = 0; i < nodes.length; i++) {
      if (!shown.on[i]) { continue; }
      if (nodes[i][2] === "organisation") { orgs++; } else if (nodes[i][2] !== "provider") { services++; }
      items.push(i);
    }
    status.textContent = list.getAttribute("data-status").replace("{n}", shown.edges.length)
      .replace("{o}", orgs).replace("{s}", services);
    list.textContent = "";
    if (items.length > LIST_AT_MOST) {
      var note = document.createElement("li");
      note.textContent = list.getAttribute("data-too-many").replace("{n}", items.length);
      list.appendChild(note);
      return;
    }
    items.forEach(function (i) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = nodes[i][6];
      link.textContent = nodes[i][1];
      item.appendChild(link);
      item.appendChild(document.createTextNode(" (" + list.getAttribute("data-role-" + nodes[i][2]) + ")"));
      list.appendChild(item);
    });
  }

  function apply() {
    var begin = performance.now();
    shown = select(chosen());
    resize();
    draw();
    describe();
    section.setAttribute("data-edges", String(shown.edges.length));
    requestAnimationFrame(function () {
      var times = window.connectionsTimes;
      if (times) { times.filtered = performance.now() - begin; times.filters++; }
    });
  }

  function nearest(x, y) {
    var best = -1, bestDistance = 64;  // within 8 CSS pixels
    for (var i = 0; i < data.nodes.length; i++) {
      if (!shown.on[i]) { continue; }
      var p = at(data.nodes[i]), d = (p[0] - x) * (p[0] - x) + (p[1] - y) * (p[1] - y);
      if (d < bestDistance) { best = i; bestDistance = d; }
    }
    return best;
  }

  function pointer(event) {
    var box = canvas.getBoundingClientRect();
    return nearest(event.clientX - box.left, event.clientY - box.top);
  }

  canvas.addEventListener("click", function (event) {
    if (!data) { return; }
    var i = pointer(event);
    if (i >= 0) { window.location.href = data.nodes[i][6]; }
  });
  canvas.addEventListener("mousemove", function (event) {
    if (!data) { return; }
    var i = pointer(event);
    canvas.style.cursor = i >= 0 ? "pointer" : "default";
    canvas.title = i >= 0 ? data.nodes[i][1] : "";
  });
  FIELDS.forEach(function (field) {
    form.elements[field].addEventListener("change", function () {
      if (!data) { return; }
      apply();
      // The address says what the map shows, so a reload or a shared link shows it too.
      var params = new URLSearchParams();
      var values = chosen();
      FIELDS.forEach(function (f) { if (values[f]) { params.set(f, values[f]); } });
      var query = params.toString();
      history.replaceState(null, "", window.location.pathname + (query ? "?" + query : ""));
      // The download takes the map's filters too; the table follows on the form's button.
      var download = document.querySelector("a[download][type='text/csv']");
      if (download) { download.href = window.location.pathname + ".csv" + (query ? "?" + query : ""); }
    });
  });
  window.addEventListener("resize", function () { if (data) { apply(); } });

  // Where a node is drawn, in page coordinates (tests click it there).
  window.connectionsMap = {
    position: function (iri) {
      var i = index[iri];
      if (i === undefined || !shown || !shown.on[i]) { return null; }
      var box = canvas.getBoundingClientRect(), p = at(data.nodes[i]);
      return { x: box.left + p[0], y: box.top + p[1] };
    }
  };
}());
