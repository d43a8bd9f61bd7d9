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

  // When the page has its own heading, Sphinx's "Search Results" heading is a second one:
  // hidden, its status line stays. When nothing matches, the status says what to try and
  // links the conditions A to Z (window.PROLO_SEARCH_TEXT, written by the build), as text.
  const tidyResults = () => {
    const results = document.getElementById("search-results");
    const text = window.PROLO_SEARCH_TEXT || {};
    if (!results) {
      return;
    }
    const tidy = () => {
      const title = results.querySelector(":scope > h2");
      if (title && document.querySelector("h1") && !title.hidden) {
        title.hidden = true;
      }
      const status = results.querySelector(":scope > p.search-summary");
      const found = results.querySelector("ul.search > li");
      // Sphinx names its heading "Search Results" once the search has finished.
      // Sphinx declares Documentation with const: a global name, not a property of window.
      // eslint-disable-next-line no-undef
      const doc = typeof Documentation === "undefined" ? null : Documentation;
      const heading = doc ? doc.gettext("Search Results") : "Search Results";
      const finished = title && title.textContent === heading;
      const fresh = status && !status.classList.contains("prolo-no-results");
      if (finished && fresh && !found && text.none) {
        status.classList.add("prolo-no-results");
        status.textContent = text.none;
        if (text.conditions && text.conditions_url) {
          status.append(" ");
          const link = document.createElement("a");
          link.href = text.conditions_url;
          link.textContent = text.conditions;
          status.append(link);
          status.append(".");
        }
      }
    };
    new MutationObserver(tidy).observe(results, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    // The search may finish before this runs, or between two observations: look again a few
    // times, for a few seconds at most.
    let looks = 0;
    const again = setInterval(() => {
      tidy();
      looks += 1;
      if (looks > 40 || results.querySelector(".prolo-no-results, ul.search > li")) {
        clearInterval(again);
      }
    }, 250);
  };

  document.addEventListener("DOMContentLoaded", () => {
    rankByKeywords();
    showSummaries();
    tidyResults();
  });
})();
