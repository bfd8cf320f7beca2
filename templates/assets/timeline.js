/* Timeline filters: by actor, tag and source, combined (an event must match
   every filter set). The state lives in the URL query (?actor=&tag=&source=),
   so a filtered view can be shared and is restored when opened. Without
   JavaScript the form stays hidden and every event is shown.
   A timeline cut into pages by year (the form has data-events) filters
   every event of the site, read from the events data (data/events.json)
   once a filter is chosen, and lists the matches in place of the latest
   events. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
  var events = Array.prototype.slice.call(document.querySelectorAll("article.event[data-actors]"));
  var dataUrl = form.getAttribute("data-events");
  var results = document.getElementById("filter-results");
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

  // Each event's values, read once (from the data, for a timeline cut into pages: see load).
  var items = dataUrl ? [] : events.map(function (element) {
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

  function unique(list) {
    return list.filter(function (value, index) { return value && list.indexOf(value) === index; });
  }

  // The events data -> items; each links to its event on the page that holds it.
  function fromData(data) {
    return data.map(function (event) {
      var url = new URL(event.url, window.location.href);
      return {
        element: null, title: event.title, date: event.date, href: url.pathname + url.hash,
        values: {
          actors: event.actors || [], tags: event.tags || [],
          sources: unique((event.evidence || []).map(function (ev) { return ev.source || ""; }))
        }
      };
    });
  }

  var loading = null;
  function load() {
    if (!loading) {
      loading = fetch(dataUrl).then(function (response) { return response.json(); }).then(function (data) {
        items = fromData(data);
      });
    }
    return loading;
  }

  function listMatches(chosen) {
    var filtering = Object.keys(chosen).length > 0;
    Array.prototype.forEach.call(document.querySelectorAll("section.year, #latest"), function (element) {
      element.hidden = filtering;
    });
    results.hidden = !filtering;
    results.textContent = "";
    if (!filtering) return items.length;
    var shown = 0;
    items.forEach(function (item) {
      if (!matches(item, chosen, null)) return;
      shown += 1;
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.href;
      link.textContent = item.title;
      var time = document.createElement("time");
      time.textContent = item.date;
      time.setAttribute("datetime", item.date.replace("~", ""));
      li.appendChild(link);
      li.appendChild(document.createTextNode(" · "));
      li.appendChild(time);
      results.appendChild(li);
    });
    return shown;
  }

  function apply() {
    var chosen = active();
    if (dataUrl) {
      if (!Object.keys(chosen).length && !items.length) {
        listMatches(chosen);
        status.textContent = "";
        none.hidden = true;
        return;
      }
      load().then(function () { show(chosen, listMatches(chosen)); });
      return;
    }
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
    show(chosen, shown);
  }

  function show(chosen, shown) {
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
      if (!known && wanted && dataUrl) {  // a value the menu leaves out (it offers the most frequent)
        var option = document.createElement("option");
        option.value = wanted;
        option.setAttribute("data-label", wanted);
        option.textContent = wanted;
        select.appendChild(option);
        known = true;
      }
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
