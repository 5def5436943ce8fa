// gongkai search: Pagefind's index, queried as typed and, when that finds little,
// segmented too, the results merged. (An ES module; the search page imports it, and so
// does scripts/pagefind_search.mjs in the tests.)
//
// Why two ways: Pagefind 1.5 splits a Chinese query into words with the browser's
// Intl.Segmenter, while the index was split by jieba when the site was built. Where the
// two disagree a query finds almost nothing (Pagefind/pagefind#1237): "行政复议" found 1
// of 15 pages containing it, and "巴彦淖尔市" none of 70 in a 10,000-report site. Searched
// as typed (unsegmented) it finds them all, but on a small site it missed pages the
// segmented query found.
//
// Why as typed first: a segmented query downloads the index chunk of every word it is
// split into, and the words of a common phrase ("依申请公开": 依, 申请, 公开) are on every
// page, so their chunks are the largest: at 10,000 reports 114 KB against 18 KB for the
// phrase as typed. So the segmented query runs only when the typed one fills less than a
// page of results, where its extra pages matter.

export const ENOUGH = 10; // results on the first page of the search page
const UNSEGMENTED = "und"; // a language tag Pagefind does not segment; its index falls back to zh

// Pagefind reads the search language from <html lang> when an instance is created.
function withLang(lang, make) {
  const html = globalThis.document.querySelector("html");
  const original = html.getAttribute("lang");
  if (lang) html.setAttribute("lang", lang);
  try {
    return make();
  } finally {
    html.setAttribute("lang", original);
  }
}

export function createSearch(pagefind, options) {
  return [
    withLang(null, () => pagefind.createInstance(options)), // as the page says: zh, segmented
    withLang(UNSEGMENTED, () => pagefind.createInstance(options)), // as typed
  ];
}

export async function search(instances, query) {
  const [segmented, typed] = instances;
  const lists = [await typed.search(query)];
  if (lists[0].results.length < ENOUGH) lists.push(await segmented.search(query));
  const best = new Map();
  for (const list of lists) {
    for (const r of list.results) {
      const seen = best.get(r.id);
      if (!seen || r.score > seen.score) best.set(r.id, r);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}

// Only pages that really contain what was asked. Pagefind matches a query's words by
// prefix and, for Chinese, after splitting it into words the index may not have: "平潭"
// found pages with only "平台", and a nonsense query ("xyz不存在") eight reports. Each
// candidate's text (the fragment the result list loads anyway) must contain every term
// of the query, white space ignored.
export const CHECK_LIMIT = 20; // candidates checked per page of results: bounds the bytes

export function norm(text) {
  return String(text || "").replace(/\s+/g, "").toLowerCase();
}

export function terms(query) {
  return String(query).split(/\s+/).map(norm).filter(Boolean);
}

export function contains(data, query) {
  const meta = data.meta || {};
  const hay = norm([data.content, meta.title, meta["地区"], meta["机关"]].join(" "));
  return terms(query).every((t) => hay.includes(t));
}

// From found[start], load candidates until `want` real matches or `limit` checked.
export async function confirmed(found, query, start, want = ENOUGH, limit = CHECK_LIMIT) {
  const items = [];
  let next = start;
  while (next < found.length && items.length < want && next - start < limit) {
    const batch = found.slice(next, Math.min(next + want - items.length, found.length, start + limit));
    next += batch.length;
    const all = await Promise.all(batch.map((r) => r.data()));
    for (const d of all) if (contains(d, query)) items.push(d);
  }
  return { items, next };
}

// Results grouped by agency (its pages together, the agency page first, then its reports
// newest year first), groups in the order of their best result.
export function groupByAgency(items) {
  const groups = new Map();
  for (const d of items) {
    const meta = d.meta || {};
    const key = meta["机关"] || d.url;
    if (!groups.has(key)) groups.set(key, { name: meta["机关"] || meta.title || d.url, region: meta["地区"] || "", pages: [] });
    groups.get(key).pages.push(d);
  }
  const year = (d) => Number((d.meta || {})["年度"] || 9999); // the agency page (no year) first
  for (const g of groups.values()) g.pages.sort((a, b) => year(b) - year(a));
  return [...groups.values()];
}
