/* The preview's annotation panel (added by `serve` to source pages; never published).
   Select words in the article text, press "Annotate the selection", choose what to add:
   the preview works out the quote and writes the YAML. */
(function () {
  "use strict";
  var node = document.getElementById("annotate-settings");
  if (!node) return;
  var cfg = JSON.parse(node.textContent), S = cfg.strings, notText = cfg.notText.join(",");
  var chosen = null, timer = null, opener = null;

  function cp(text) { return Array.from(text).length; }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }
  function texts(p) {  /* the paragraph's own text nodes: not the numbers and links the theme adds */
    var out = [], w = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
    for (var t = w.nextNode(); t; t = w.nextNode()) {
      if (!(notText && t.parentElement.closest(notText))) out.push(t);
    }
    return out;
  }
  function ownText(p) { return texts(p).map(function (t) { return t.data; }).join(""); }
  function lead(p) { var s = ownText(p); return cp(s) - cp(s.replace(/^\s+/, "")); }
  function offsetIn(p, container, offset) {
    var r = document.createRange(), n = 0;
    r.setStart(p, 0); r.setEnd(container, offset);
    var list = texts(p);
    for (var i = 0; i < list.length; i++) {
      var t = list[i];
      if (t === container) { n += cp(t.data.slice(0, offset)); break; }
      if (!r.intersectsNode(t)) break;
      n += cp(t.data);
    }
    var stripped = cp(ownText(p).trim());
    return Math.max(0, Math.min(stripped, n - lead(p)));
  }
  function number(p) { return parseInt(p.id.slice(2), 10); }
  function selection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    var paras = Array.prototype.filter.call(document.querySelectorAll("p.para[id^='p-']"),
      function (p) { return range.intersectsNode(p); });
    if (!paras.length) return null;
    var first = paras[0], last = paras[paras.length - 1];
    var start = first.contains(range.startContainer) ? offsetIn(first, range.startContainer, range.startOffset) : 0;
    var end = last.contains(range.endContainer) ? offsetIn(last, range.endContainer, range.endOffset)
      : cp(ownText(last).trim());
    var words = paras.map(function (p, i) {
      var s = Array.from(ownText(p).trim());
      return s.slice(i === 0 ? start : 0, i === paras.length - 1 ? end : s.length).join("");
    }).join("\n");
    if (!words.trim()) return null;
    return {start: [number(first), start], end: [number(last), end], text: words, last: last, range: range};
  }

  /* the button that appears after a selection */
  var button = el("button", {type: "button", "class": "annotate-open", hidden: ""}, S.open);
  document.body.appendChild(button);
  document.addEventListener("selectionchange", function () {
    if (panel.contains(document.activeElement)) return;
    var found = selection();
    if (!found) { button.hidden = true; return; }
    chosen = found;
    /* In the document right after the paragraph (the next stop of the Tab key), shown under the selection. */
    if (button.previousElementSibling !== found.last) found.last.after(button);
    button.hidden = false;
    var box = found.range.getBoundingClientRect(), rects = found.range.getClientRects();
    if (rects.length) box = rects[rects.length - 1];
    var parent = button.offsetParent, origin = parent ? parent.getBoundingClientRect() : {top: -window.scrollY, left: -window.scrollX};
    button.style.top = (box.bottom - origin.top + 6) + "px";
    button.style.left = (Math.max(box.left - origin.left, 0)) + "px";
  });
  button.addEventListener("click", function () { open(); });

  /* the panel: a real form */
  var panel = el("section", {"class": "annotate-panel", role: "dialog", "aria-labelledby": "annotate-title", hidden: ""});
  panel.innerHTML = [
    '<form class="annotate-form" novalidate>',
    '<h2 id="annotate-title"></h2>',
    '<p class="annotate-quote"><span data-s="quote"></span>: <q id="annotate-quote"></q></p>',
    '<fieldset><legend data-s="kind"></legend>',
    ['note', 'correction', 'claim', 'evidence'].map(function (k, i) {
      return '<label><input type="radio" name="kind" value="' + k + '"' + (i ? '' : ' checked') + '> <span data-s="' + k + '"></span></label>';
    }).join(""),
    '</fieldset>',
    '<div data-for="note correction claim"><label for="annotate-body" data-s="body"></label><textarea id="annotate-body" name="body" rows="3"></textarea></div>',
    '<div data-for="correction"><label for="annotate-should" data-s="should_read"></label><input id="annotate-should" name="should_read"></div>',
    '<div data-for="evidence"><label for="annotate-event" data-s="event"></label><select id="annotate-event" name="event"></select></div>',
    '<div data-for="evidence new"><label for="annotate-date" data-s="date"></label><input id="annotate-date" name="date">',
    '<label for="annotate-etitle" data-s="title"></label><input id="annotate-etitle" name="title">',
    '<label for="annotate-id" data-s="id"></label><input id="annotate-id" name="id"></div>',
    '<p class="annotate-file"><span data-s="yaml"></span> <code id="annotate-file"></code></p>',
    '<pre id="annotate-yaml" tabindex="0"></pre>',
    '<p id="annotate-status" role="status" aria-live="polite"></p>',
    '<div class="annotate-buttons"><button type="submit" data-s="save"></button> ',
    '<button type="button" data-act="copy" data-s="copy"></button> ',
    '<button type="button" data-act="close" data-s="close"></button></div>',
    '</form>'].join("");
  document.body.appendChild(panel);
  panel.querySelector("#annotate-title").textContent = S.panel;
  panel.querySelectorAll("[data-s]").forEach(function (e) { e.textContent = S[e.getAttribute("data-s")]; });
  var form = panel.querySelector("form"), select = form.elements.event, status = panel.querySelector("#annotate-status");
  cfg.events.forEach(function (ev) { select.appendChild(el("option", {value: ev.id}, ev.date + " — " + ev.title)); });
  select.appendChild(el("option", {value: ""}, S.new_event));

  function kind() { return form.elements.kind.value; }
  function showFields() {
    var k = kind(), isNew = k === "evidence" && select.value === "";
    panel.querySelectorAll("[data-for]").forEach(function (d) {
      var f = d.getAttribute("data-for").split(" ");
      d.hidden = f.indexOf("new") >= 0 ? !isNew : f.indexOf(k) < 0;
    });
  }
  function payload() {
    var k = kind(), evidence = k === "evidence";
    return {slug: cfg.slug, digest: evidence ? cfg.eventsDigest : cfg.digest, start: chosen.start, end: chosen.end,
      text: chosen.text, kind: k, body: form.elements.body.value, should_read: form.elements.should_read.value,
      event: evidence ? select.value : "", date: form.elements.date.value, title: form.elements.title.value,
      id: form.elements.id.value};
  }
  function ask(url) {
    return fetch(url, {method: "POST", headers: {"Content-Type": "application/json", "X-Annotate-Token": cfg.token},
      body: JSON.stringify(payload())}).then(function (r) {
      return r.json().then(function (data) { if (!r.ok) throw new Error(data.error || r.status); return data; });
    });
  }
  function propose() {
    return ask(cfg.propose).then(function (data) {
      panel.querySelector("#annotate-yaml").textContent = data.snippet;
      panel.querySelector("#annotate-file").textContent = data.file;
      status.textContent = "";
      return data;
    }, function (err) { status.textContent = err.message; throw err; });
  }
  form.addEventListener("input", function () {
    showFields(); clearTimeout(timer); timer = setTimeout(function () { propose().catch(function () {}); }, 250);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    ask(cfg.write).then(function (data) {
      sessionStorage.setItem("annotate-scroll", data.anchor);
      history.scrollRestoration = "manual";  /* the reload shows the new note, not the old position */
      panel.querySelector("#annotate-yaml").textContent = data.snippet;
      status.textContent = S.saved.replace("{file}", data.file);
    }, function (err) { status.textContent = S.error + " " + err.message; });
  });
  panel.querySelector("[data-act=copy]").addEventListener("click", function () {
    propose().then(function (data) {
      return navigator.clipboard.writeText(data.snippet).then(function () { status.textContent = S.copied; });
    }).catch(function () {});
  });
  panel.querySelector("[data-act=close]").addEventListener("click", close);
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") { e.preventDefault(); close(); } });

  function open() {
    if (!chosen) return;
    opener = button;
    panel.querySelector("#annotate-quote").textContent = chosen.text.replace(/\s+/g, " ");
    panel.hidden = false; button.hidden = true; showFields();
    if (window.CSS && CSS.highlights && window.Highlight) CSS.highlights.set("annotate", new Highlight(chosen.range));
    propose().catch(function () {});
    form.elements.kind[0].focus();
  }
  function close() {
    panel.hidden = true;
    if (window.CSS && CSS.highlights) CSS.highlights.delete("annotate");
    if (chosen && chosen.last) { chosen.last.setAttribute("tabindex", "-1"); chosen.last.focus(); }
  }

  var anchor = sessionStorage.getItem("annotate-scroll");
  if (anchor) {
    sessionStorage.removeItem("annotate-scroll");
    var target = document.getElementById(anchor);
    if (target) {
      target.classList.add("annotate-new");
      var show = function () { target.scrollIntoView({block: "center"}); history.scrollRestoration = "auto"; };
      if (document.readyState === "complete") show(); else window.addEventListener("load", show);
    }
  }
})();
