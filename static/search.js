// Search page: Pagefind's UI with dsguide's filters. `/search/?q=burnout` runs the query on load, and the
// address follows what is typed, so a search can be shared or returned to with Back.
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.getAttribute("data-bundle"),
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    highlightParam: "highlight",
    openFilters: ["topic"],
    translations: { placeholder: "Search notes, e.g. burnout or take-home" }
  });
  // Pagefind's box has only a title; the page heading names it for assistive technology too.
  var box = root.querySelector(".pagefind-ui__search-input");
  var heading = document.getElementById("search-h");
  if (box && heading) box.setAttribute("aria-labelledby", "search-h");

  var params = new URLSearchParams(window.location.search);
  var query = params.get("q");
  if (query) ui.triggerSearch(query);

  var timer = null;
  root.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.classList || !input.classList.contains("pagefind-ui__search-input")) return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(window.location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value.trim());
      else url.searchParams.delete("q");
      window.history.replaceState(null, "", url);
    }, 300);
  });
})();
