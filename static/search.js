// dsguide search, on Pagefind's JavaScript API (pagefind.js): the search dialog on every page, the faceted
// /search/ page, and the query rules both share. The search page loads it; other pages import it from
// site.js when a reader opens the dialog, and Pagefind itself only when they start to search.
//
// Query rules (answer): stop words are dropped; when no page has every remaining word, the pages with
// most of them are shown instead, and the reader is told; a misspelled word gets a did-you-mean from the
// words of the indexed pages (search-terms.json, written by the build). Excerpts lose the synonym glosses
// the build indexes beside the words (synonyms.py marks them ⟦…⟧).

const BUNDLE = new URL("../pagefind/pagefind.js", import.meta.url).href;
const VOCABULARY = new URL("../search-terms.json", import.meta.url).href;
// the facet groups in this order; any other filter the index holds follows them, A–Z
export const FILTER_NAMES = ["topic", "audience", "tag", "source", "kind"];
const GLOSS_OPEN = "\u27e6";
const GLOSS_CLOSE = "\u27e7";
const PAGE_SIZE = 10;
const DIALOG_SIZE = 8;
const MERGED_LIMIT = 50; // a question's results beyond these add nothing but requests

// Words that carry no subject: a question's "how", "should", "I", "to", "with"...
export const STOP_WORDS = new Set((
  "a about actually after again all also am an and any anyone are as at be because been before being best better between both but by can " +
  "could did do does doing done during each either else ever every few for from get gets getting give go goes " +
  "going good got had has have having he her here hers him his how i if im in into is it its itself just let lets " +
  "like me might more most much must my myself no nor of off on once one only or other our ours out over own " +
  "please really right same shall she should so some someone something such than that thats the their theirs them then there these they thing things tips " +
  "this those through to too under until up us very via was way ways we were what whats when where whether " +
  "which while who whom whose why will with within without would you youre your yours yourself"
).split(" "));

let loading = null;

/** Pagefind's module, imported and initialised once. */
export function pagefind() {
  if (!loading) {
    loading = import(BUNDLE).then(async (module) => {
      await module.options({ excerptLength: 26 });
      await module.init();
      return module;
    });
  }
  return loading;
}

