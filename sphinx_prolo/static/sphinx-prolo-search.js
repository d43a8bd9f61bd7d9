/* sphinx-prolo on the search page: readers' words first, and each page's summary.
 *
 * Through the two hooks Sphinx's search script offers:
 * - Scorer.score: an article whose keywords (window.PROLO_SEARCH_WORDS, written by the build)
 *   hold every word searched for comes first; other results keep Sphinx's order.
 * - Search.makeSearchSummary: under a whole page's result (not a section's), the page's meta
 *   description (an article's summary) is shown instead of a cut of its text; it is set as text,
 *   never as HTML.
 * Without either hook, Sphinx's search works as it always does.
 */
"use strict";

(() => {
  const KEYWORD_BONUS = 1000;
  const wordsOf = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  // "injections" finds "injection" and the other way round, as Sphinx's stemming would.
  const sameWord = (asked, known) =>
    asked === known ||
    (asked.length > 3 && known.length > 3 && (asked.startsWith(known) || known.startsWith(asked)));

  // Sphinx's search script loads after this one and runs the search on DOMContentLoaded, after
  // the handler below (added first): the hooks are replaced there.
  const rankByKeywords = () => {
    const scorer = window.Scorer;
    const keywords = window.PROLO_SEARCH_WORDS || {};
    if (!scorer || typeof scorer !== "object") {
      return;
    }
    const asked = wordsOf(new URLSearchParams(window.location.search).get("q") || "");
    const sphinxScore = typeof scorer.score === "function" ? scorer.score : null;
    scorer.score = (result) => {
      const [docname, , anchor] = result;
      let score = sphinxScore ? sphinxScore(result) : result[4];
      const known = (keywords[docname] || []).flatMap(wordsOf);
      if (!anchor && asked.length && asked.every((a) => known.some((k) => sameWord(a, k)))) {
        score += KEYWORD_BONUS;
      }
      return score;
    };
  };

  const showSummaries = () => {
    // Sphinx declares Search with const: a global name, not a property of window.
    // eslint-disable-next-line no-undef
    const search = typeof Search === "undefined" ? null : Search;
    if (!search || typeof search.makeSearchSummary !== "function") {
      return;
    }
    const sphinxSummary = search.makeSearchSummary;
    search.makeSearchSummary = (htmlText, keywords, anchor) => {
      if (!anchor) {
        const page = new DOMParser().parseFromString(htmlText, "text/html");
        const description = page.querySelector('meta[name="description"]');
        const text = description ? (description.getAttribute("content") || "").trim() : "";
        if (text) {
          const summary = document.createElement("p");
          summary.classList.add("context", "prolo-search-summary");
          summary.textContent = text;
          return summary;
        }
      }
      return sphinxSummary(htmlText, keywords, anchor);
    };
  };

  document.addEventListener("DOMContentLoaded", () => {
    rankByKeywords();
    showSummaries();
  });
})();
