// The search page: Pagefind's JS API behind a small accessible interface.
// pagefind/bundles.json lists the index bundles (small groups of one language's articles) and
// names each language's word directory (pagefind/words/, see newsarchive/search_directory.py):
// for a query, one Pagefind instance per language merges only the bundles that hold its words,
// and the languages' results are merged here. The query, filters and order live in the URL
// (?q=…&tag=…&sort=newest).
const FILTERS = ["section", "source", "tag", "year", "language"];
const PAGE_SIZE = 10;
// A first search shows the results of each language's newest bundles that can hold them (at most
// this many bundles a language, whatever the size of the archive), then merges the language's
// older bundles, twice as many each time, showing the results again after each, and at the end the
// whole results, the same as if every bundle had been merged at once (Pagefind scores each
// bundle's pages alone and sorts the merged results by score).
const HEAD_BUNDLES = 4;
const CHIPS_SHOWN = 12;
const RTL = new Set(["ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"]);
// For a query word the archive does not have (so its stem is not in the word directory): how many
// last characters of a word the language's stemming may change or remove (French
// "établissements" → "etabl", English "generalizations" → "general"): the bundles that can match
// it are those holding a word that begins with its first (length − this) characters, and at least
// its first two (French "les" → "le"). Words in the script of a language whose
// stemming changes a word's beginning (Arabic, Greek, Yiddish; Indonesian and Irish in any
// script) or that Pagefind cuts into words itself (Chinese, Japanese, Thai) narrow nothing down
// in that language.
const STEM_CHANGES = {fi: 12, hu: 12, tr: 12, et: 12, eu: 12};
const STEM_CHANGES_OTHERWISE = 10;
const PREFIXED = {ar: /\p{Script=Arabic}/u, el: /\p{Script=Greek}/u, yi: /\p{Script=Hebrew}/u, id: /./u, ga: /./u,
                  zh: /\p{Script=Han}/u, ja: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u, th: /\p{Script=Thai}/u};

const box = document.getElementById("na-search");
if (box) start(box);