/** The words of a query worth searching for: lower case, stop words dropped (unless nothing else is left). */
export function queryTerms(query) {
  const words = (query || "").toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'’:-]*/gu) || [];
  const cleaned = words.map((w) => w.replace(/['’]s$/, "").replace(/['’:-]+$/, "")).filter(Boolean);
  const kept = cleaned.filter((w) => !STOP_WORDS.has(w.replace(/['’]/g, "")));
  return [...new Set(kept.length ? kept : cleaned)];
}

// --- excerpts ------------------------------------------------------------------------------------------

/** An excerpt's HTML without the hidden glosses (⟦…⟧, possibly cut at either end) and with no empty marks. */
export function cleanExcerpt(html) {
  const box = document.createElement("template");
  box.innerHTML = html || "";
  const walker = document.createTreeWalker(box.content, NodeFilter.SHOW_TEXT);
  const texts = [];
  while (walker.nextNode()) texts.push(walker.currentNode);
  const all = texts.map((t) => t.data).join("");
  const open = all.indexOf(GLOSS_OPEN);
  const close = all.indexOf(GLOSS_CLOSE);
  let inside = close !== -1 && (open === -1 || close < open); // the excerpt starts inside a gloss
  for (const node of texts) {
    let out = "";
    for (const ch of node.data) {
      if (ch === GLOSS_OPEN) inside = true;
      else if (ch === GLOSS_CLOSE) inside = false;
      else if (!inside) out += ch;
    }
    node.data = out;
  }
  box.content.querySelectorAll("mark").forEach((mark) => {
    if (!/[\p{L}\p{N}]/u.test(mark.textContent)) mark.replaceWith(mark.textContent); // only a gloss was marked
  });
  return box.innerHTML.replace(/\s+([,.;:)])/g, "$1").replace(/\(\s*\)/g, "").replace(/\s{2,}/g, " ").trim();
}

function plainText(html) {
  const box = document.createElement("template");
  box.innerHTML = html;
  return box.content.textContent.replace(/\s+/g, " ").trim();
}

/** What a result shows: title, link, clean excerpt, and sections whose excerpts say something new. */
export async function describe(result, terms) {
  const data = await result.data();
  const highlight = terms.map((t) => "highlight=" + encodeURIComponent(t)).join("&");
  const withHighlight = (url) => {
    if (!highlight) return url;
    const [path, hash] = url.split("#");
    return path + (path.includes("?") ? "&" : "?") + highlight + (hash ? "#" + hash : "");
  };
  const excerpt = cleanExcerpt(data.excerpt);
  const seen = new Set([plainText(excerpt)]);
  const sections = [];
  for (const sub of data.sub_results || []) {
    if (!sub.url.includes("#")) continue; // the page's own top section: the main excerpt already
    const subExcerpt = cleanExcerpt(sub.excerpt);
    const key = plainText(subExcerpt);
    if (seen.has(key)) continue;
    seen.add(key);
    sections.push({ title: cleanExcerpt(sub.title), url: withHighlight(sub.url), excerpt: subExcerpt });
    if (sections.length === 2) break;
  }
  const meta = data.meta || {};
  return {
    id: result.id,
    url: withHighlight(data.url),
    page: data.url,
    title: meta.title || data.url,
    kind: filterText((data.filters && data.filters.kind && data.filters.kind[0]) || ""),
    topics: ((data.filters && data.filters.topic) || []).map(filterText),
    excerpt,
    sections,
    filters: data.filters || {},
  };
}

// --- did you mean --------------------------------------------------------------------------------------

let vocabulary = null;

function loadVocabulary() {
  if (!vocabulary) {
    vocabulary = fetch(VOCABULARY).then((r) => (r.ok ? r.json() : [])).catch(() => []);
  }
  return vocabulary;
}

/** Optimal-string-alignment distance, giving up once it exceeds `limit`. */
export function editDistance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev2 = null;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, prev2[j - 2] + 1);
      }
      row.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length];
}

