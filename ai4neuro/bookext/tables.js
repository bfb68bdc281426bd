/* Searchable, sortable paper tables. Every div.ai4n-table opens as a plain table of one year (the page's
   HTML, readable without this script) and has its rows ({"columns": [...], "rows": [[...], ...]}) either
   inside it, as JSON, or in the file its data-rows names (tables/<hash>.js beside this script, loaded with
   a <script src> when the table nears the screen, so that it works from file:// too). Titles are data from
   outside: they are written with textContent, never as HTML, and links only ever point to https:// addresses. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var rowsFolder = here ? here.replace(/tables\.js(\?.*)?$/, "tables/") : "tables/";

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function options(select, values, chosen) {
    values.forEach(function (value) {
      var option = el("option", String(value));
      option.value = String(value);
      if (String(value) === String(chosen)) { option.selected = true; }
      select.appendChild(option);
    });
  }

  function unique(values) {
    return values.filter(function (v, i) { return values.indexOf(v) === i; });
  }

  /* The rows: inside the container, or loaded once from the file its data-rows names. */
  function rowsOf(container) {
    var inline = container.querySelector("script.ai4n-table-data");
    if (inline) { return Promise.resolve(JSON.parse(inline.textContent)); }
    var name = container.dataset.rows;
    var loaded = window.ai4nTableRows || {};
    if (loaded[name]) { return Promise.resolve(loaded[name]); }
    return new Promise(function (resolve, reject) {
      var script = el("script");
      script.src = rowsFolder + encodeURIComponent(name) + ".js";
      script.onload = function () { resolve((window.ai4nTableRows || {})[name]); };
      script.onerror = function () { reject(new Error("the rows of " + container.id + " did not load")); };
      document.head.appendChild(script);
    });
  }

  function setup(container, data) {
    if (!data) { throw new Error("no rows for " + container.id); }
    container.textContent = "";  // the page's plain table of one year gives way to the searchable one
    var col = {};
    data.columns.forEach(function (name, i) { col[name] = i; });
    var shown = [["title", "Title"], ["label", "Label"], ["rules", "Matched rules"]];
    var state = { conference: container.dataset.conference, year: container.dataset.year, query: "", sortBy: "title", ascending: true };

    var controls = el("div"); controls.className = "ai4n-table-controls";
    var conference = el("select"); conference.setAttribute("aria-label", "Conference");
    var year = el("select"); year.setAttribute("aria-label", "Year");
    var search = el("input"); search.type = "search"; search.placeholder = "Search titles, labels, rules"; search.setAttribute("aria-label", "Search the table");
    var count = el("span"); count.className = "ai4n-table-count"; count.setAttribute("aria-live", "polite");
    controls.append(conference, year, search, count);

    var scroll = el("div"); scroll.className = "ai4n-table-scroll";
    var table = el("table"); table.className = "table";
    var head = el("thead"); var headRow = el("tr"); var body = el("tbody");
    shown.forEach(function (pair) {
      var th = el("th"); th.dataset.column = pair[0]; th.scope = "col";
      var button = el("button", pair[1]); button.type = "button"; button.className = "ai4n-sort";
      var printed = el("span", pair[1]); printed.className = "ai4n-print-only";
      button.addEventListener("click", function () {
        state.ascending = state.sortBy === pair[0] ? !state.ascending : true;
        state.sortBy = pair[0];
        render();
      });
      th.append(button, printed); headRow.appendChild(th);
    });
    head.appendChild(headRow); table.append(head, body); scroll.appendChild(table);
    container.append(controls, scroll);

    options(conference, unique(data.rows.map(function (r) { return r[col.conference]; })), state.conference);
    function fillYears() {
      year.textContent = "";
      var years = unique(data.rows.filter(function (r) { return r[col.conference] === conference.value; })
        .map(function (r) { return r[col.year]; })).sort(function (a, b) { return b - a; });
      if (years.map(String).indexOf(String(state.year)) < 0) { state.year = years[0]; }
      options(year, years, state.year);
    }
    fillYears();

    conference.addEventListener("change", function () { fillYears(); render(); });
    year.addEventListener("change", function () { state.year = year.value; render(); });
    search.addEventListener("input", function () { state.query = search.value.trim().toLowerCase(); render(); });

    function render() {
      var total = 0;
      var rows = data.rows.filter(function (r) {
        if (r[col.conference] !== conference.value || String(r[col.year]) !== year.value) { return false; }
        total += 1;
        if (!state.query) { return true; }
        return [r[col.title], r[col.label], r[col.rules]].join(" ").toLowerCase().indexOf(state.query) >= 0;
      });
      var key = col[state.sortBy];
      rows.sort(function (a, b) {
        var order = String(a[key]).localeCompare(String(b[key]), undefined, { sensitivity: "base" });
        return state.ascending ? order : -order;
      });
      headRow.querySelectorAll("th").forEach(function (th) {
        th.setAttribute("aria-sort", th.dataset.column === state.sortBy ? (state.ascending ? "ascending" : "descending") : "none");
      });
      body.textContent = "";
      rows.forEach(function (r) {
        var tr = el("tr");
        var title = el("td");
        var url = String(r[col.url] || "");
        if (url.indexOf("https://") === 0) {
          var link = el("a", r[col.title]); link.href = url; link.rel = "noopener"; title.appendChild(link);
        } else {
          title.textContent = r[col.title];
        }
        var label = el("td", r[col.label]); var rules = el("td", r[col.rules]);
        title.className = "ai4n-title";
        label.dataset.label = shown[1][1]; rules.dataset.label = shown[2][1];
        tr.append(title, label, rules);
        body.appendChild(tr);
      });
      if (!rows.length && state.query) {  // a search that finds nothing says so in the table, not by a bare header
        var none = el("td", "No paper matches \u201c" + search.value.trim() + "\u201d in " + conference.value + " " + year.value + ".");
        none.colSpan = shown.length; none.className = "ai4n-no-match";
        var row = el("tr"); row.appendChild(none); body.appendChild(row);
      }
      count.textContent = conference.value + " " + year.value + ": " +
        (state.query ? rows.length + " of " + total + " papers match" : total + (total === 1 ? " paper" : " papers"));
    }
    render();
  }

  function start() {
    var containers = Array.prototype.slice.call(document.querySelectorAll("div.ai4n-table"));
    var begun = new Set();
    function begin(container) {
      if (begun.has(container)) { return; }
      begun.add(container);
      rowsOf(container).then(function (data) { setup(container, data); }).catch(function (error) {
        console.error("ai4n-table", error);  // the plain table of one year stays
      });
    }
    if (!("IntersectionObserver" in window)) { containers.forEach(begin); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); begin(entry.target); }
      });
    }, { rootMargin: "600px 0px" });
    containers.forEach(function (container) { observer.observe(container); });
    // Printing: the plain table of the opening year prints as it is; the searchable one replaces it
    // with the same rows when it is ready in time.
    window.addEventListener("beforeprint", function () { containers.forEach(begin); });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
