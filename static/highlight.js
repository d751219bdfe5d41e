// Marks the words of the search that opened this page (search results link with ?highlight=word), but
// never a stop word ("to", "with", "how": search.js's list, for links made before it dropped them).
// Progressive enhancement: without ?highlight, or without JavaScript, nothing else is loaded.
(function () {
  "use strict";
  var script = document.currentScript;
  var words = new URLSearchParams(window.location.search).getAll("highlight")
    .map(function (w) { return w.trim().toLowerCase(); })
    .filter(Boolean);
  if (!words.length || !script) return;

  // The synonyms the index used (site.yaml search.synonyms): a search for "IC" marks "individual contributor".
  var groups = [];
  try { groups = JSON.parse(script.getAttribute("data-synonyms") || "[]"); } catch (e) { groups = []; }
  var query = " " + words.join(" ") + " ";
  var terms = words.slice();
  groups.forEach(function (group) {
    var used = group.some(function (term) { return query.indexOf(" " + term.toLowerCase() + " ") !== -1; });
    if (used) terms = terms.concat(group);
  });

  function escape(text) { return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }
  // Short terms match whole words only ("ic" must not mark "topic"); longer ones mark every word they
  // start, as Pagefind finds "interview" in "interviews".
  function patternFor(list) {
    var parts = list.map(function (term) {
      var body = term.split(/\s+/).map(escape).join("\\s+");
      return term.length <= 3 ? body + "(?:s)?(?![\\p{L}\\p{N}])" : body + "[\\p{L}\\p{N}]*";
    });
    parts.sort(function (a, b) { return b.length - a.length; });
    return new RegExp("(?<![\\p{L}\\p{N}])(?:" + parts.join("|") + ")", "giu");
  }

  var searchModule = new URL("search.js", script.src).href;
  Promise.all([import(script.getAttribute("data-bundle")), import(searchModule)]).then(function (modules) {
    var Highlight = modules[0].default;
    var stopWords = modules[1].STOP_WORDS;
    var kept = terms.filter(function (term) { return !stopWords.has(term.toLowerCase()); });
    if (!kept.length) return;
    var pattern = patternFor(kept);
    var Marker = class extends Highlight {
      markText(instance) { instance.markRegExp(pattern, this.markOptions); }
    };
    new Marker({
      highlightParam: "highlight",
      addStyles: false,
      markOptions: { className: "search-hit", exclude: ["[data-pagefind-ignore]", "[data-pagefind-ignore] *", ".synonyms"] }
    });
    var first = document.querySelector("mark.search-hit");
    if (first && !window.location.hash) first.scrollIntoView({ block: "center" });
  }).catch(function () { /* no search bundle (e.g. a build without an index): the page reads as it is */ });
})();
