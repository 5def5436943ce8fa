// gongkai search: Pagefind's index, queried twice and merged. (An ES module; the search
// page imports it, and so does scripts/pagefind_search.mjs in the tests.)
//
// Why twice: Pagefind 1.5 splits a Chinese query into words with the browser's
// Intl.Segmenter, while the index was split by jieba when the site was built. Where the
// two disagree a query finds almost nothing (Pagefind/pagefind#1237): "行政复议" found 1
// of 15 pages containing it. Searched as typed (unsegmented) it finds all 15, but then
// "巴彦淖尔市" misses pages that the segmented query finds. So every query runs both ways
// and the results are merged, each page keeping its better score.

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
  const lists = await Promise.all(instances.map((i) => i.search(query)));
  const best = new Map();
  for (const list of lists) {
    for (const r of list.results) {
      const seen = best.get(r.id);
      if (!seen || r.score > seen.score) best.set(r.id, r);
    }
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