/** The indexed word nearest to `word` (ties: the more frequent, then A–Z), or null. */
export async function suggestWord(word) {
  const words = await loadVocabulary();
  const limit = word.length <= 4 ? 1 : 2;
  let best = null;
  let bestDistance = limit + 1;
  for (const candidate of words) {
    if (candidate === word) return null;
    const distance = editDistance(word, candidate, limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

// --- answering a query ---------------------------------------------------------------------------------

/**
 * Search as a reader means it. Returns {mode, terms, results, counts, everyWord, suggestion}:
 * - "browse": no words, every page the filters allow;
 * - "all": some pages have every word. With two or more words, pages with only some of them are listed
 *   too, and the order weighs each word by how rare it is (a question's "data" or "team" is on most pages,
 *   its "interview" is not), so the pages about what was asked come first;
 * - "some": no page has every word: pages with most of them (weighted as above);
 * - "corrected": nothing matched as typed; results for the did-you-mean instead;
 * - "none": nothing at all.
 * `counts` are the facet counts of exactly these results, from the same response(s): never stale.
 */
export async function answer(query, filters = {}) {
  const pf = await pagefind();
  const terms = queryTerms(query);
  if (!terms.length) {
    const found = await pf.search(null, { filters });
    return { mode: "browse", terms, results: found.results, counts: found.filters, everyWord: 0, suggestion: null };
  }
  const [full, suggestion] = await Promise.all([pf.search(terms.join(" "), { filters }), didYouMean(terms)]);
  if (terms.length === 1 && full.results.length) {
    return { mode: "all", terms, results: full.results, counts: full.filters, everyWord: full.results.length, suggestion };
  }
  const [each, scope] = await Promise.all([
    terms.length > 1 ? Promise.all(terms.map((t) => pf.search(t, { filters }))) : [full],
    pf.search(null, { filters }),
  ]);
  const pages = Math.max(1, scope.results.length);
  const ranked = new Map();
  each.forEach((found) => {
    if (!found.results.length) return;
    const rarity = Math.log(1 + pages / found.results.length);
    const best = found.results[0].score || 1;
    for (const result of found.results) {
      const entry = ranked.get(result.id) || { result, matched: 0, relevance: 0 };
      entry.matched += 1;
      entry.relevance += result.score;
      ranked.set(result.id, entry);
    }
  });
  if (!ranked.size) {
    if (suggestion) {
      const again = await answer(suggestion, filters);
      if (again.results.length) return { ...again, mode: "corrected", typed: terms, suggestion };
    }
    return { mode: "none", terms, results: [], counts: {}, everyWord: 0, suggestion };
  }
  // Pagefind quietly drops a word no page has, so "every word" needs each word to have found something
  const every = new Set(each.every((found) => found.results.length) ? full.results.map((r) => r.id) : []);
  // Pagefind's scores already weigh a word by its rarity; a page with fewer of the words counts for less
  for (const entry of ranked.values()) entry.relevance *= entry.matched / terms.length;
  // Two words ("job ad", "self care") mean both: pages with both come first, in Pagefind's order; a longer
  // question is weighed word by word
  const firstEvery = terms.length <= 2;
  const place = new Map(full.results.map((r, i) => [r.id, i]));
  const rank = (e) => (firstEvery && every.has(e.result.id) ? place.get(e.result.id) : Infinity);
  const order = [...ranked.values()].sort((a, b) => (rank(a) - rank(b) || 0)
    || b.relevance - a.relevance
    || Number(every.has(b.result.id)) - Number(every.has(a.result.id)) || (a.result.id < b.result.id ? -1 : 1));
  const results = order.slice(0, MERGED_LIMIT).map((e) => e.result);
  const counts = await countFilters(results);
  return { mode: every.size ? "all" : "some", terms, results, counts, everyWord: every.size, suggestion };
}

/** A corrected query when some word is in no indexed page (nor the start of one), or null. */
async function didYouMean(terms) {
  const words = await loadVocabulary();
  const known = new Set(words);
  let changed = false;
  const corrected = await Promise.all(terms.map(async (term) => {
    if (term.length < 4 || known.has(term) || words.some((w) => w.startsWith(term))) return term;
    const better = await suggestWord(term);
    if (better) changed = true;
    return better || term;
  }));
  return changed ? corrected.join(" ") : null;
}

/** Facet counts of a merged result list, read from each page's own filters. */
async function countFilters(results) {
  const datas = await Promise.all(results.map((r) => r.data()));
  const counts = {};
  for (const data of datas) {
    for (const [name, values] of Object.entries(data.filters || {})) {
      counts[name] = counts[name] || {};
      for (const value of values) counts[name][value] = (counts[name][value] || 0) + 1;
    }
  }
  return counts;
}

/** The sentence that says what kind of answer this is. */
export function explain(found, total) {
  const quoted = (words) => "“" + words.join(" ") + "”";
  const n = (count) => count + (count === 1 ? " result" : " results");
  switch (found.mode) {
    case "browse": return n(total) + (total === 1 ? " matches" : " match") + " the chosen filters";
    case "all": return n(total) + " for " + quoted(found.terms)
      + (found.everyWord < total ? " (" + found.everyWord + " with every word)" : "");
    case "some": return "No page has all of " + quoted(found.terms) + "; showing " + n(total) + " with most of them";
    case "corrected": return "Nothing matched " + quoted(found.typed) + "; showing " + n(total) + " for " + quoted([found.suggestion]);
    default: return "No results for " + quoted(found.terms);
  }
}

// --- small DOM helpers ---------------------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "html") node.innerHTML = value; // only ever cleaned Pagefind excerpts
    else if (name === "text") node.textContent = value;
    else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** A filter value as written: the index holds values HTML-escaped (search.py); Pagefind is sent them as held. */
export function filterText(value) {
  return new DOMParser().parseFromString(value, "text/html").documentElement.textContent;
}

export function slugify(text) {
  return text.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function searchPageUrl() {
  return new URL("../search/", import.meta.url).pathname;
}

// --- the dialog ----------------------------------------------------------------------------------------

function setUpDialog() {
  const dialog = document.getElementById("search-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return null;
  const input = dialog.querySelector("#dialog-q");
  const list = dialog.querySelector("#dialog-results");
  const status = dialog.querySelector("#dialog-status");
  const more = dialog.querySelector("#dialog-more");
  const empty = dialog.querySelector(".search-empty");
  let returnTo = null;
  let active = -1;
  let sequence = 0;
  let timer = null;

  function options() { return [...list.querySelectorAll("[role=option]")]; }

  function activate(index) {
    const all = options();
    if (!all.length) return;
    active = (index + all.length) % all.length;
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    input.setAttribute("aria-activedescendant", all[active].id);
    all[active].scrollIntoView({ block: "nearest" });
  }

  function clear() {
    list.replaceChildren();
    list.hidden = true;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    input.setAttribute("aria-expanded", "false");
  }

  async function run() {
    const query = input.value.trim();
    const mine = ++sequence;
    more.href = searchPageUrl() + (query ? "?q=" + encodeURIComponent(query) : "");
    if (!query) {
      clear();
      status.textContent = "";
      empty.hidden = true;
      dialog.removeAttribute("data-state");
      return;
    }
    dialog.setAttribute("data-state", "loading");
    const found = await answer(query);
    const shown = await Promise.all(found.results.slice(0, DIALOG_SIZE).map((r) => describe(r, found.terms)));
    if (mine !== sequence) return; // a newer query is on its way: drop this answer
    clear();
    shown.forEach((item, i) => {
      list.append(el("li", { id: "dialog-option-" + i, role: "option", "aria-selected": "false", "data-href": item.url },
        el("span", { class: "result-title", text: item.title }),
        item.kind ? el("span", { class: "result-kind", text: item.kind }) : null,
        el("span", { class: "result-excerpt", html: item.excerpt })));
    });
    input.setAttribute("aria-expanded", String(shown.length > 0));
    list.hidden = shown.length === 0; // an empty listbox is hidden, not announced
    status.textContent = explain(found, found.results.length)
      + (found.suggestion && found.mode !== "corrected" ? ". Did you mean “" + found.suggestion + "”?" : "");
    empty.hidden = found.results.length > 0;
    if (shown.length) activate(0);
    dialog.setAttribute("data-state", "ready");
  }

  // site.js may have opened the dialog already (so that no keystroke is lost while this module loads):
  // then `from` is where focus was before it opened
  function open(text, from) {
    if (!dialog.open) {
      returnTo = document.activeElement;
      if (typeof text === "string") input.value = text;
      dialog.showModal();
      input.focus();
      const end = input.value.length;
      input.setSelectionRange(end, end);
    } else if (returnTo === null && from) {
      returnTo = from;
    }
    pagefind();
    if (input.value.trim()) run();
  }

  dialog.addEventListener("close", () => {
    if (returnTo && document.contains(returnTo)) returnTo.focus();
    returnTo = null;
  });
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a click on the backdrop
    const option = event.target.closest("[role=option]");
    if (option) window.location.href = option.dataset.href;
  });
  dialog.querySelector(".dialog-close").addEventListener("click", () => dialog.close());
  input.addEventListener("input", () => {
    clearTimeout(timer);
    dialog.setAttribute("data-state", "loading"); // until the answer to this text is drawn
    const query = input.value.trim();
    if (query) pagefind().then((pf) => pf.preload(queryTerms(query).join(" ")));
    timer = setTimeout(run, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      activate(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const option = options()[active];
      window.location.href = option ? option.dataset.href : more.href;
    }
  });
  return { open, dialog };
}

// --- the search page -----------------------------------------------------------------------------------

function setUpSearchPage(root) {
  const toFilters = root.querySelector("#to-filters");
  const form = root.querySelector("#search-form");
  const input = root.querySelector("#search-q");
  const status = root.querySelector("#search-status");
  const list = root.querySelector("#search-results");
  const moreButton = root.querySelector("#search-more");
  const facets = root.querySelector("#search-facets");
  const groupsBox = root.querySelector("#facet-groups");
  const chosenCount = root.querySelector("#facet-chosen");
  const empty = root.querySelector(".search-empty");
  const suggestion = root.querySelector("#search-suggestion");
  const wide = window.matchMedia("(min-width: 56rem)");
  let sequence = 0;
  let timer = null;
  let allValues = null; // filter name → [values], from pf.filters(): the fixed order of the facet lists
  let state = { q: "", filters: {} };
  let pending = [];

  facets.open = wide.matches;
  toFilters.addEventListener("click", () => { facets.open = true; });
  wide.addEventListener("change", () => { facets.open = wide.matches; });

  async function values() {
    if (!allValues) {
      const pf = await pagefind();
      const all = await pf.filters();
      allValues = {};
      const names = [...FILTER_NAMES, ...Object.keys(all).filter((n) => !FILTER_NAMES.includes(n)).sort()];
      for (const name of names) if (all[name]) allValues[name] = Object.keys(all[name]).sort((a, b) => a.localeCompare(b));
    }
    return allValues;
  }

  /** The state in the address: ?q=…&topic=slug&tag=slug… (values as slugs, matched back to Pagefind's). */
  async function readUrl() {
    const params = new URLSearchParams(window.location.search);
    const known = await values();
    const filters = {};
    for (const name of Object.keys(known)) {
      const wanted = params.getAll(name).map(slugify);
      const chosen = (known[name] || []).filter((v) => wanted.includes(slugify(filterText(v))));
      if (chosen.length) filters[name] = chosen;
    }
    return { q: params.get("q") || "", filters };
  }

  function writeUrl(push) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const name of Object.keys(allValues || {})) {
      for (const value of state.filters[name] || []) params.append(name, slugify(filterText(value)));
    }
    const url = window.location.pathname + (params.toString() ? "?" + params : "");
    if (url === window.location.pathname + window.location.search) return;
    if (push) history.pushState(null, "", url);
    else history.replaceState(null, "", url);
  }

  function renderFacets(counts) {
    const known = allValues || {};
    const chosenTotal = Object.values(state.filters).reduce((n, v) => n + v.length, 0);
    chosenCount.textContent = chosenTotal ? " (" + chosenTotal + " chosen)" : "";
    root.querySelector("#facet-clear").hidden = chosenTotal === 0;
    const groups = [];
    for (const name of Object.keys(known)) {
      const chosen = state.filters[name] || [];
      const shown = (known[name] || []).filter((v) => chosen.includes(v) || (counts[name] && counts[name][v] > 0));
      if (!shown.length) continue;
      const fieldset = el("fieldset", { class: "facet" }, el("legend", { text: name.charAt(0).toUpperCase() + name.slice(1) }));
      for (const value of shown) {
        const id = "f-" + name + "-" + slugify(filterText(value));
        const count = (counts[name] && counts[name][value]) || 0;
        const box = el("input", { type: "checkbox", id, name, value, checked: chosen.includes(value) });
        fieldset.append(el("div", { class: "facet-value" }, box,
          el("label", { for: id }, document.createTextNode(filterText(value) + " "),
            el("span", { class: "count", text: "(" + count + ")" }))));
      }
      groups.push(fieldset);
    }
    const focused = document.activeElement && groupsBox.contains(document.activeElement) ? document.activeElement.id : null;
    groupsBox.replaceChildren(...groups);
    if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
  }

  function renderResult(item) {
    const sections = item.sections.length
      ? el("ul", { class: "result-sections" }, ...item.sections.map((s) => el("li", {},
          el("a", { href: s.url, text: s.title }), el("p", { class: "result-excerpt", html: s.excerpt }))))
      : null;
    const meta = [item.kind, ...item.topics].filter(Boolean).join(" · ");
    return el("li", { class: "result" },
      el("h2", { class: "result-title" }, el("a", { href: item.url, text: item.title })),
      meta ? el("p", { class: "result-meta", text: meta }) : null,
      el("p", { class: "result-excerpt", html: item.excerpt }),
      sections);
  }

  async function showMore(terms, mine) {
    const next = pending.splice(0, PAGE_SIZE);
    const items = await Promise.all(next.map((r) => describe(r, terms)));
    if (mine !== sequence) return;
    list.append(...items.map(renderResult));
    moreButton.hidden = pending.length === 0;
  }

  async function run() {
    const mine = ++sequence;
    root.setAttribute("data-state", "loading");
    await values();
    const found = await answer(state.q, state.filters);
    const first = await Promise.all(found.results.slice(0, PAGE_SIZE).map((r) => describe(r, found.terms)));
    if (mine !== sequence) return; // a newer search started: its answer will be drawn, not this one
    pending = found.results.slice(PAGE_SIZE);
    list.replaceChildren(...first.map(renderResult));
    moreButton.hidden = pending.length === 0;
    moreButton.onclick = () => showMore(found.terms, mine);
    status.textContent = explain(found, found.results.length);
    suggestion.replaceChildren();
    if (found.suggestion && found.mode !== "corrected") {
      const link = el("a", { href: "?q=" + encodeURIComponent(found.suggestion), text: found.suggestion });
      link.addEventListener("click", (event) => { event.preventDefault(); setQuery(found.suggestion, true); });
      suggestion.append("Did you mean ", link, "?");
    }
    empty.hidden = found.results.length > 0;
    renderFacets(found.counts || {});
    root.setAttribute("data-state", "ready");
  }

  function setQuery(query, push) {
    input.value = query;
    state = { ...state, q: query.trim() };
    writeUrl(push);
    run();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    state = { ...state, q: input.value.trim() };
    writeUrl(true);
    run();
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    root.setAttribute("data-state", "loading"); // until the answer to this text is drawn
    const query = input.value.trim();
    if (query) pagefind().then((pf) => pf.preload(queryTerms(query).join(" ")));
    timer = setTimeout(() => {
      state = { ...state, q: input.value.trim() };
      writeUrl(false);
      run();
    }, 150);
  });
  input.addEventListener("keydown", (event) => {
    const first = list.querySelector("a");
    if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
  });
  list.addEventListener("keydown", (event) => {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const titles = [...list.querySelectorAll(".result-title a")];
    const at = titles.indexOf(document.activeElement.closest(".result")?.querySelector(".result-title a"));
    if (at === -1) return;
    event.preventDefault();
    if (event.key === "ArrowUp" && at === 0) input.focus();
    else titles[Math.min(titles.length - 1, Math.max(0, at + (event.key === "ArrowDown" ? 1 : -1)))].focus();
  });
  groupsBox.addEventListener("change", (event) => {
    const box = event.target;
    if (box.type !== "checkbox") return;
    const chosen = new Set(state.filters[box.name] || []);
    if (box.checked) chosen.add(box.value);
    else chosen.delete(box.value);
    const filters = { ...state.filters, [box.name]: [...chosen].sort() };
    if (!filters[box.name].length) delete filters[box.name];
    state = { ...state, filters };
    writeUrl(true);
    run();
  });
  root.querySelector("#facet-clear").addEventListener("click", () => {
    state = { ...state, filters: {} };
    writeUrl(true);
    run();
  });
  window.addEventListener("popstate", async () => {
    state = await readUrl();
    input.value = state.q;
    run();
  });

  (async () => {
    state = await readUrl();
    input.value = state.q;
    writeUrl(false); // the address in its canonical form (slugs), so it can be shared as it is
    input.focus();
    await run();
  })();
}

// --- start ---------------------------------------------------------------------------------------------

let dialog = null;

/** Open the search dialog with `text` in its box (site.js calls this on /, Ctrl/Cmd+K and the header box). */
export function openDialog(text, from) {
  dialog = dialog || setUpDialog();
  if (dialog) dialog.open(text, from);
}

const searchRoot = document.getElementById("search");
if (searchRoot) setUpSearchPage(searchRoot);
