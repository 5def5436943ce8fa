// The report builder (/builder/): regions or agencies x years x figures -> a table, a bar
// chart and exactly that table as CSV. Plain ES2017, no build step, no library.
// Data: builder/data/index.json when the page opens, then builder/data/<year>.json for
// the years chosen only (builder_data.py describes both). Every name and label from the
// data reaches the DOM through textContent or an attribute, never as markup.
(function () {
  "use strict";
  var root = document.getElementById("gk-builder");
  if (!root) return;
  root.hidden = false;
  var form = root.querySelector("form");
  var status = root.querySelector(".gk-builder-status");
  var csvLink = root.querySelector(".gk-builder-csv");
  var indexUrl = new URL(root.getAttribute("data-index"), document.baseURI);
  var MAX_CHOICES = 200, MAX_BARS = 40;
  var idx = null;           // the index
  var years = new Map();    // year -> Promise of its file
  var state = {mode: "region", sel: [], y: [], f: [], agg: "sum", ff: "", fo: "ge", fv: ""};
  var csvUrl = null;
  var openTables = new Set();  // the figure tables the reader opened (kept across redraws)

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS("http://www.w3.org/2000/svg", tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // ------------------------------------------------------------ the URL state
  function readHash() {
    var p = new URLSearchParams(location.hash.replace(/^#/, ""));
    if (!p.has("y")) return false;
    var list = function (k) { return (p.get(k) || "").split(",").filter(Boolean); };
    state.mode = p.get("mode") === "agency" ? "agency" : "region";
    state.sel = list("sel");
    state.y = list("y").map(Number).filter(function (y) { return idx.years.indexOf(y) >= 0; });
    state.f = list("f").filter(function (f) { return idx.figById.has(f); });
    state.agg = p.get("agg") === "rows" ? "rows" : "sum";
    state.ff = idx.figById.has(p.get("ff")) ? p.get("ff") : "";
    state.fo = ["ge", "le", "eq"].indexOf(p.get("fo")) >= 0 ? p.get("fo") : "ge";
    state.fv = p.get("fv") || "";
    return true;
  }
  function writeHash() {
    var p = new URLSearchParams();
    p.set("mode", state.mode); p.set("sel", state.sel.join(",")); p.set("y", state.y.join(","));
    p.set("f", state.f.join(",")); p.set("agg", state.agg);
    if (state.ff && state.fv !== "") { p.set("ff", state.ff); p.set("fo", state.fo); p.set("fv", state.fv); }
    history.replaceState(null, "", "#" + p.toString());
  }

  // ------------------------------------------------------------ the form
  function regionPath(key) {
    var names = [];
    for (var r = idx.regionByKey.get(key); r; r = idx.regionByKey.get(r[3])) names.unshift(r[1]);
    return names.join("");
  }
  function choiceItems() {
    return state.mode === "region"
      ? idx.regions.map(function (r) { return {key: r[0], name: r[1], depth: r[2], full: regionPath(r[0])}; })
      : idx.agencies.map(function (a) { return {key: a[0], name: a[1], depth: 1, full: a[1] + regionPath(a[2])}; });
  }
  function nameOf(key) {
    if (state.mode === "region") return regionPath(key) || key;
    var a = idx.agencyById.get(key);
    return a ? a[1] : key;
  }
  function drawChoices() {
    var box = root.querySelector(".gk-builder-choices");
    var q = root.querySelector(".gk-builder-filter").value.trim();
    box.textContent = "";
    var shown = 0, matched = 0;
    choiceItems().forEach(function (c) {
      if (q && c.full.indexOf(q) < 0) return;
      matched += 1;
      if (shown >= MAX_CHOICES) return;
      shown += 1;
      var label = el("label", {class: "gk-builder-choice", style: "padding-left:" + (c.depth - 1) * 1.2 + "em"});
      var box1 = el("input", {type: "checkbox", name: "sel", value: c.key});
      box1.checked = state.sel.indexOf(c.key) >= 0;
      label.appendChild(box1);
      label.appendChild(document.createTextNode(" " + c.name));
      box.appendChild(label);
    });
    if (matched > shown) box.appendChild(el("p", {class: "gk-builder-more"}, "还有 " + (matched - shown) + " 项，请输入名称缩小范围。"));
    if (!matched) box.appendChild(el("p", {class: "gk-builder-more"}, "没有名称含“" + q + "”的" + (state.mode === "region" ? "地区。" : "机关。")));
    drawPicked();
  }
  function drawPicked() {
    var p = root.querySelector(".gk-builder-picked");
    p.textContent = state.sel.length ? "已选：" : "尚未选择" + (state.mode === "region" ? "地区。" : "机关。");
    state.sel.forEach(function (key) {
      var b = el("button", {type: "button", class: "gk-builder-unpick", "data-key": key, "aria-label": "取消 " + nameOf(key)}, nameOf(key) + " ×");
      p.appendChild(b);
    });
  }
  function drawForm() {
    form.querySelector('input[name=mode][value="' + state.mode + '"]').checked = true;
    form.querySelector('input[name=agg][value="' + state.agg + '"]').checked = true;
    var yl = root.querySelector(".gk-builder-yearlist");
    yl.textContent = "";
    idx.years.forEach(function (y) {
      var l = el("label"), c = el("input", {type: "checkbox", name: "y", value: String(y)});
      c.checked = state.y.indexOf(y) >= 0;
      l.appendChild(c); l.appendChild(document.createTextNode(" " + y)); yl.appendChild(l);
    });
    var tl = root.querySelector(".gk-builder-tables");
    tl.textContent = "";
    idx.tables.forEach(function (t, ti) {
      // A table's figures a row a line, its columns side by side (table B: 26 rows x 7).
      var d = el("details", {"data-table": String(ti)}), s = el("summary");
      d.appendChild(s);
      var n = 0, line = null, lastRow = null;
      idx.figures.forEach(function (f) {
        if (f[1] !== ti) return;
        var cut = f[2].indexOf("｜"), row = cut < 0 ? f[2] : f[2].slice(0, cut), col = cut < 0 ? "" : f[2].slice(cut + 1);
        if (row !== lastRow) {
          line = el("div", {class: "gk-builder-figrow"});
          line.appendChild(el("span", {class: "gk-builder-rowlabel"}, row));
          d.appendChild(line);
          lastRow = row;
        }
        var l = el("label", {class: "gk-builder-fig", title: f[2]}), c = el("input", {type: "checkbox", name: "f", value: f[0]});
        c.checked = state.f.indexOf(f[0]) >= 0;
        if (c.checked) n += 1;
        l.appendChild(c); l.appendChild(document.createTextNode(" " + (col || "数值"))); line.appendChild(l);
      });
      d.open = openTables.has(ti);
      s.textContent = t[1] + (n ? "（已选 " + n + " 项）" : "");
      d.addEventListener("toggle", function () { if (d.open) openTables.add(ti); else openTables.delete(ti); });
      tl.appendChild(d);
    });
    drawChosenFigures();
    drawFilter();
    drawChoices();
  }
  function drawChosenFigures() {
    var p = root.querySelector(".gk-builder-chosen");
    p.textContent = state.f.length ? "已选数字：" : "尚未选择数字：展开下面的表格勾选。";
    state.f.forEach(function (id) {
      p.appendChild(el("button", {type: "button", class: "gk-builder-unpick", "data-fig": id,
        "aria-label": "取消 " + idx.figById.get(id)[2]}, idx.figById.get(id)[2] + " ×"));
    });
  }
  function drawFilter() {
    var ff = form.elements.ff;
    ff.textContent = "";
    ff.appendChild(el("option", {value: ""}, "不筛选"));
    state.f.forEach(function (id) { ff.appendChild(el("option", {value: id}, idx.figById.get(id)[2])); });
    if (state.f.indexOf(state.ff) < 0) state.ff = "";
    ff.value = state.ff;
    form.elements.fo.value = state.fo;
    form.elements.fv.value = state.fv;
  }

  form.addEventListener("change", function (e) {
    var t = e.target;
    if (t.name === "mode") { state.mode = t.value; state.sel = []; drawChoices(); }
    else if (t.name === "sel") {
      state.sel = state.sel.filter(function (k) { return k !== t.value; });
      if (t.checked) state.sel.push(t.value);
      drawPicked();
    } else if (t.name === "y") {
      state.y = Array.prototype.filter.call(form.querySelectorAll("input[name=y]"), function (c) { return c.checked; })
        .map(function (c) { return Number(c.value); });
    } else if (t.name === "f") {
      var on = new Set(Array.prototype.filter.call(form.querySelectorAll("input[name=f]"), function (c) { return c.checked; })
        .map(function (c) { return c.value; }));
      state.f = idx.figures.map(function (f) { return f[0]; }).filter(function (id) { return on.has(id); });
      var d = t.closest("details"), n = d.querySelectorAll("input[name=f]:checked").length;
      d.querySelector("summary").textContent = idx.tables[Number(d.getAttribute("data-table"))][1] + (n ? "（已选 " + n + " 项）" : "");
      drawChosenFigures();
      drawFilter();
    } else if (t.name === "agg") state.agg = t.value;
    else if (t.name === "ff" || t.name === "fo" || t.name === "fv") { state[t.name] = t.value; }
    else return;
    update();
  });
  form.addEventListener("input", function (e) {
    if (e.target.classList.contains("gk-builder-filter")) drawChoices();
    else if (e.target.name === "fv") { state.fv = e.target.value; update(); }
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  root.querySelector(".gk-builder-chosen").addEventListener("click", function (e) {
    var id = e.target.getAttribute && e.target.getAttribute("data-fig");
    if (!id) return;
    state.f = state.f.filter(function (f) { return f !== id; });
    drawForm();
    update();
  });
  root.querySelector(".gk-builder-picked").addEventListener("click", function (e) {
    var key = e.target.getAttribute && e.target.getAttribute("data-key");
    if (key === null || key === undefined) return;
    state.sel = state.sel.filter(function (k) { return k !== key; });
    drawChoices();
    update();
  });

  // ------------------------------------------------------------ the rows
  function yearData(y) {
    if (!years.has(y)) {
      years.set(y, fetch(new URL(y + ".json", indexUrl)).then(function (r) {
        if (!r.ok) throw new Error(y + ".json: HTTP " + r.status);
        return r.json();
      }).then(function (d) {
        d.pos = new Map(d.agencies.map(function (a, i) { return [a, i]; }));
        return d;
      }));
    }
    return years.get(y);
  }
  function inRegion(agencyIndex, key) {
    for (var k = idx.agencies[agencyIndex][2]; k; k = (idx.regionByKey.get(k) || [])[3]) if (k === key) return true;
    return false;
  }
  function groups() {
    // [label, [agency indexes]] per chosen region or, for agencies, one group of them all.
    if (state.mode === "region") {
      return state.sel.filter(function (k) { return idx.regionByKey.has(k); }).map(function (k) {
        return [regionPath(k), idx.agencies.map(function (_, i) { return i; }).filter(function (i) { return inRegion(i, k); })];
      });
    }
    var chosen = state.sel.map(function (id) { return idx.agencyPos.get(id); }).filter(function (i) { return i !== undefined; });
    return [["所选机关", chosen]];
  }
  function value(d, f, pos) {
    var col = d.values[f];
    var v = col ? col[pos] : null;
    return v === undefined ? null : v;
  }
  function build(files) {
    var head, rows = [];
    var gs = groups();
    if (state.agg === "rows") {
      head = ["机关", "地区", "年度"];
      var seen = new Set();
      gs.forEach(function (g) { g[1].forEach(function (i) { seen.add(i); }); });
      Array.from(seen).sort(function (a, b) { return a - b; }).forEach(function (i) {
        files.forEach(function (d) {
          var pos = d.pos.get(i);
          if (pos === undefined) return;
          var a = idx.agencies[i];
          rows.push([a[1], regionPath(a[2]), d.year].concat(state.f.map(function (f) { return value(d, f, pos); })));
        });
      });
    } else {
      head = [state.mode === "region" ? "地区" : "范围", "年度", "报告数"];
      gs.forEach(function (g) {
        files.forEach(function (d) {
          var here = g[1].map(function (i) { return d.pos.get(i); }).filter(function (p) { return p !== undefined; });
          rows.push([g[0], d.year, here.length].concat(state.f.map(function (f) {
            var sum = null;
            here.forEach(function (p) { var v = value(d, f, p); if (v !== null) sum = (sum || 0) + v; });
            return sum === null ? null : Math.round(sum * 10000) / 10000;  // amounts: 4 decimals of 万元
          })));
        });
      });
    }
    var lead = head.length;
    head = head.concat(state.f.map(function (f) { return idx.figById.get(f)[2]; }));
    var fv = parseFloat(state.fv);
    var dropped = 0;
    if (state.ff && state.fv !== "" && !isNaN(fv)) {
      var at = lead + state.f.indexOf(state.ff);
      rows = rows.filter(function (r) {
        var v = r[at];
        var keep = v !== null && (state.fo === "ge" ? v >= fv : state.fo === "le" ? v <= fv : v === fv);
        if (!keep) dropped += 1;
        return keep;
      });
    }
    return {head: head, rows: rows, lead: lead, dropped: dropped};
  }

  // ------------------------------------------------------------ table, chart, CSV
  function shown(v, figure) {
    // Figures with thousands separators (as the report pages show them); years and labels as they are.
    if (v === null) return "";
    return figure && typeof v === "number" ? v.toLocaleString("zh-CN", {maximumFractionDigits: 4}) : String(v);
  }
  function drawTable(t) {
    var out = root.querySelector(".gk-builder-out");
    out.textContent = "";
    if (!t.rows.length) return;
    var table = el("table", {class: "gk-table gk-builder-table"});
    var tr = el("tr");
    t.head.forEach(function (h, i) { tr.appendChild(el("th", {scope: "col", class: i >= t.lead ? "gk-num" : ""}, h)); });
    table.appendChild(el("thead")).appendChild(tr);
    var body = el("tbody");
    t.rows.forEach(function (r) {
      var row = el("tr");
      r.forEach(function (v, i) {
        var c = el(i === 0 ? "th" : "td", i === 0 ? {scope: "row"} : (i >= t.lead || typeof v === "number" ? {class: "gk-num"} : {}), shown(v, i >= t.lead));
        if (v === null) c.setAttribute("title", "空白：报告中为空白或无法辨认");
        row.appendChild(c);
      });
      body.appendChild(row);
    });
    table.appendChild(body);
    out.appendChild(table);
  }
  function drawChart(t) {
    // One horizontal bar per row for the first figure chosen (rows with a value; the first MAX_BARS).
    var box = root.querySelector(".gk-builder-chart");
    box.textContent = "";
    if (!t.rows.length || t.head.length <= t.lead) return;
    var bars = t.rows.filter(function (r) { return r[t.lead] !== null; }).slice(0, MAX_BARS);
    if (!bars.length) return;
    var max = Math.max.apply(null, bars.map(function (r) { return Math.abs(r[t.lead]); })) || 1;
    // Drawn at the box's own width, so that the labels keep their size on a phone.
    var W = Math.max(300, Math.min(720, box.clientWidth || 640)), LBL = Math.round(W * 0.36), NUM = 60, BH = 18, GAP = 4, TOP = 22;
    var H = TOP + bars.length * (BH + GAP);
    var s = svg("svg", {viewBox: "0 0 " + W + " " + H, class: "gk-builder-svg", role: "img",
      "aria-label": t.head[t.lead] + "（前 " + bars.length + " 行）"});
    s.appendChild(svg("text", {x: 0, y: 14, class: "gk-builder-svg-title"}, t.head[t.lead] + (t.rows.length > bars.length ? "（前 " + bars.length + " 行）" : "")));
    bars.forEach(function (r, i) {
      var y = TOP + i * (BH + GAP);
      // The year first: a long name is cut, the year must stay.
      var label = (t.head[2] === "年度" ? r[2] : r[1]) + " " + r[0];
      s.appendChild(svg("text", {x: LBL - 6, y: y + BH - 5, "text-anchor": "end"}, label.length > LBL / 12 ? label.slice(0, Math.floor(LBL / 12) - 1) + "…" : label));
      var w = Math.max(1, Math.abs(r[t.lead]) / max * (W - LBL - NUM));
      s.appendChild(svg("rect", {x: LBL, y: y, width: w.toFixed(1), height: BH, class: "gk-builder-bar"}));
      s.appendChild(svg("text", {x: LBL + w + 4, y: y + BH - 5}, shown(r[t.lead], true)));
    });
    box.appendChild(s);
  }
  function csvText(t) {
    var cell = function (v) {
      var s = v === null ? "" : String(v);
      // A name from a report that starts like a formula would run in Excel or WPS (as export.py).
      if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = "'" + s;
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    // As the wide CSVs: a BOM (Excel and WPS then read UTF-8) and CRLF line ends.
    return "\ufeff" + [t.head].concat(t.rows).map(function (r) { return r.map(cell).join(","); }).join("\r\n") + "\r\n";
  }
  function drawCsv(t) {
    if (csvUrl) URL.revokeObjectURL(csvUrl);
    csvUrl = null;
    csvLink.hidden = !t.rows.length;
    if (!t.rows.length) { csvLink.removeAttribute("href"); return; }
    csvUrl = URL.createObjectURL(new Blob([csvText(t)], {type: "text/csv;charset=utf-8"}));
    csvLink.href = csvUrl;
    csvLink.setAttribute("download", "gongkai-" + state.y.join("-") + ".csv");
  }

  var generation = 0;
  function update() {
    writeHash();
    var mine = ++generation;
    root.setAttribute("data-busy", "1");
    var missing = !state.sel.length ? (state.mode === "region" ? "请选择地区。" : "请选择机关。")
      : !state.y.length ? "请选择年度。" : !state.f.length ? "请选择数字。" : "";
    if (missing) {
      status.textContent = missing;
      drawTable({rows: []}); drawChart({rows: []}); drawCsv({rows: []});
      root.setAttribute("data-rows", "0"); root.setAttribute("data-busy", "0");
      return Promise.resolve();
    }
    status.textContent = "正在载入 " + state.y.join("、") + " 年的数据…";
    return Promise.all(state.y.slice().sort().map(yearData)).then(function (files) {
      if (mine !== generation) return;
      var t = build(files);
      drawTable(t); drawChart(t); drawCsv(t);
      status.textContent = t.rows.length + " 行" + (t.dropped ? "（筛选去掉 " + t.dropped + " 行）" : "") + "。";
      root.setAttribute("data-rows", String(t.rows.length));
      root.setAttribute("data-busy", "0");
    }).catch(function (err) {
      if (mine === generation) { status.textContent = "数据未能载入：" + err.message; root.setAttribute("data-busy", "0"); }
    });
  }

  fetch(indexUrl).then(function (r) {
    if (!r.ok) throw new Error("index.json: HTTP " + r.status);
    return r.json();
  }).then(function (d) {
    idx = d;
    idx.figById = new Map(d.figures.map(function (f) { return [f[0], f]; }));
    idx.regionByKey = new Map(d.regions.map(function (r) { return [r[0], r]; }));
    idx.agencyById = new Map(d.agencies.map(function (a) { return [a[0], a]; }));
    idx.agencyPos = new Map(d.agencies.map(function (a, i) { return [a[0], i]; }));
    if (!readHash()) {
      state.sel = d.regions.filter(function (r) { return r[2] === 1; }).map(function (r) { return r[0]; });
      state.y = d.years.slice(-1);
      state.f = d.defaults.filter(function (f) { return idx.figById.has(f); });
    }
    drawForm();
    window.addEventListener("hashchange", function () { if (readHash()) { drawForm(); update(); } });
    return update();
  }).then(function () { root.setAttribute("data-ready", "1"); }, function (err) {
    status.textContent = "数据未能载入：" + err.message;
  });
})();