function start(box) {
  const words = JSON.parse(document.getElementById("na-search-words").textContent);
  const lang = box.dataset.lang;
  const root = new URL(box.dataset.root || "./", location.href);
  const form = box.querySelector(".na-search-form");
  const input = box.querySelector("#na-search-q");
  const tools = box.querySelector(".na-search-tools");
  const sortButton = box.querySelector(".na-search-sort");
  const filterBox = box.querySelector(".na-search-filters");
  // the filters stay folded, so the first results show without scrolling, unless some are chosen
  const filterFold = box.querySelector(".na-search-fold");
  const status = box.querySelector(".na-search-status");
  const list = box.querySelector(".na-search-results");
  const more = box.querySelector(".na-search-more");
  const headBundles = Number(box.dataset.headBundles) || HEAD_BUNDLES;  // data-head-bundles: tests and benchmarks
  const plural = new Intl.PluralRules(lang);
  const dates = new Intl.DateTimeFormat(lang, {dateStyle: "long", timeZone: "UTC"});
  let index = null;  // bundles.json, read once
  const engines = new Map();  // language and bundle names → a Pagefind instance merging those bundles
  const fetched = new Map();  // URL → JSON of a word directory file (named by its hash: never changes)
  let state = readUrl();
  let searchId = 0;
  let typing = 0;
  let feed = null;
  let countLater = null;  // draws the filter chips of the results shown, once their data is wanted
  let drawn = "";  // the query, filters and order of the results in the list

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const filters = {};
    for (const key of FILTERS) {
      const values = params.getAll(key);
      if (values.length) filters[key] = values;
    }
    return {q: params.get("q") || "", filters, newest: params.get("sort") === "newest"};
  }

  function writeUrl(push) {
    const params = new URLSearchParams();
    if (state.q) params.set("q", state.q);
    for (const key of FILTERS) for (const value of state.filters[key] || []) params.append(key, value);
    if (state.newest) params.set("sort", "newest");
    const query = params.toString();
    const url = location.pathname + (query ? "?" + query : "");
    if (url !== location.pathname + location.search) history[push ? "pushState" : "replaceState"](null, "", url);
  }

  async function readIndex() {
    const response = await fetch(new URL("pagefind/bundles.json", root));
    if (!response.ok) throw new Error(`pagefind/bundles.json: ${response.status}`);
    const listed = await response.json();
    const bundles = listed.bundles.slice().reverse();  // newest first
    const languages = [...new Set(bundles.flatMap((b) => b.languages))].sort();
    return {bundles, languages, directories: listed.words || {}};
  }

  // The engines (one per language) a query needs, each a promise of its own: each merges the
  // bundles of its language that can hold the query's results; a language none of whose bundles
  // can gives null.
  async function enginesFor(query) {
    const {bundles, languages, directories} = await readIndexOnce();
    return languages.map(async (code) => {
      const mine = bundles.filter((b) => b.languages.includes(code));
      const holding = await bundlesHolding(code, directories[code], mine, query);
      return holding.length ? engineOf(code, holding) : null;
    });
  }

  function readIndexOnce() {
    if (!index) {
      index = readIndex();
      index.catch(() => { index = null; });  // tried again at the next search
    }
    return index;
  }

  // As the reader comes to type: bundles.json and every language's directory manifest (small),
  // not the bundles, which the query chooses.
  function preload() {
    return readIndexOnce().then(({languages, directories}) => Promise.all(languages.map((code) => directories[code] && fetchJson(directories[code]))));
  }

  // An archive in many languages loads one Pagefind instance (and WebAssembly module) per language:
  // when they are not all ready within a second, the results of those that are show first, and
  // the search runs again as each of the others is loaded (`everything`: the next one).
  async function enginesNow(query) {
    const loaded = [];
    let failed = false;  // some language's index could not be loaded: the others are still searched
    // a language whose index fails to load (a bundle missing or damaged) leaves the others
    // searchable, however fast it fails; only when none loads is search unavailable
    const each = (await enginesFor(query)).map((engine, i) => engine.then((e) => { loaded[i] = {e}; return e; },
      (error) => { console.warn("search:", error); failed = true; loaded[i] = {e: null}; return null; }));
    const everything = Promise.all(each).then((list) => {  // null: a language skipped (no bundle holds the words) or failed
      if (failed && !list.some(Boolean)) throw new Error("no language's index could be loaded");
      return list.filter(Boolean);
    });
    const complete = await Promise.race([everything.then(() => true), new Promise((ok) => setTimeout(() => ok(false), 1000))]);
    if (complete) return {all: await everything, partial: false, failed, everything};
    await Promise.race(each);
    const some = loaded.filter(Boolean);
    if (some.length === each.length) return {all: await everything, partial: false, failed, everything};
    // the next language to load (or fail) draws the results again: the first one to come may be a
    // language no bundle of which holds the words, ready at once
    const next = Promise.race(each.filter((_, i) => !loaded[i]));
    return {all: some.map((x) => x.e).filter(Boolean), partial: true, failed, everything: next};
  }

  // Pagefind finds, in a bundle, the words that begin with a query word's stem (all of the query's
  // words on one page): so only a bundle holding, for every query word, a word that begins with its
  // stem can hold a result. The directory knows the stem of every word of the archive; of another
  // word (one being typed, or found nowhere) it takes the first characters the stemming cannot
  // change. Without the directory (an older index, a failed request) every bundle of the
  // language is merged, as before.
  async function bundlesHolding(code, directory, mine, query) {
    if (!directory) return mine;
    const primary = code.split("-")[0];
    try {
      const manifest = await fetchJson(directory);
      let kept = null;  // positions in manifest.bundles
      for (const word of indexedWords(query)) {
        const chars = Array.from(word);
        if (chars.length < 2) continue;  // a one-letter word narrows nothing down
        const key = chars.slice(0, 2).join("");
        const shard = await shardOf(manifest, key);
        let stems = shard.s || {};
        let begins;
        if (shard.f && Object.hasOwn(shard.f, word)) {  // not `in`: "constructor" is in every object
          // a word of the archive: its stem, as Pagefind stems it, was recorded at build time
          begins = shard.f[word] || word;
          const stemKey = Array.from(begins).slice(0, 2).join("");
          if (stemKey !== key) stems = (await shardOf(manifest, stemKey)).s || {};
        } else if (PREFIXED[primary]?.test(word)) {
          continue;
        } else {
          const shortest = Math.max(2, chars.length - (STEM_CHANGES[primary] ?? STEM_CHANGES_OTHERWISE));
          if (Object.keys(shard.f || {}).some((form) => form.startsWith(word))) {
            begins = [chars.slice(0, shortest).join("")];  // a word being typed: its stem begins so
          } else {
            // A word the archive lacks gives results only if its stem is a word of the index (the
            // language counts only then, see wordMatch): an indexed word that begins it, or (of three
            // letters or more) whose last letter only differs ("hope" for "hoping").
            begins = Object.keys(stems).filter((indexed) => {
              const letters = Array.from(indexed);
              return letters.length >= shortest && (word.startsWith(indexed) || (letters.length >= 3 && word.startsWith(letters.slice(0, -1).join(""))));
            });
            if (!begins.length) return [];
          }
        }
        const holders = new Set();
        for (const [indexed, positions] of Object.entries(stems)) {
          if ([].concat(begins).some((b) => indexed.startsWith(b))) for (const p of positions) holders.add(p);
        }
        kept = kept ? new Set([...kept].filter((p) => holders.has(p))) : holders;
        if (!kept.size) return [];
      }
      if (!kept) return mine;
      const names = new Set([...kept].map((p) => manifest.bundles[p]));
      return mine.filter((b) => names.has(b.name));
    } catch (error) {
      console.warn("search: word directory:", error);
      return mine;
    }
  }

  function shardOf(manifest, key) {
    return manifest.shards[key] ? fetchJson(`words/${manifest.shards[key]}.json`) : {};
  }

  function fetchJson(path) {
    if (!fetched.has(path)) {
      const url = new URL(`pagefind/${path}`, root);
      const promise = fetch(url).then((r) => {
        if (!r.ok) throw new Error(`${url.pathname}: ${r.status}`);
        return r.json();
      });
      promise.catch(() => fetched.delete(path));  // tried again next time
      fetched.set(path, promise);
    }
    return fetched.get(path);
  }

  function indexedWords(query) {
    // the query's words as Pagefind searches them: lower case (locale-free, as Pagefind and the
    // directory's Python do: a Turkish browser's "I" is "i" there, not "ı"), without punctuation or diacritics
    return query.toLowerCase().replace(/[\p{Pd}\p{Pe}\p{Pf}\p{Pi}\p{Po}\p{Ps}]/gu, "")
      .normalize("NFD").replace(/\p{M}/gu, "").split(/\s+/).filter(Boolean);
  }

  function engineOf(code, holding) {
    const key = `${code}|${holding.map((b) => b.name).join(",")}`;
    if (!engines.has(key)) engines.set(key, createEngine(code, holding, engines.size));
    return engines.get(key);
  }

  async function createEngine(code, holding, serial) {
    const baseUrl = root.pathname;
    const folder = (bundle) => new URL(`pagefind/${bundle.name}/`, root);
    // Each engine is loaded as its own module (?lang=…&engine=…): Pagefind keeps one WebAssembly
    // module per loaded pagefind.js, and a second instance loaded into the same one would replace
    // the first one's.
    const pagefindModule = await import(new URL(`pagefind.js?lang=${encodeURIComponent(code)}&engine=${serial}`, folder(holding[0])).href);
    // createInstance reads its language from <html lang>: set it for the call only.
    const pageLang = document.documentElement.lang;
    let pagefind;
    document.documentElement.lang = code;
    try {
      pagefind = pagefindModule.createInstance({basePath: folder(holding[0]).pathname, metaCacheTag: holding[0].signature});
    } finally {
      document.documentElement.lang = pageLang;
    }
    await pagefind.options({baseUrl, excerptLength: 24});
    // the merged instances keep the order of the calls, whenever they are made: the head's bundles
    // now, the others once results are shown (grow), after them in the same order.
    // Each bundle's signature tags its pagefind-entry.json, so a browser's cache keeps it until it changes
    const merge = (bundles) => Promise.all(bundles.map((bundle) => pagefind.mergeIndex(folder(bundle).pathname, {language: code, baseUrl, metaCacheTag: bundle.signature})));
    await merge(holding.slice(1, headBundles));
    const engine = {code, pagefind, rest: holding.slice(Math.max(1, headBundles)), merged: Math.min(holding.length, Math.max(1, headBundles)),
                    growing: null, failed: null};
    // the next bundles, as many as are merged already (4, 8, 16, …: the results shown again after each)
    engine.grow = () => (engine.growing ||= merge(engine.rest.slice(0, engine.merged)).then(() => {
      engine.rest = engine.rest.slice(engine.merged);
      engine.merged *= 2;
      engine.growing = null;
      engine.words = null;  // a word's match is looked up again over the bundles merged
      engine.filters = null;  // the filter data of the bundles merged now loads when it is wanted
      engine.filtersReady = false;
    }, (error) => { console.warn("search:", error); engine.failed = error; }));
    return engine;
  }

  function say(text) {
    status.textContent = text;
  }

  async function run() {
    const id = ++searchId;
    const query = state.q.trim();
    sortButton.setAttribute("aria-pressed", String(state.newest));
    if (!query) {
      list.replaceChildren();
      list.removeAttribute("aria-busy");
      drawn = "";
      more.hidden = true;
      tools.hidden = true;
      say("");
      return;
    }
    say(words.loading);
    try {
      const loaded = await enginesNow(query);
      if (id !== searchId) return;
      const {partial, everything} = loaded;
      // a language whose other bundles failed to merge gives no result, as one failing at once
      const failed = loaded.failed || loaded.all.some((e) => e.failed);
      const all = loaded.all.filter((e) => !e.failed);
      const heads = all.filter((e) => e.rest.length);  // languages showing their newest bundles' results only
      if (failed && !all.length) throw new Error("no language's index could be loaded");
      const chosen = state.filters.language;
      const wanted = chosen ? all.filter((e) => chosen.includes(e.code)) : all;
      const filters = {};
      for (const key of FILTERS) {
        if (key !== "language" && state.filters[key]) filters[key] = {any: state.filters[key]};
      }
      const options = {filters};
      // The filter data (every bundle's filter files) is needed for the chips' counts and for
      // newest-first order, not for the results: it loads when the reader opens the folded
      // filters (or a filter or newest-first is chosen), after the results are shown.
      const counting = all.every((e) => e.filtersReady) || state.newest || Object.keys(state.filters).length > 0;
      if (counting) await filtersLoaded(all);
      const found = await Promise.all(wanted.map(async (e) => ({engine: e, code: e.code, ...await searchIn(e, query, options)})));
      if (id !== searchId) return;
      const counts = counting && await filterCounts(all, found, query, options);
      if (id !== searchId) return;
      const live = found.filter((f) => f.result);
      feed = state.newest ? byMonth(live, query, filters) : byScore(live);
      // the same search again (the whole results after the first ones): as many results as the
      // reader has in the list, and a list whose results did not change is left as it is
      const drawing = JSON.stringify([query, state.filters, state.newest]);
      const shown = drawing === drawn ? list.children.length : 0;
      const first = await feed.next(Math.max(PAGE_SIZE, shown));  // the old results stay until the new ones are ready
      if (id !== searchId) return;
      redraw(first, drawing === drawn);
      drawn = drawing;
      // for tests and scripts: results of this query are shown (maybe the first ones), or its whole results
      if (first.length || !(partial || heads.length)) box.dataset.shown = query;
      more.hidden = feed.done();
      const total = feed.total;
      say(total ? words.results[plural.select(total)].replace("{n}", total.toLocaleString(lang)) : words.none);
      if (partial || heads.length) {  // the other languages' (or bundles') results join when they are loaded
        say(`${status.textContent} ${words.loading}`);
        list.setAttribute("aria-busy", "true");
        const again = () => { if (id === searchId) run(); };  // a language that fails to load ends in the error message
        if (partial) everything.then(again, again);
        else Promise.all(heads.map((e) => e.grow())).then(again);
        return;
      }
      list.removeAttribute("aria-busy");
      if (counts) drawFilters(counts);
      tools.hidden = false;
      if (failed) say(`${status.textContent} ${words.error}`);  // the loaded languages' results, and the error message
      else box.dataset.done = query;  // for tests and scripts: the results of this query are shown
      countLater = counts ? null : async () => {
        countLater = null;
        await filtersLoaded(all);
        if (id !== searchId) return;
        const counted = await Promise.all(wanted.map(async (e) => ({engine: e, code: e.code, ...await searchIn(e, query, options)})));
        const later = await filterCounts(all, counted, query, options);
        if (id !== searchId) return;
        drawFilters(later);
        box.dataset.counted = query;
      };
      if (counts) box.dataset.counted = query;  // … and the filter chips with their counts
      else if (filterFold.open) countLater().catch((error) => console.warn("search:", error));
    } catch (error) {
      if (id !== searchId) return;
      console.warn("search:", error);
      say(words.error);
    }
  }

  function filtersLoaded(all) {
    return Promise.all(all.map((e) => (e.filters ||= e.pagefind.filters().then(() => { e.filtersReady = true; }))));
  }

  async function filterCounts(all, found, query, options) {
    const counts = {};
    // value → count with no prototype: a tag named "constructor" or "__proto__" is a value like any other
    for (const key of FILTERS) counts[key] = Object.create(null);
    for (const {result} of found) {
      if (!result) continue;
      for (const [key, values] of Object.entries(result.filters || {})) {
        if (!counts[key] || key === "language") continue;
        for (const [value, n] of Object.entries(values)) counts[key][value] = (counts[key][value] || 0) + n;
      }
    }
    // the language chips count what every language would give, so other languages stay one click away
    const searched = new Map(found.map((f) => [f.engine, f.result]));
    for (const e of all) {
      const result = searched.has(e) ? searched.get(e) : (await searchIn(e, query, options)).result;
      if (result && result.results.length) counts.language[e.code] = (counts.language[e.code] || 0) + result.results.length;
    }
    return counts;
  }

  // Pagefind answers a word its index lacks with the longest indexed word that begins it
  // ("harbour" finds a lone "h" in French, "manifester" finds "many" through its stem "mani"),
  // and stems every word with the instance's language. So a query counts in a language only if
  // that language's index holds each of its words (Pagefind's exact "quoted" search, after that
  // language's stemming), or shows a word that begins with it (a word being typed). Answers are
  // kept per language and word: the index does not change while the page is open.
  async function searchIn(engine, query, options) {
    const words = query.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
    if (/^\s*".+"\s*$/.test(query) || !words.length) return {result: await engine.pagefind.search(query, options), known: 0};
    let known = 0;
    for (const word of words) {
      const match = await wordMatch(engine, word);
      if (!match) return {result: null, known: 0};
      if (match === "exact") known += 1;
    }
    const result = await engine.pagefind.search(query, options);
    // the pages holding the query's words in a row (Pagefind's quoted search): an exact title is one
    // ("The The" would otherwise rank below the pages with the most "the"s)
    const phrase = words.length > 1 && result.results.length ? new Set((await engine.pagefind.search(`"${words.join(" ").replace(/["\u201c\u201d]/g, "")}"`, options)).results.map((r) => r.id)) : null;
    return {result, known, phrase};
  }

  function wordMatch(engine, word) {
    engine.words ||= new Map();
    if (!engine.words.has(word)) engine.words.set(word, (async () => {
      const bare = word.replace(/["\u201c\u201d]/g, "");
      if ((await engine.pagefind.search(`"${bare}"`)).results.length) return "exact";
      const loose = (await engine.pagefind.search(bare)).results;
      if (!loose.length) return null;
      const typed = plain(bare);
      const shown = [...(await loose[0].data()).excerpt.matchAll(/<mark>(.*?)<\/mark>/g)].map((m) => plain(m[1]));
      return shown.some((w) => w.startsWith(typed)) ? "prefix" : null;
    })());
    return engine.words.get(word);
  }

  function plain(text) {
    // as Pagefind compares words: lower case, without diacritics or punctuation
    return text.normalize("NFD").replace(/[\p{M}\p{P}\p{S}\s]/gu, "").toLowerCase();  // locale-free, as Pagefind
  }

  function byScore(found) {
    // the query's own language first (the one whose index holds most of its words as they are),
    // then the pages holding its words in a row, then by Pagefind's score
    const all = found.flatMap((f) => f.result.results.map((r) => ({code: f.code, r, known: f.known, phrase: f.phrase?.has(r.id) ? 1 : 0})))
      .sort((a, b) => b.known - a.known || b.phrase - a.phrase || b.r.score - a.r.score);
    let at = 0;
    return {
      total: all.length,
      async next(n) {
        const slice = all.slice(at, at + n);
        at += slice.length;
        return Promise.all(slice.map(async ({code, r}) => ({code, data: await r.data()})));
      },
      done: () => at >= all.length,
    };
  }

  function byMonth(found, query, filters) {
    // Newest first, a month at a time: a month lies in one bundle, and within one bundle Pagefind
    // sorts by date (across bundles it would order by score again).
    const months = {};
    for (const {result} of found) {
      for (const [month, n] of Object.entries((result.filters || {}).month || {})) months[month] = (months[month] || 0) + n;
    }
    const todo = Object.keys(months).filter((m) => months[m] > 0).sort().reverse();
    const ready = [];
    return {
      total: found.reduce((n, f) => n + f.result.results.length, 0),
      async next(n) {
        while (ready.length < n && todo.length) {
          const options = {filters: {...filters, month: {any: [todo.shift()]}}, sort: {date: "desc"}};
          const parts = await Promise.all(found.map(async ({engine, code}) => {
            const {result} = await searchIn(engine, query, options);
            return result ? Promise.all(result.results.map(async (r) => ({code, data: await r.data()}))) : [];
          }));
          ready.push(...parts.flat().sort((a, b) => Date.parse(b.data.meta.date) - Date.parse(a.data.meta.date)));
        }
        return ready.splice(0, n);
      },
      done: () => !ready.length && !todo.length,
    };
  }

  // The list shows `items`; when it shows the same search's first results (`same`), the results
  // already in place stay (no item is drawn again, the reader's focus stays on its link).
  function redraw(items, same) {
    const hrefs = (nodes) => [...nodes].map((li) => li.querySelector("a").getAttribute("href"));
    if (same && JSON.stringify(hrefs(list.children)) === JSON.stringify(items.map(({data}) => data.url))) return;
    const focused = same && list.contains(document.activeElement) ? document.activeElement.getAttribute("href") : null;
    list.replaceChildren(...items.map(({code, data}) => resultItem(code, data)));
    if (focused) [...list.querySelectorAll("a")].find((a) => a.getAttribute("href") === focused)?.focus();
  }

  async function showMore(id) {
    const items = await feed.next(PAGE_SIZE);
    if (id !== searchId) return;
    for (const {code, data} of items) list.append(resultItem(code, data));
    more.hidden = feed.done();
  }

  function resultItem(code, data) {
    const item = document.createElement("li");
    item.className = "na-search-result";
    if (code !== lang.toLowerCase()) item.lang = code;
    const rtl = RTL.has(code.split("-")[0]);
    if (rtl !== (document.documentElement.dir === "rtl")) item.dir = rtl ? "rtl" : "ltr";
    const title = document.createElement("h2");
    title.className = "na-search-result-title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    title.append(link);
    const meta = document.createElement("p");
    meta.className = "na-search-result-meta";
    if (data.meta.date) {
      const time = document.createElement("time");
      time.dateTime = data.meta.date;
      const [year, month, day] = data.meta.date.slice(0, 10).split("-").map(Number);
      const when = new Date(Date.UTC(year, month - 1, day));  // the date as written, in its own offset
      time.textContent = isNaN(when) ? data.meta.date : dates.format(when);
      meta.append(time);
    }
    for (const key of ["section", "source"]) {
      if (!data.meta[key]) continue;
      if (meta.childNodes.length) meta.append(" · ");
      const part = document.createElement("span");
      part.className = `na-search-result-${key}`;
      part.textContent = data.meta[key];
      meta.append(part);
    }
    const excerpt = document.createElement("p");
    excerpt.className = "na-search-result-excerpt";
    excerpt.append(...highlighted(data.excerpt || ""));
    const text = document.createElement("div");
    text.className = "na-search-result-text";
    text.append(title, meta, excerpt);
    item.append(text);
    if (data.meta.thumb) {
      // decorative: the title beside it says what the article is
      const thumb = document.createElement("img");
      thumb.className = "na-search-thumb";
      thumb.src = new URL(data.meta.thumb.replace(/^\/(?!\/)/, ""), root).href;  // site-absolute, under the site root
      thumb.alt = "";
      thumb.loading = "lazy";
      thumb.decoding = "async";
      thumb.width = 96;
      thumb.height = 64;
      item.classList.add("na-search-result--image");
      item.append(thumb);
    }
    return item;
  }

  function highlighted(html) {
    // Pagefind's excerpt marks matches with <mark>; everything else is kept as text only
    const parsed = document.createElement("template");
    parsed.innerHTML = html;
    const nodes = [];
    for (const node of parsed.content.childNodes) {
      if (node.nodeName === "MARK") {
        const mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    }
    return nodes;
  }

  function drawFilters(counts) {
    if (Object.keys(state.filters).length) filterFold.open = true;
    const groups = [];
    for (const key of FILTERS) {
      const selected = state.filters[key] || [];
      let values = Object.entries(counts[key] || {}).filter(([, n]) => n > 0);
      values.sort((a, b) => (key === "year" ? b[0].localeCompare(a[0]) : b[1] - a[1] || a[0].localeCompare(b[0])));
      const shown = values.slice(0, CHIPS_SHOWN);
      for (const value of selected) if (!shown.some(([v]) => v === value)) shown.push([value, counts[key][value] || 0]);
      if (!shown.length || (shown.length === 1 && !selected.length && key !== "language")) continue;
      const group = document.createElement("div");
      group.className = "na-search-group";
      const name = document.createElement("span");
      name.className = "na-search-group-name";
      name.id = `na-search-group-${key}`;
      name.textContent = words.filters[key];
      const chips = document.createElement("ul");
      chips.setAttribute("aria-labelledby", name.id);
      for (const [value, n] of shown) {
        const chip = document.createElement("button");
        chip.type = "button";
        chip.className = "na-search-chip";
        chip.setAttribute("aria-pressed", String(selected.includes(value)));
        chip.dataset.key = key;
        chip.dataset.value = value;
        const label = document.createElement("span");
        label.textContent = key === "language" ? (words.languages[value] || value) : value;
        if (key === "language") label.lang = value;
        const count = document.createElement("span");
        count.className = "na-n";
        count.textContent = n.toLocaleString(lang);
        chip.append(label, " ", count);
        const li = document.createElement("li");
        li.append(chip);
        chips.append(li);
      }
      group.append(name, chips);
      groups.push(group);
    }
    if (Object.keys(state.filters).length) {
      const clear = document.createElement("button");
      clear.type = "button";
      clear.className = "na-search-clear";
      clear.textContent = words.clear;
      groups.push(clear);
    }
    filterBox.replaceChildren(...groups);
  }

  function changed(push) {
    writeUrl(push);
    run();
  }

  input.value = state.q;
  input.addEventListener("focus", () => preload().catch(() => {}), {once: true});  // loading starts as the reader comes to type
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      state.q = input.value;
      changed(false);
    }, 180);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    state.q = input.value;
    changed(true);
  });
  sortButton.addEventListener("click", () => {
    state.newest = !state.newest;
    changed(true);
  });
  filterBox.addEventListener("click", (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (button.classList.contains("na-search-clear")) {
      state.filters = {};
    } else {
      const {key, value} = button.dataset;
      const values = new Set(state.filters[key] || []);
      if (values.has(value)) values.delete(value);
      else values.add(value);
      if (values.size) state.filters[key] = [...values];
      else delete state.filters[key];
    }
    changed(true);
  });
  more.addEventListener("click", () => showMore(searchId));
  filterFold.addEventListener("toggle", () => {
    if (filterFold.open && countLater) countLater().catch((error) => console.warn("search:", error));
  });
  window.addEventListener("popstate", () => {
    state = readUrl();
    input.value = state.q;
    run();
  });
  run();
}
