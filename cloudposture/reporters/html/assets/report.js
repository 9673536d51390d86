/* cloudposture report: renders the estate from the JSON in #cp-data.
   Every value from the data reaches the page as a text node or an attribute set through the
   DOM, never as markup, so a cluster name or message cannot inject anything. */
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("cp-data").textContent);
  var C = 0, R = 1, S = 2, V = 3, M = 4, E = 5, X = 6, RF = 7, SU = 8, FS = 9, CH = 10;
  var PASS = 0, FAIL = 1, ERROR = 2, NA = 3, MUTED = 4;
  var STATUS_WORD = ["PASS", "FAIL", "ERROR", "N/A", "MUTED"];
  var SEV = D.severities; /* info .. critical */
  var SEV_LETTER = ["I", "L", "M", "H", "C"];
  var SYMBOL = ["\u2713", null, "!", "\u2013", "~"];
  var PAGE = 100;

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "cls") node.className = v;
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(node, arguments[i]);
    return node;
  }
  function add(node) {
    for (var i = 1; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      if (Array.isArray(child)) child.forEach(function (c) { add(node, c); });
      else node.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }
  function $(id) { return document.getElementById(id); }
  var SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = String(text);
    return node;
  }
  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }
  function day(iso) { return iso ? iso.slice(0, 10) : ""; }

  /* ---- model ---------------------------------------------------------------------------- */
  var rules = D.rules;
  var groupIndex = {};
  D.groups.forEach(function (g, i) { groupIndex[g.key] = i; });
  var clusters = D.clusters.map(function (c, i) {
    var tags = Object.keys(c[5]).map(function (k) { return k + "=" + c[5][k]; });
    return {
      i: i, provider: c[0], account: c[1], region: c[2], name: c[3], id: c[4], tags: tags,
      loc: c[0] + " \u00b7 " + c[1] + " \u00b7 " + c[2],
      hay: (c[3] + " " + c[4] + " " + tags.join(" ")).toLowerCase(),
      cells: rules.map(function () { return -1; }), worst: -1, fails: 0, errors: 0, current: false
    };
  });
  D.findings.forEach(function (f, i) {
    var c = clusters[f[C]];
    c.cells[f[R]] = i;
    c.current = true;
    if (f[S] === FAIL) { c.fails++; if (f[V] > c.worst) c.worst = f[V]; }
    if (f[S] === ERROR) c.errors++;
  });
  function finding(ref) { return ref.prior ? D.prior[ref.i] : D.findings[ref.i]; }
  function text(i) { return i < 0 ? "" : D.texts[i]; }
  function msg(f) { return f[M] < 0 ? "" : D.messages[f[M]]; }
  function statusText(f) { return f[S] === FAIL ? "FAIL " + SEV[f[V]] : STATUS_WORD[f[S]]; }
  function changeOf(f) { return D.changes[f[CH]] || ""; }

  /* ---- filters ---------------------------------------------------------------------------- */
  var state = { provider: "", account: "", region: "", q: "", group: "", rule: "", severity: "",
                status: "", change: "", sort: "location", fsort: "severity", fdir: -1,
                mpage: 0, fpage: 0 };
  function uniq(values) { return Array.from(new Set(values)).sort(); }
  function options(select, first, values) {
    clear(select);
    add(select, el("option", { value: "", text: first }));
    values.forEach(function (v) {
      var value = Array.isArray(v) ? v[0] : v, label = Array.isArray(v) ? v[1] : v;
      add(select, el("option", { value: value, text: label }));
    });
  }
  options($("f-provider"), "all providers", uniq(clusters.map(function (c) { return c.provider; })));
  options($("f-account"), "all accounts", uniq(clusters.map(function (c) { return c.account; })));
  options($("f-region"), "all regions", uniq(clusters.map(function (c) { return c.region; })));
  options($("f-group"), "all rows", D.groups.map(function (g) { return [g.key, g.label + " \u2013 " + g.title]; }));
  options($("f-rule"), "all rules", rules.map(function (r) { return [r.id, r.id + " " + r.title]; }));
  options($("f-severity"), "any severity", SEV.slice().reverse());
  options($("f-status"), "any status", [["attention", "needs attention (FAIL, ERROR, MUTED)"],
    ["1", "FAIL"], ["2", "ERROR"], ["4", "MUTED"], ["0", "PASS"], ["3", "N/A"]]);
  if (D.history) {
    $("f-change-label").hidden = false;
    options($("f-change"), "any change", ["new", "regressed", "persisting", "resolved", "stale"]);
  }

  function clusterOk(c) {
    return (!state.provider || c.provider === state.provider) &&
      (!state.account || c.account === state.account) &&
      (!state.region || c.region === state.region) &&
      (!state.q || c.hay.indexOf(state.q) >= 0);
  }
  function ruleOk(ri) {
    return (!state.rule || rules[ri].id === state.rule) &&
      (!state.group || rules[ri].group === state.group);
  }
  function statusOk(f) {
    if (!state.status) return true;
    if (state.status === "attention") return f[S] === FAIL || f[S] === ERROR || f[S] === MUTED;
    return f[S] === Number(state.status);
  }
  function findingOk(f, withStatus) {
    return clusterOk(clusters[f[C]]) && ruleOk(f[R]) &&
      (!state.severity || SEV[f[V]] === state.severity) &&
      (!withStatus || statusOk(f)) && (!state.change || changeOf(f) === state.change);
  }
  var narrowing = function () { return state.severity || state.status || state.change; };

  /* ---- header, KPIs, coverage ------------------------------------------------------------ */
  function header() {
    var s = D.scan;
    $("meta").textContent = "Scan " + s.id + " \u00b7 " + s.started.replace("T", " ").slice(0, 16) +
      " UTC \u00b7 " + s.providers.join(", ") + " \u00b7 " + s.tool + " " + s.version +
      (D.history ? " \u00b7 config " + D.history.config : "");
    var st = $("state");
    st.className = "state " + (s.complete ? "ok" : "bad");
    st.textContent = s.complete ? "Scan complete" : "Scan INCOMPLETE";
  }
  function visibleCoverage() {
    return D.coverage.filter(function (c) {
      return c.status !== "ok" && (!state.provider || c.provider === state.provider) &&
        (!state.account || c.account === state.account) &&
        (!state.region || c.region === state.region || c.region === "*");
    });
  }
  function kpis(list, cl) {
    var fails = 0, bySev = [0, 0, 0, 0, 0], errors = 0, muted = 0, hit = new Set();
    list.forEach(function (f) {
      if (f[S] === FAIL) { fails++; bySev[f[V]]++; hit.add(f[C]); }
      else if (f[S] === ERROR) errors++;
      else if (f[S] === MUTED) muted++;
    });
    var cov = visibleCoverage();
    var targets = cov.filter(function (c) { return !c.cluster; }).length;
    var unread = cov.length - targets;
    var accounts = new Set(cl.map(function (c) { return c.provider + c.account; })).size;
    var cards = [
      card("Clusters", cl.length, plural(accounts, "account") + ", " +
        plural(new Set(cl.map(function (c) { return c.region; })).size, "region"), ""),
      card("Failing", fails, bySev[4] + " critical \u00b7 " + bySev[3] + " high \u00b7 " +
        bySev[2] + " medium", fails ? "bad" : "ok"),
      card("Clusters failing", hit.size, "of " + cl.length + " shown", hit.size ? "bad" : "ok"),
      card("Not read", targets + unread, plural(targets, "target") + " \u00b7 " +
        plural(unread, "cluster") + " unreadable", targets + unread ? "bad" : "ok"),
      card("Cannot judge", errors, "ERROR findings", errors ? "warn" : "ok"),
      card("Muted", muted, "accepted, with an owner", "")
    ];
    if (D.history) {
      var n = D.history.counts;
      cards.push(card("New or regressed", (n.new || 0) + (n.regressed || 0),
        (n.regressed || 0) + " regressed \u00b7 " + (n.resolved || 0) + " resolved \u00b7 " +
        (n.stale || 0) + " stale", (n.new || n.regressed) ? "bad" : "ok"));
    }
    add(clear($("kpis")), cards);
  }
  function card(label, value, note, tone) {
    return el("div", { cls: "kpi " + tone, role: "group", "aria-label": label + ": " + value + ", " + note },
      el("div", { cls: "kpi-label", text: label }), el("div", { cls: "kpi-value", text: value }),
      el("div", { cls: "kpi-note", text: note }));
  }
  function coverage() {
    var rows = D.coverage.filter(function (c) { return c.status !== "ok"; });
    $("coverage-section").hidden = rows.length === 0;
    if (!rows.length) return;
    var table = clear($("coverage"));
    add(table, el("caption", { cls: "sr-only", text: "Targets and clusters that could not be read" }));
    add(table, el("thead", null, el("tr", null, ["Provider", "Account", "Region", "Cluster", "Status", "Reason"].map(
      function (h) { return el("th", { scope: "col", text: h }); }))));
    add(table, el("tbody", null, rows.map(function (c) {
      return el("tr", null, el("td", { text: c.provider }), el("td", { text: c.account }),
        el("td", { text: c.region }), el("td", { text: c.cluster || "(whole target)" }),
        el("td", { text: c.status === "error" ? "not read" : c.status }),
        el("td", { cls: "reason", text: c.reason }));
    })));
  }

  /* ---- charts ----------------------------------------------------------------------------- */
  var SEV_ORDER = [4, 3, 2, 1, 0];
  function barChart(fig, title, bars) {
    clear(fig);
    var max = Math.max(1, Math.max.apply(null, bars.map(function (b) { return b.total; })));
    var rowH = 28, labelW = 130, width = 600, barW = width - labelW - 60;
    var root = svg("svg", { viewBox: "0 0 " + width + " " + (bars.length * rowH + 6), width: width,
      height: bars.length * rowH + 6, role: "img",
      "aria-label": title + ": " + bars.map(function (b) { return b.label + " " + b.total; }).join(", ") });
    bars.forEach(function (b, i) {
      var y = i * rowH + 4, x = labelW;
      root.appendChild(svg("text", { x: labelW - 8, y: y + 15, "text-anchor": "end", "class": "axis" }, b.label));
      b.segments.forEach(function (s) {
        if (!s.value) return;
        var w = Math.max(2, s.value / max * barW);
        var r = svg("rect", { x: x, y: y, width: w, height: rowH - 8, "class": s.cls });
        r.appendChild(svg("title", {}, b.label + ": " + s.value + " " + s.name));
        root.appendChild(r);
        x += w;
      });
      root.appendChild(svg("text", { x: x + 6, y: y + 15, "class": "val" }, b.total));
    });
    add(fig, el("figcaption", { text: title }), root);
  }
  function charts(list) {
    var byGroup = D.groups.map(function () { return [0, 0, 0, 0, 0]; });
    var bySev = [0, 0, 0, 0, 0];
    list.forEach(function (f) {
      if (f[S] !== FAIL) return;
      byGroup[groupIndex[rules[f[R]].group]][f[V]]++;
      bySev[f[V]]++;
    });
    barChart($("chart-rows"), "Failing findings per table row", D.groups.map(function (g, i) {
      return { label: g.short || g.label, total: byGroup[i].reduce(function (a, b) { return a + b; }, 0),
        segments: SEV_ORDER.map(function (v) { return { value: byGroup[i][v], cls: "sev" + v, name: SEV[v] }; }) };
    }));
    barChart($("chart-sev"), "Failing findings per severity", SEV_ORDER.map(function (v) {
      return { label: SEV[v], total: bySev[v], segments: [{ value: bySev[v], cls: "sev" + v, name: SEV[v] }] };
    }));
  }
  function trend() {
    var fig = $("chart-trend");
    if (!D.history || !D.history.trend.length) return;
    fig.hidden = false;
    var pts = D.history.trend, width = 1200, height = 230, left = 44, bottom = 36, top = 12;
    var totals = pts.map(function (p) {
      return SEV_ORDER.reduce(function (a, v) { return a + (p.failing[SEV[v]] || 0); }, 0);
    });
    var max = Math.max(1, Math.max.apply(null, totals));
    var step = (width - left - 10) / pts.length, bw = Math.min(48, step * 0.6);
    var root = svg("svg", { viewBox: "0 0 " + width + " " + height, width: width, height: height,
      role: "img", "aria-label":
      "Failing findings over the last " + pts.length + " runs: " + pts.map(function (p, i) {
        return day(p.at) + " " + totals[i]; }).join(", ") });
    var h = height - bottom - top;
    [0, 0.5, 1].forEach(function (t) {
      var y = top + h - t * h;
      root.appendChild(svg("line", { x1: left, x2: width - 4, y1: y, y2: y, "class": "grid" }));
      root.appendChild(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", "class": "axis" }, Math.round(max * t)));
    });
    pts.forEach(function (p, i) {
      var x = left + i * step + (step - bw) / 2, y = top + h;
      SEV_ORDER.slice().reverse().forEach(function (v) {
        var n = p.failing[SEV[v]] || 0;
        if (!n) return;
        var hh = n / max * h;
        y -= hh;
        var r = svg("rect", { x: x, y: y, width: bw, height: hh, "class": "sev" + v });
        r.appendChild(svg("title", {}, day(p.at) + ": " + n + " " + SEV[v] + " failing"));
        root.appendChild(r);
      });
      root.appendChild(svg("text", { x: x + bw / 2, y: y - 4, "text-anchor": "middle", "class": "val" }, totals[i]));
      root.appendChild(svg("text", { x: x + bw / 2, y: height - bottom + 16, "text-anchor": "middle",
        "class": "axis" + (p.complete ? "" : " incomplete") }, day(p.at).slice(5) + (p.complete ? "" : "*")));
    });
    add(clear(fig), el("figcaption", { text: "Failing findings by severity, last " + plural(pts.length, "run") +
      (pts.some(function (p) { return !p.complete; }) ? " (* run was incomplete)" : "") }), root);
  }

  /* ---- changes ------------------------------------------------------------------------------ */
  function changes() {
    var h = D.history;
    if (!h) return;
    $("changes-section").hidden = false;
    $("changes-meta").textContent = h.previous ? "Since run " + h.previous + " (" +
      h.previous_at.replace("T", " ").slice(0, 16) + " UTC)." : "First run of config " + h.config + ": everything open is new.";
    var box = clear($("changes"));
    [["new", "New", "bad"], ["regressed", "Regressed", "bad"], ["resolved", "Resolved", "ok"],
     ["stale", "Stale (could not be judged, still open)", "warn"]].forEach(function (kind) {
      var refs = [];
      D.findings.forEach(function (f, i) { if (changeOf(f) === kind[0]) refs.push({ i: i }); });
      D.prior.forEach(function (f, i) { if (changeOf(f) === kind[0]) refs.push({ i: i, prior: true }); });
      var shown = refs.slice(0, 8);
      add(box, el("div", { cls: "change " + kind[2] },
        el("div", { cls: "change-head" }, el("span", { cls: "change-n", text: refs.length }), el("span", { text: kind[1] })),
        shown.length ? el("ul", null, shown.map(function (ref) {
          var f = finding(ref), c = clusters[f[C]];
          return el("li", null, el("button", { type: "button", cls: "link", "data-ref": (ref.prior ? "p" : "f") + ref.i,
            text: rules[f[R]].id + " \u00b7 " + c.name }), " ", el("span", { cls: "pill sev" + f[V], text: SEV[f[V]] }));
        })) : el("p", { cls: "hint", text: "none" }),
        refs.length > shown.length ? el("button", { type: "button", cls: "link more", "data-change": kind[0],
          text: "all " + refs.length + " in the findings list" }) : null));
    });
  }

  /* ---- matrix ------------------------------------------------------------------------------- */
  function legend() {
    var items = [[PASS, 0, "PASS"], [FAIL, 4, "FAIL critical"], [FAIL, 3, "FAIL high"], [FAIL, 2, "FAIL medium"],
      [FAIL, 1, "FAIL low"], [FAIL, 0, "FAIL info"], [ERROR, 0, "ERROR: could not judge"], [NA, 0, "not applicable"],
      [MUTED, 0, "MUTED"]];
    add(clear($("legend")), items.map(function (it) {
      return el("span", { cls: "leg" }, el("span", { cls: "cell s" + it[0] + (it[0] === FAIL ? " sev" + it[1] : ""),
        "aria-hidden": "true", text: it[0] === FAIL ? SEV_LETTER[it[1]] : SYMBOL[it[0]] }), " " + it[2]);
    }));
  }
  function sortClusters(list) {
    var by = {
      location: function (a, b) { return a.loc < b.loc ? -1 : a.loc > b.loc ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0; },
      name: function (a, b) { return a.name < b.name ? -1 : a.name > b.name ? 1 : 0; },
      worst: function (a, b) { return b.worst - a.worst || b.fails - a.fails || by.location(a, b); },
      fails: function (a, b) { return b.fails - a.fails || b.worst - a.worst || by.location(a, b); }
    };
    return list.sort(by[state.sort]);
  }
  function matrix(visibleClusters, cols) {
    var table = clear($("matrix"));
    var pages = Math.max(1, Math.ceil(visibleClusters.length / PAGE));
    state.mpage = Math.min(state.mpage, pages - 1);
    var page = visibleClusters.slice(state.mpage * PAGE, (state.mpage + 1) * PAGE);
    add(table, el("caption", { cls: "sr-only", text: "Each cluster (rows) against each rule (columns), grouped by infrastructure-table row. Arrow keys move between cells; Enter opens a finding." }));
    var groupRow = el("tr", null, el("th", { scope: "col", rowspan: 2, cls: "corner", text: "Cluster" }),
      el("th", { scope: "col", rowspan: 2, cls: "num", title: "FAIL findings in this cluster", text: "Fail" }));
    var ruleRow = el("tr");
    D.groups.forEach(function (g) {
      var span = cols.filter(function (ri) { return rules[ri].group === g.key; });
      if (!span.length) return;
      add(groupRow, el("th", { scope: "colgroup", colspan: span.length, cls: "grp g-" + g.key, title: g.title, text: g.label }));
      span.forEach(function (ri, k) {
        add(ruleRow, el("th", { scope: "col", cls: "rule" + (k === 0 ? " first" : ""), title: rules[ri].id + ": " + rules[ri].title },
          el("span", { text: rules[ri].id })));
      });
    });
    add(table, el("thead", null, groupRow, ruleRow));
    var body = el("tbody"), last = null, r = 0;
    page.forEach(function (c) {
      if (state.sort === "location" && c.loc !== last) {
        last = c.loc;
        var inLoc = visibleClusters.filter(function (x) { return x.loc === c.loc; }).length;
        add(body, el("tr", { cls: "loc" }, el("th", { scope: "rowgroup", colspan: cols.length + 2,
          text: c.loc + " \u2014 " + plural(inLoc, "cluster") })));
      }
      var tr = el("tr", null, el("th", { scope: "row", cls: "cname", title: c.id },
        el("span", { cls: "n", text: c.name }), state.sort === "location" ? null : el("span", { cls: "sub", text: c.loc })),
        el("td", { cls: "num" + (c.fails ? " has" : ""), text: c.fails || "" }));
      cols.forEach(function (ri, k) {
        var fi = c.cells[ri], td = el("td", { cls: k === 0 || rules[ri].group !== rules[cols[k - 1]].group ? "first" : null });
        if (fi < 0) { add(td, el("span", { cls: "cell none", title: "not evaluated", text: "" })); add(tr, td); return; }
        var f = D.findings[fi];
        var label = c.name + " " + rules[ri].id + ": " + statusText(f) + ". " + msg(f);
        add(td, el("button", { type: "button", cls: "cell s" + f[S] + (f[S] === FAIL ? " sev" + f[V] : "") +
          (narrowing() && !findingOk(f, true) ? " dim" : ""), "data-ref": "f" + fi, "data-r": r, "data-c": k, "data-rule": rules[ri].id,
          tabindex: r === 0 && k === 0 ? 0 : -1, "aria-label": label, title: rules[ri].id + " \u00b7 " + statusText(f) + "\n" + msg(f),
          text: f[S] === FAIL ? SEV_LETTER[f[V]] : SYMBOL[f[S]] }));
        add(tr, td);
      });
      add(body, tr);
      r++;
    });
    if (!page.length) add(body, el("tr", null, el("td", { colspan: cols.length + 2, cls: "empty", text: "No cluster matches the filters." })));
    add(table, body);
    var firstCell = table.querySelector("button.cell");
    if (firstCell && !table.querySelector('button.cell[tabindex="0"]')) firstCell.tabIndex = 0;
    pager($("matrix-pager"), state.mpage, pages, visibleClusters.length, "cluster", function (p) { state.mpage = p; render(); });
  }
  function pager(nav, current, pages, total, noun, go) {
    clear(nav);
    if (pages <= 1) return;
    add(nav, el("button", { type: "button", disabled: current === 0, text: "\u2190 Previous", "aria-label": "Previous page" }),
      el("span", { text: "page " + (current + 1) + " of " + pages + " (" + plural(total, noun) + ")" }),
      el("button", { type: "button", disabled: current >= pages - 1, text: "Next \u2192", "aria-label": "Next page" }));
    nav.firstChild.addEventListener("click", function () { go(current - 1); });
    nav.lastChild.addEventListener("click", function () { go(current + 1); });
  }
  $("matrix").addEventListener("keydown", function (ev) {
    var t = ev.target;
    if (!t.dataset || t.dataset.r === undefined) return;
    var moves = { ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowDown: [1, 0], ArrowUp: [-1, 0],
      Home: [0, -1, true], End: [0, 1, true] };
    var m = moves[ev.key];
    if (!m) return;
    ev.preventDefault();
    var grid = {}, rows = 0, cols = 0;
    $("matrix").querySelectorAll("button.cell").forEach(function (b) {
      grid[b.dataset.r + "," + b.dataset.c] = b;
      rows = Math.max(rows, Number(b.dataset.r) + 1);
      cols = Math.max(cols, Number(b.dataset.c) + 1);
    });
    var r = Number(t.dataset.r), c = Number(t.dataset.c), best = null;
    if (m[0]) { /* the nearest cell in the next row that has one */
      for (var rr = r + m[0]; rr >= 0 && rr < rows && !best; rr += m[0]) {
        for (var d = 0; d < cols && !best; d++) best = grid[rr + "," + (c - d)] || grid[rr + "," + (c + d)];
      }
    } else { /* the next cell along the row (Home/End: the row's first/last) */
      for (var cc = m[2] ? (m[1] > 0 ? cols - 1 : 0) : c + m[1]; cc >= 0 && cc < cols && !best; cc += m[2] ? -m[1] : m[1]) {
        best = grid[r + "," + cc];
      }
    }
    if (best && best !== t) { t.tabIndex = -1; best.tabIndex = 0; best.focus(); }
  });

  /* ---- findings list ------------------------------------------------------------------------ */
  var anyFirst = D.findings.some(function (f) { return f[FS]; });
  var COLS = [["severity", "Severity"], ["status", "Status"], ["cluster", "Cluster"], ["rule", "Rule"],
    ["message", "Finding"]];
  if (anyFirst) COLS.push(["first", "First seen"]);
  if (D.history) COLS.push(["change", "Change"]);
  function sortKey(ref) {
    var f = finding(ref), c = clusters[f[C]];
    switch (state.fsort) {
      case "severity": return [f[S] === FAIL ? 1 : 0, f[V], -f[S]];
      case "status": return [f[S]];
      case "cluster": return [c.loc + "/" + c.name];
      case "rule": return [f[R]];
      case "message": return [msg(f)];
      case "first": return [f[FS] || ""];
      default: return [changeOf(f)];
    }
  }
  function cmp(a, b) {
    for (var i = 0; i < a.length; i++) { if (a[i] < b[i]) return -1; if (a[i] > b[i]) return 1; }
    return 0;
  }
  function findingsList() {
    var refs = [];
    D.findings.forEach(function (f, i) {
      if (!findingOk(f, true)) return;
      if (!state.status && !(f[S] === FAIL || f[S] === ERROR || f[S] === MUTED)) return;
      refs.push({ i: i });
    });
    if (state.change === "resolved" || state.change === "stale") {
      D.prior.forEach(function (f, i) { if (findingOk(f, false)) refs.push({ i: i, prior: true }); });
    }
    var keyed = refs.map(function (ref, n) { return { ref: ref, k: sortKey(ref), n: n }; });
    keyed.sort(function (a, b) { return state.fdir * cmp(a.k, b.k) || a.n - b.n; });
    var pages = Math.max(1, Math.ceil(keyed.length / PAGE));
    state.fpage = Math.min(state.fpage, pages - 1);
    var table = clear($("findings"));
    add(table, el("caption", { cls: "sr-only", text: "Findings matching the filters" }));
    add(table, el("thead", null, el("tr", null, COLS.map(function (col) {
      var sorted = state.fsort === col[0];
      return el("th", { scope: "col", "aria-sort": sorted ? (state.fdir > 0 ? "ascending" : "descending") : "none" },
        el("button", { type: "button", cls: "sort", "data-sort": col[0], text: col[1] + (sorted ? (state.fdir > 0 ? " \u25b2" : " \u25bc") : "") }));
    }))));
    var body = el("tbody");
    keyed.slice(state.fpage * PAGE, (state.fpage + 1) * PAGE).forEach(function (k) {
      var ref = k.ref, f = finding(ref), c = clusters[f[C]], rule = rules[f[R]];
      add(body, el("tr", null,
        el("td", null, el("span", { cls: "pill sev" + f[V], text: SEV[f[V]] })),
        el("td", null, el("span", { cls: "status s" + f[S], text: STATUS_WORD[f[S]] })),
        el("td", { cls: "where" }, el("span", { cls: "n", text: c.name }), el("span", { cls: "sub", text: c.loc })),
        el("td", null, el("button", { type: "button", cls: "link", "data-ref": (ref.prior ? "p" : "f") + ref.i,
          "aria-label": "Open " + rule.id + " on " + c.name, text: rule.id }), el("span", { cls: "sub", text: rule.title })),
        el("td", { cls: "msg", text: msg(f) }),
        anyFirst ? el("td", { cls: "date", text: f[FS] || "" }) : null,
        D.history ? el("td", null, changeOf(f) ? el("span", { cls: "chg " + changeOf(f), text: changeOf(f) }) : null) : null));
    });
    if (!keyed.length) add(body, el("tr", null, el("td", { colspan: COLS.length, cls: "empty", text: "No finding matches the filters." })));
    add(table, body);
    pager($("findings-pager"), state.fpage, pages, keyed.length, "finding", function (p) { state.fpage = p; render(); });
    return keyed.length;
  }
  $("findings").addEventListener("click", function (ev) {
    var b = ev.target.closest("button.sort");
    if (!b) return;
    if (state.fsort === b.dataset.sort) state.fdir = -state.fdir;
    else { state.fsort = b.dataset.sort; state.fdir = b.dataset.sort === "severity" ? -1 : 1; }
    render();
    var again = $("findings").querySelector('button.sort[data-sort="' + state.fsort + '"]');
    if (again) again.focus();
  });

  /* ---- detail --------------------------------------------------------------------------------- */
  function section(title) {
    var s = el("section", { cls: "d-sec" }, el("h3", { text: title }));
    for (var i = 1; i < arguments.length; i++) add(s, arguments[i]);
    return s;
  }
  function openDetail(ref) {
    var f = finding(ref), c = clusters[f[C]], rule = rules[f[R]];
    $("detail-title").textContent = rule.id + " \u00b7 " + rule.title;
    var body = clear($("detail-body"));
    add(body, el("p", { cls: "d-where" }, el("span", { cls: "status s" + f[S], text: STATUS_WORD[f[S]] }), " ",
      el("span", { cls: "pill sev" + f[V], text: SEV[f[V]] }), " ", el("strong", { text: c.name }), " ",
      el("span", { cls: "sub", text: c.loc })));
    add(body, el("p", { cls: "d-msg", text: msg(f) }));
    var facts = [];
    if (f[FS]) facts.push(["First seen", f[FS]]);
    if (changeOf(f)) facts.push(["Change", changeOf(f) + (ref.prior ? " (as last seen in the previous run)" : "")]);
    facts.push(["Cluster id", c.id]);
    if (c.tags.length) facts.push(["Tags", c.tags.join(", ")]);
    add(body, el("dl", { cls: "facts" }, facts.map(function (kv) { return [el("dt", { text: kv[0] }), el("dd", { text: kv[1] })]; })));
    if (f[SU] >= 0) {
      var s = D.suppressions[f[SU]];
      add(body, section("Muted", el("p", { text: s.reason + (s.owner ? " \u2014 owner " + s.owner : "") +
        (s.expires ? ", until " + s.expires : "") })));
    }
    if (f[E].length) {
      add(body, section("Evidence", el("table", { cls: "plain" }, el("thead", null, el("tr", null,
        el("th", { scope: "col", text: "Fact" }), el("th", { scope: "col", text: "Value" }), el("th", { scope: "col", text: "Read from" }))),
        el("tbody", null, f[E].map(function (e) {
          return el("tr", null, el("td", null, el("code", { text: text(e[0]) })), el("td", null, el("code", { text: JSON.stringify(e[1]) })),
            el("td", { cls: "src", text: text(e[2]) }));
        })))));
    }
    if (f[X] >= 0) {
      var fix = D.fixes[f[X]];
      add(body, section("Fix", el("p", { text: fix.summary }),
        fix.console ? el("div", { cls: "step" }, el("h4", { text: "Console" }), el("p", { text: fix.console })) : null,
        fix.cli ? el("div", { cls: "step" }, el("h4", { text: "CLI" }), el("pre", null, el("code", { text: fix.cli }))) : null,
        fix.terraform ? el("div", { cls: "step" }, el("h4", { text: "Terraform" }), el("pre", null, el("code", { text: fix.terraform }))) : null,
        fix.docs && fix.docs.length ? el("ul", { cls: "docs" }, fix.docs.map(function (u) {
          return el("li", null, /^https:\/\//.test(u) ? el("a", { href: u, rel: "noopener noreferrer", target: "_blank", text: u }) : u);
        })) : null));
    }
    if (f[RF] >= 0) {
      add(body, section("Benchmarks", el("ul", null, D.references[f[RF]].map(function (x) {
        return el("li", { text: x.benchmark + " " + x.version + " \u2014 " + x.control + (x.title ? ": " + x.title : "") });
      }))));
    }
    if (rule.rationale) add(body, section("Why it matters", el("p", { text: rule.rationale })));
    var dialog = $("detail");
    if (!dialog.open) { opener = document.activeElement; dialog.showModal(); }
    $("detail-close").focus();
  }
  var opener = null;
  $("detail").addEventListener("close", function () { if (opener && opener.focus) opener.focus(); });
  $("detail-close").addEventListener("click", function () { $("detail").close(); });
  $("detail").addEventListener("click", function (ev) { if (ev.target === $("detail")) $("detail").close(); });
  document.addEventListener("click", function (ev) {
    var b = ev.target.closest ? ev.target.closest("[data-ref]") : null;
    if (b) { var v = b.dataset.ref; openDetail({ i: Number(v.slice(1)), prior: v[0] === "p" }); return; }
    var more = ev.target.closest ? ev.target.closest("[data-change]") : null;
    if (more) { state.change = $("f-change").value = more.dataset.change; state.fpage = 0; render();
      $("findings-section").scrollIntoView(); }
  });

  /* ---- wiring ---------------------------------------------------------------------------------- */
  function render() {
    var visibleRules = rules.map(function (_, i) { return i; }).filter(ruleOk);
    var current = clusters.filter(function (c) { return c.current; });
    var cl = current.filter(clusterOk);
    var scoped = D.findings.filter(function (f) { return findingOk(f, false); });
    if (narrowing()) {
      var keep = new Set();
      scoped.forEach(function (f) { if (statusOk(f)) keep.add(f[C]); });
      cl = cl.filter(function (c) { return keep.has(c.i); });
    }
    kpis(D.findings.filter(function (f) { return clusterOk(clusters[f[C]]) && ruleOk(f[R]); }),
      current.filter(clusterOk));
    charts(scoped);
    matrix(sortClusters(cl), visibleRules);
    var n = findingsList();
    $("f-summary").textContent = "Showing " + plural(cl.length, "cluster") + " of " + current.length +
      ", " + plural(visibleRules.length, "rule") + " of " + rules.length + ", " + plural(n, "finding") + " in the list.";
  }
  var inputs = { "f-provider": "provider", "f-account": "account", "f-region": "region", "f-group": "group",
    "f-rule": "rule", "f-severity": "severity", "f-status": "status", "f-change": "change", "m-sort": "sort" };
  Object.keys(inputs).forEach(function (id) {
    $(id).addEventListener("change", function () { state[inputs[id]] = $(id).value; state.mpage = 0; state.fpage = 0; render(); });
  });
  var timer = null;
  $("f-q").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { state.q = $("f-q").value.trim().toLowerCase(); state.mpage = 0; state.fpage = 0; render(); }, 120);
  });
  $("f-reset").addEventListener("click", function () {
    ["provider", "account", "region", "q", "group", "rule", "severity", "status", "change"].forEach(function (k) { state[k] = ""; });
    Object.keys(inputs).forEach(function (id) { if (id !== "m-sort") $(id).value = ""; });
    $("f-q").value = "";
    render();
  });
  header();
  coverage();
  changes();
  legend();
  trend();
  render();
  document.body.setAttribute("data-ready", "true");
})();
