// paperscope search box: BM25 over the index that paperscope.search_box.search_index wrote,
// with the query read exactly as paperscope.tokens reads text. No network, no library.
// Paper text is only inserted with textContent; links must be http(s).
(function () {
  "use strict";
  const ES_PLURAL = ["sses", "xes", "ches", "shes", "zzes"];
  const KEEP_S = ["ss", "us", "is", "ies", "ics", "ices", "as", "os"];
  const PLURAL = /\b([a-z][a-z0-9\-]{2,})s\b/g;

  function foldPlurals(text) {
    return text.toLowerCase().replace(PLURAL, (word, stem) => {
      if (ES_PLURAL.some((end) => word.endsWith(end))) return word.slice(0, -2);
      return KEEP_S.some((end) => word.endsWith(end)) ? word : stem;
    });
  }
  function words(text) {
    const folded = foldPlurals(text.normalize("NFKD").replace(/\p{M}/gu, ""));
    return folded.split(/[^a-z0-9]+/).filter((w) => w.length > 0);
  }

  function makeSearch(index) {
    const stop = new Set(index.stop);
    const generic = new Set(index.generic);
    const english = new Set(index.english);
    const n = index.papers.length;
    const lengths = index.lengths;
    let total = 0;
    for (const len of lengths) total += len;
    const avgdl = n ? total / n || 1 : 1;
    const isContent = (w) => w.length > 1 && !stop.has(w);
    const notGeneric = (w) => w.length > 1 && !generic.has(w);

    function queryTerms(query) {
      // paperscope.tokens.search_terms, then paperscope.tokens.acronyms (the candidates)
      const ws = words(query);
      const found = ws.filter(isContent);
      const pairs = [];
      for (let i = 0; i + 1 < ws.length; i++) {
        if (isContent(ws[i]) && isContent(ws[i + 1])) pairs.push(ws[i] + " " + ws[i + 1]);
      }
      found.push(...pairs);
      const candidates = [];
      const kept = ws.filter((w) => !english.has(w) && /^[a-z]/.test(w));
      const twoGeneric = kept.length === 2 && !kept.every(notGeneric);
      if (!twoGeneric && kept.length >= 2 && kept.length <= 6) candidates.push(kept.map((w) => w[0]).join(""));
      const all = ws.filter((w) => !["a", "an", "the"].includes(w) && /^[a-z]/.test(w));
      if (all.length >= 3 && all.length <= 6) candidates.push(all.map((w) => w[0]).join(""));
      const singles = [...new Set(found.slice(0, found.length - pairs.length))];
      const terms = [...new Set(found)];
      const phrase = pairs.length ? [...new Set(pairs)] : terms.slice();
      return { terms: terms, singles: singles, phrase: phrase,
               candidates: [...new Set(candidates)].filter((c) => !terms.includes(c)) };
    }
    function postings(term) {
      const flat = Object.prototype.hasOwnProperty.call(index.terms, term) ? index.terms[term] : null;
      if (!flat) return null;
      const out = [];
      let doc = 0;
      for (let i = 0; i < flat.length; i += 2) {
        doc += flat[i];
        out.push([doc, flat[i + 1]]);
      }
      return out;
    }
    function kept(short, read) {
      // paperscope.retrieval.BM25.acronyms_kept: dropped when the query has no phrase or an unknown
      // word, or when no paper using it names the phrase while as many papers name the phrase
      if (!read.phrase.length || read.singles.some((w) => !postings(w))) return false;
      const holding = postings(short);
      if (!holding) return false;
      const sets = read.phrase.map((t) => new Set((postings(t) || []).map(([doc]) => doc)));
      let both = 0;
      for (const [doc] of holding) if (sets.every((set) => set.has(doc))) both++;
      if (both >= 2 || (both > 0 && both >= index.acronym_share * holding.length)) return true;
      let named = 0;
      for (const doc of sets[0]) if (sets.every((set) => set.has(doc))) named++;
      return named < holding.length;
    }
    return function search(query, k) {
      const read = queryTerms(query);
      const terms = read.terms.concat(read.candidates.filter((c) => kept(c, read)));
      const scores = new Float64Array(n);
      const matched = Array.from({ length: n }, () => []);
      for (const term of terms) {
        const list = postings(term);
        if (!list) continue;
        const df = list.length;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        for (const [doc, tf] of list) {
          const norm = index.k1 * (1 - index.b + index.b * lengths[doc] / avgdl);
          scores[doc] += idf * tf * (index.k1 + 1) / (tf + norm);
          matched[doc].push(term);
        }
      }
      const hits = [];
      for (let i = 0; i < n; i++) {
        const score = Math.round(scores[i] * 1e4) / 1e4;
        if (score > 0) hits.push({ doc: i, score: score, terms: matched[i] });
      }
      hits.sort((a, b) => b.score - a.score || a.doc - b.doc);
      return { terms: terms, hits: hits.slice(0, k), total: hits.length };
    };
  }

  function render(box, search, k) {
    const input = box.querySelector(".ps-search-input");
    const status = box.querySelector(".ps-search-status");
    const list = box.querySelector(".ps-search-results");
    const papers = search.index.papers;
    function update() {
      list.replaceChildren();
      const query = input.value;
      if (!query.trim()) { status.textContent = ""; box.dataset.results = "0"; return; }
      const result = search.run(query, k);
      status.textContent = result.total
        ? `${result.total} paper(s) contain a word of the query; the best ${result.hits.length}:`
        : "No paper contains these words (stop words such as 'the' are not searched).";
      for (const hit of result.hits) {
        const [title, date, links] = papers[hit.doc];
        const li = document.createElement("li");
        const strong = document.createElement("span");
        strong.className = "ps-title";
        strong.textContent = title;
        li.appendChild(strong);
        const meta = document.createElement("div");
        meta.className = "ps-meta";
        meta.textContent = (date ? date + " · " : "") + "matches: " + hit.terms.join(", ") +
          " · score " + hit.score.toFixed(2);
        for (const [label, url] of links) {
          if (!/^https?:\/\//i.test(url)) continue;
          const a = document.createElement("a");
          a.href = url;
          a.textContent = label;
          a.target = "_blank";
          a.rel = "noopener noreferrer";
          meta.appendChild(a);
        }
        li.appendChild(meta);
        list.appendChild(li);
      }
      box.dataset.results = String(result.hits.length);
    }
    input.addEventListener("input", update);
    update();
  }

  async function unpack(b64) {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Response(stream).text();
  }
  async function start(box) {
    box.dataset.ready = "loading";
    const status = box.querySelector(".ps-search-status");
    try {
      const text = await unpack(box.querySelector("script.ps-search-index").textContent.trim());
      const index = JSON.parse(text);
      const config = JSON.parse(box.querySelector("script.ps-search-config").textContent);
      render(box, { index: index, run: makeSearch(index) }, config.k);
      box.dataset.ready = "1";
    } catch (err) {
      status.textContent = "This search box needs a browser that supports DecompressionStream.";
      box.dataset.ready = "failed";
      throw err;
    }
  }
  if (typeof document !== "undefined") {
    for (const box of document.querySelectorAll(".paperscope-search")) {
      if (!box.dataset.ready) start(box);
    }
  }
  if (typeof module !== "undefined" && module.exports) {
    module.exports = { makeSearch: makeSearch, words: words };  // for paperscope's tests under Node
  }
})();
