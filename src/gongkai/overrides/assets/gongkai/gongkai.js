/* gongkai: small enhancements, no dependencies. The pages work without this file. */
(function () {
  "use strict";

  // Sortable tables (year pages, quality page): click a header to sort by that column.
  function cellValue(row, i) {
    var cell = row.cells[i];
    if (!cell) return "";
    var v = cell.getAttribute("data-v");
    return v !== null ? v : cell.textContent.trim();
  }
  function sortBy(table, i, th) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var asc = th.getAttribute("aria-sort") !== "ascending";
    rows.sort(function (a, b) {
      var x = cellValue(a, i), y = cellValue(b, i);
      var nx = parseFloat(x), ny = parseFloat(y);
      var r = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y, "zh");
      return asc ? r : -r;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(th.parentNode.cells, function (c) { c.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.gk-sortable"), function (table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    if (!head) return;
    Array.prototype.forEach.call(head.cells, function (th, i) {
      th.tabIndex = 0;
      th.classList.add("gk-sort");
      th.addEventListener("click", function () { sortBy(table, i, th); });
      th.addEventListener("keydown", function (e) { if (e.key === "Enter") sortBy(table, i, th); });
    });
  });

  // The agency index: a name filter as you type (names, aliases and regions of each
  // agency are in its data-name; nothing is fetched).
  Array.prototype.forEach.call(document.querySelectorAll("input[data-filter]"), function (field) {
    var scope = document.querySelector(field.getAttribute("data-filter"));
    var status = document.querySelector(".gk-filter-status");
    if (!scope) return;
    var items = scope.querySelectorAll("li[data-name]");
    function norm(t) { return t.replace(/\s+/g, "").toLowerCase(); }
    function apply() {
      var q = norm(field.value), n = 0;
      Array.prototype.forEach.call(items, function (li) {
        var hit = !q || norm(li.getAttribute("data-name")).indexOf(q) !== -1;
        li.hidden = !hit;
        if (hit) n++;
      });
      // A list with nothing left hides with its heading; a region with nothing left too.
      Array.prototype.forEach.call(scope.querySelectorAll("ul.gk-agencies"), function (ul) {
        var empty = !ul.querySelector("li[data-name]:not([hidden])");
        ul.hidden = empty;
        var head = ul.previousElementSibling;
        if (head && head.classList.contains("gk-region-path")) head.hidden = empty;
      });
      Array.prototype.forEach.call(scope.querySelectorAll("[data-filter-group]"), function (g) {
        g.hidden = !g.querySelector("li[data-name]:not([hidden])");
      });
      Array.prototype.forEach.call(scope.querySelectorAll(".gk-region-overview"), function (c) { c.hidden = !!q; });
      if (status) {
        status.hidden = !q;
        status.textContent = q ? (n ? "找到 " + n + " 个机关" : "没有名称包含“" + field.value.trim() + "”的机关") : "";
      }
    }
    field.addEventListener("input", apply);
    if (field.value) apply();
  });

  // The search page: Pagefind's index from the site's own /pagefind/ folder.
  var box = document.getElementById("gk-search");
  if (!box) return;
  var root = document.currentScript.src.replace(/assets\/gongkai\/gongkai\.js.*$/, "");
  var form = box.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector(".gk-search-status");
  var list = box.querySelector(".gk-search-results");
  var more = box.querySelector(".gk-search-more");
  var engine = null, results = [], current = 0;

  // Pagefind's excerpts are escaped text with <mark> around hits; copy only text and marks.
  function excerpt(html) {
    var t = document.createElement("template");
    t.innerHTML = html;
    var p = document.createElement("p");
    t.content.childNodes.forEach(function (n) {
      if (n.nodeType === 3) p.appendChild(document.createTextNode(n.textContent));
      else if (n.nodeName === "MARK") {
        var m = document.createElement("mark");
        m.textContent = n.textContent;
        p.appendChild(m);
      }
    });
    return p;
  }
  // One agency's results: its name (to the agency page), region, the years found (newest
  // first) and the best page's excerpt.
  function group(g) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    var agencyPage = g.pages.filter(function (d) { return !(d.meta && d.meta["年度"]); })[0];
    var best = g.best;
    a.href = (agencyPage || best).url;
    a.textContent = g.name;
    li.appendChild(a);
    var facts = document.createElement("p");
    facts.className = "gk-search-facts";
    if (g.region) facts.appendChild(document.createTextNode(g.region + " · "));
    var years = g.pages.filter(function (d) { return d.meta && d.meta["年度"]; });
    if (years.length) {
      facts.appendChild(document.createTextNode("年度报告："));
      years.forEach(function (d, i) {
        if (i) facts.appendChild(document.createTextNode(" · "));
        var y = document.createElement("a");
        y.href = d.url;
        y.textContent = d.meta["年度"];
        facts.appendChild(y);
      });
    } else {
      facts.appendChild(document.createTextNode("机关页面"));
    }
    li.appendChild(facts);
    li.appendChild(excerpt(best.excerpt || ""));
    return li;
  }
  var shownItems = [];
  function showMore(run) {
    more.hidden = true;
    return engine.then(function (e) {
      return e.s.confirmed(results, lastQuery, checked);
    }).then(function (got) {
      if (run !== current) return;
      checked = got.next;
      got.items.forEach(function (d) { d.rank = shownItems.length; shownItems.push(d); });
      return engine.then(function (e) {
        list.textContent = "";
        e.s.groupByAgency(shownItems).forEach(function (g) {
          g.best = g.pages.slice().sort(function (x, y) { return x.rank - y.rank; })[0];
          list.appendChild(group(g));
        });
        var done = checked >= results.length;
        more.hidden = done;
        if (!shownItems.length && done) status.textContent = "没有找到包含“" + lastQuery + "”的页面";
        else if (!shownItems.length) status.textContent = "没有找到包含“" + lastQuery + "”的页面（已查看前 " + checked + " 个候选，可继续查找）";
        else status.textContent = "找到 " + shownItems.length + (done ? "" : "+") + " 个页面，按机关分组，新的年度在前";
      });
    });
  }
  var lastQuery = "", checked = 0;
  function run(query) {
    var id = ++current;
    list.textContent = "";
    more.hidden = true;
    shownItems = [];
    checked = 0;
    lastQuery = query;
    if (!query) { status.textContent = ""; return; }
    status.textContent = "正在搜索……";
    engine = engine || import(root + "pagefind/pagefind.js").then(function (pagefind) {
      return import(root + "assets/gongkai/search.js").then(function (s) {
        var opts = { basePath: root + "pagefind/" };
        return { s: s, instances: s.createSearch(pagefind, opts) };
      });
    });
    engine.then(function (e) { return e.s.search(e.instances, query); }).then(function (found) {
      if (id !== current) return;
      results = found;
      if (!found.length) { status.textContent = "没有找到包含“" + query + "”的页面"; return; }
      return showMore(id);
    }).catch(function () {
      status.textContent = "搜索出错，请稍后再试，或从机关列表查找。";
    });
  }
  more.addEventListener("click", function () { showMore(current); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var q = input.value.trim();
    history.replaceState(null, "", q ? "?q=" + encodeURIComponent(q) : location.pathname);
    run(q);
  });
  var q = new URLSearchParams(location.search).get("q");
  if (q) { input.value = q; run(q.trim()); }
})();
