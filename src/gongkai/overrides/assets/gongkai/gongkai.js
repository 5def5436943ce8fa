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

  // The search page: Pagefind's index from the site's own /pagefind/ folder.
  var box = document.getElementById("gk-search");
  if (!box) return;
  var root = document.currentScript.src.replace(/assets\/gongkai\/gongkai\.js.*$/, "");
  var form = box.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = box.querySelector(".gk-search-status");
  var list = box.querySelector(".gk-search-results");
  var more = box.querySelector(".gk-search-more");
  var PAGE = 10;
  var engine = null, results = [], shown = 0, current = 0;

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
  function item(data) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = data.url;
    a.textContent = (data.meta && data.meta.title) || data.url;
    li.appendChild(a);
    var facts = [data.meta && data.meta["地区"], data.meta && data.meta["年度"]].filter(Boolean);
    if (facts.length) {
      var f = document.createElement("p");
      f.className = "gk-search-facts";
      f.textContent = facts.join(" · ");
      li.appendChild(f);
    }
    li.appendChild(excerpt(data.excerpt || ""));
    return li;
  }
  function showMore(run) {
    var batch = results.slice(shown, shown + PAGE);
    shown += batch.length;
    more.hidden = shown >= results.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (all) {
      if (run !== current) return;
      all.forEach(function (d) { list.appendChild(item(d)); });
    });
  }
  function run(query) {
    var id = ++current;
    list.textContent = "";
    more.hidden = true;
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
      shown = 0;
      status.textContent = found.length ? "找到 " + found.length + " 个页面" : "没有找到包含“" + query + "”的页面";
      return showMore(id);
    }).catch(function (err) {
      status.textContent = "搜索出错：" + err;
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
