// Search page: Pagefind's UI with dsguide's filters; `/search/?q=…` runs the query on load.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    highlightParam: "highlight",
    openFilters: ["topic"],
    translations: { placeholder: "Search notes, e.g. burnout or take-home" }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
