// Marks the words of the search that opened this page (Pagefind result links add ?highlight=word).
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
  var parts = terms.map(function (term) {
    var body = term.split(/\s+/).map(escape).join("\\s+");
    return term.length <= 3 ? body + "(?:s)?(?![\\p{L}\\p{N}])" : body + "[\\p{L}\\p{N}]*";
  });
  parts.sort(function (a, b) { return b.length - a.length; });
  var pattern = new RegExp("(?<![\\p{L}\\p{N}])(?:" + parts.join("|") + ")", "giu");

  import(script.getAttribute("data-bundle")).then(function (module) {
    var Highlight = module.default;
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
