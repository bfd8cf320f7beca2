/* The search page: Pagefind's interface over the index built with the site.
   The query lives in the URL (?q=), so the search box of every page (a plain
   form) lands here with its query, and a search can be shared. */
(function () {
  "use strict";
  var root = document.getElementById("search");
  if (!root || typeof PagefindUI !== "function") return;
  var params = new URLSearchParams(window.location.search);
  var query = params.get("q") || "";
  var paragraph = root.getAttribute("data-paragraph") || "¶";

  // Pagefind's sub-results stop at headings with an id. Narrow each one to
  // the finest anchor before its first hit: an article paragraph (#p-N) or
  // note of a source page, or the event that a heading opens on the timeline
  // (the heading's id is "<event>_title", the event's own id "<event>").
  function refine(result) {
    var anchors = (result.anchors || []).slice().sort(function (a, b) { return a.location - b.location; });
    var page = result.url.split("#")[0];
    (result.sub_results || []).forEach(function (sub) {
      if (!sub.locations || !sub.locations.length) return;
      var first = Math.min.apply(null, sub.locations);
      var from = sub.anchor ? sub.anchor.location : -1;
      var finest = null;
      anchors.forEach(function (a) {
        if (a.location <= first && a.location >= from && /^(p-\d+|note-\d+-text)$/.test(a.id)) finest = a;
      });
      if (finest) {
        var number = finest.id.match(/\d+/)[0];
        sub.url = page + "#" + finest.id;
        sub.title = sub.title + " · " + (finest.id.charAt(0) === "p" ? paragraph + " " + number : "[" + number + "]");
        return;
      }
      if (sub.anchor && /_title$/.test(sub.anchor.id)) {
        sub.url = page + "#" + sub.anchor.id.replace(/_title$/, "");
      }
    });
    return result;
  }

  var ui = new PagefindUI({
    element: "#search",
    bundlePath: root.getAttribute("data-bundle"),
    baseUrl: root.getAttribute("data-base-url"),
    showSubResults: true,
    showImages: false,
    autofocus: !query,
    resetStyles: false,
    // Pagefind's own French calls the button that empties the box "Nettoyer" (to clean): the theme's word instead
    translations: root.getAttribute("data-clear") ? { clear_search: root.getAttribute("data-clear") } : {},
    processResult: refine
  });
  // Pagefind names its box only by a title; give it a label of its own.
  var box = root.querySelector("input");
  if (box) box.setAttribute("aria-label", root.getAttribute("data-label") || "Search");
  if (query) {
    ui.triggerSearch(query);
  }
  var timer = null;
  root.addEventListener("input", function (event) {
    if (!event.target.matches("input[type=text], input[type=search]")) return;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      var url = new URL(window.location.href);
      var value = event.target.value.trim();
      if (value) { url.searchParams.set("q", value); } else { url.searchParams.delete("q"); }
      window.history.replaceState(null, "", url.toString());
    }, 300);
  });
})();
