// Search a built site from Node exactly as its search page does, without a browser.
//
//   node scripts/pagefind_search.mjs [--all] SITE_DIR QUERY [QUERY ...]
//
// Loads the site's own pagefind/pagefind.js and assets/gongkai/search.js (the module the
// search page uses: every query runs segmented and as typed, merged), with <html lang="zh-CN">
// as on the page and fetch() answered from the disk. Prints one JSON line per query: the
// number of pages found, URL and title of the first ten (all with --all), and the bytes a
// browser downloads for the query: files not fetched by an earlier query (the HTTP cache),
// with the data of the first ten results, as the page shows them. The first query also
// pays for pagefind.js' entry file, metadata and WebAssembly.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

let args = process.argv.slice(2);
const all = args.includes("--all");
args = args.filter((a) => a !== "--all");
const [site, ...queries] = args;
if (!site || !queries.length) {
  console.error("usage: node pagefind_search.mjs [--all] SITE_DIR QUERY [QUERY ...]");
  process.exit(2);
}
const root = path.resolve(site);

// The page's <html lang="zh-CN">, which Pagefind reads (and search.js switches for a moment).
let lang = "zh-CN";
globalThis.document = {
  currentScript: null,
  querySelector: () => ({ getAttribute: () => lang, setAttribute: (_, v) => { lang = v; } }),
};

const cached = new Set();
let fetched = [];
globalThis.fetch = async (input) => {
  const url = typeof input === "string" ? input : input.url;
  const rel = decodeURIComponent(url.replace(/^https?:\/\/[^/]+\//, "").split("?")[0]);
  const data = await readFile(path.join(root, rel));
  if (!cached.has(rel)) {
    cached.add(rel);
    fetched.push({ path: rel, bytes: data.length });
  }
  return new Response(data, { status: 200 });
};

const base = "http://site.invalid/";
const pagefind = await import(pathToFileURL(path.join(root, "pagefind", "pagefind.js")).href);
const { createSearch, search, confirmed } = await import(pathToFileURL(path.join(root, "assets", "gongkai", "search.js")).href);
const instances = createSearch(pagefind, { basePath: `${base}pagefind/`, baseUrl: "/", noWorker: true });

for (const query of queries) {
  const found = await search(instances, query);
  // As the page shows them: candidates checked for the query's text, a page of results
  // (with --all: every candidate checked).
  const { items } = all ? await confirmed(found, query, 0, Infinity, Infinity) : await confirmed(found, query, 0);
  const results = items.map((data) => ({ url: data.url, title: data.meta && data.meta.title, meta: data.meta }));
  const files = fetched;
  fetched = [];
  console.log(JSON.stringify({
    query,
    count: found.length, // Pagefind's candidates, before the check
    results,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    files: files.map((f) => f.path),
  }));
}
