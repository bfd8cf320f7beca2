/* Timeline filters: by actor, tag and source, combined (an event must match
   every filter set). The state lives in the URL query (?actor=&tag=&source=),
   so a filtered view can be shared and is restored when opened. Without
   JavaScript the form stays hidden and every event is shown. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
  var events = Array.prototype.slice.call(document.querySelectorAll("article.event[data-actors]"));
  var status = document.getElementById("filter-status");
  var none = document.getElementById("filter-none");
  var template = form.getAttribute("data-status") || "{shown} / {total}";
  // the sentence for a number that takes the singular in the page's language ("1 événement affiché")
  var templateOne = form.getAttribute("data-status-one") || template;
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang || "en") : null;

  function words(element, key) {
    var value = element.getAttribute("data-" + key) || "";
    return value ? value.split(" ") : [];
  }

  // Each event's values, read once.
  var items = events.map(function (element) {
    var values = {};
    selects.forEach(function (select) {
      var key = select.getAttribute("data-key");
      values[key] = words(element, key);
    });
    return { element: element, values: values };
  });

  function active() {
    var chosen = {};
    selects.forEach(function (select) {
      if (select.value) chosen[select.getAttribute("data-key")] = select.value;
    });
    return chosen;
  }

  function matches(item, chosen, skip) {
    for (var key in chosen) {
      if (key !== skip && item.values[key].indexOf(chosen[key]) < 0) return false;
    }
    return true;
  }

  function apply() {
    var chosen = active();
    var shown = 0;
    items.forEach(function (item) {
      var visible = matches(item, chosen, null);
      item.element.hidden = !visible;
      if (visible) shown += 1;
    });
    // Months and years left without a visible event are hidden too.
    ["section.month", "section.year"].forEach(function (selector) {
      Array.prototype.forEach.call(document.querySelectorAll(selector), function (section) {
        section.hidden = !section.querySelector("article.event:not([hidden])");
      });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".toc li[data-year]"), function (li) {
      var year = document.getElementById(li.getAttribute("data-year"));
      li.hidden = !!(year && year.parentElement.hidden);
    });
    // Each option counts the events it would show, given the other filters.
    selects.forEach(function (select) {
      var key = select.getAttribute("data-key");
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) return;
        var count = 0;
        items.forEach(function (item) {
          if (item.values[key].indexOf(option.value) >= 0 && matches(item, chosen, key)) count += 1;
        });
        option.textContent = option.getAttribute("data-label") + " (" + count + ")";
      });
    });
    var sentence = plural && plural.select(shown) === "one" ? templateOne : template;
    status.textContent = sentence.replace("{shown}", shown).replace("{total}", items.length);
    none.hidden = shown !== 0;
  }

  function save() {
    var url = new URL(window.location.href);
    selects.forEach(function (select) {
      if (select.value) { url.searchParams.set(select.name, select.value); } else { url.searchParams.delete(select.name); }
    });
    window.history.replaceState(null, "", url.toString());
  }

  function restore() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var wanted = params.get(select.name) || "";
      var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
      select.value = known ? wanted : "";
    });
  }

  form.addEventListener("change", function () { apply(); save(); });
  form.addEventListener("reset", function () {
    // After the browser has reset the fields.
    window.setTimeout(function () { apply(); save(); selects[0].focus(); }, 0);
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  restore();
  form.hidden = false;
  apply();
})();
