/* Draw the book's charts: every div.ai4n-chart holds its Vega spec (compiled from Vega-Lite at build time)
   in a JSON script. The Vega runtime (vega-bundle.js, beside this file) is fetched when the first chart
   nears the screen, and each chart is drawn when it does; until then a chart costs nothing.
   - Width: the spec comes with the static drawing's plot width (data-width); here every width that holds it
     becomes the column's, less the room the axes take, and again whenever the column's width changes.
   - Colours: axis, legend and panel-title text follow the page text colour; charts redraw when the theme switches.
   - Tooltips: on hover, and on tap (a touch screen has no hover); a tap elsewhere or Escape closes it. */
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  var bundleUrl = here ? here.replace(/charts\.js(\?.*)?$/, "vega-bundle.js") : "vega-bundle.js";
  var views = new Map();
  var loading = null;
  var tooltip = null;

  function loadVega() {
    if (window.vega) { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundleUrl;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("the Vega bundle did not load")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function isDark() {
    return document.documentElement.getAttribute("data-theme") === "dark";
  }

  function themeConfig(container) {
    var text = getComputedStyle(container).color;
    var grid = isDark() ? "rgba(255,255,255,0.16)" : "rgba(0,0,0,0.12)";
    var label = { fill: text };
    return {
      background: "transparent",
      axis: { labelColor: text, titleColor: text, domainColor: text, tickColor: text, gridColor: grid,
              labelFontSize: 11, titleFontSize: 12 },
      legend: { labelColor: text, titleColor: text, labelFontSize: 12 },
      header: { labelColor: text, titleColor: text },  // a panel's title ("NeurIPS"), in the page's text colour
      title: { color: text },
      style: { "guide-label": label, "guide-title": label, "group-title": label, "group-subtitle": label,
               cell: { stroke: null } }
    };
  }

  function merge(target, source) {
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (value && typeof value === "object" && !Array.isArray(value)) {
        target[key] = merge(target[key] && typeof target[key] === "object" ? target[key] : {}, value);
      } else {
        target[key] = value;
      }
    });
    return target;
  }

  function readSpec(container) {
    return JSON.parse(container.querySelector("script.ai4n-spec").textContent);
  }

  /* The names of the signals that hold the static plot width (a single view's "width", a facet's child width). */
  function widthSignals(spec, width) {
    var names = (spec.signals || []).filter(function (signal) {
      return /width$/i.test(signal.name) && signal.value === width;
    }).map(function (signal) { return signal.name; });
    if (spec.width === width) { names.push("width"); }
    return names;
  }

  function available(container) {
    return Math.max(120, Math.floor(container.getBoundingClientRect().width));
  }

  /* Set the plot width to the column's less the axes' room (measured after the first layout), so that
     the drawing is exactly as wide as its column: never scaled down, its text at the size it was set. */
  function fit(container, state) {
    var column = available(container);
    state.column = column;
    if (!state.names.length) { return Promise.resolve(); }
    var set = function (plot) {
      state.names.forEach(function (name) { state.view.signal(name, plot); });
      return state.view.runAsync();
    };
    var plot = Math.max(100, column - state.overhead);
    return set(plot).then(function () {
      var svg = container.querySelector(".ai4n-view svg");
      var drawn = svg ? parseFloat(svg.getAttribute("width")) : column;
      var overflow = drawn - column;
      if (overflow > 0 || overflow < -2) {
        state.overhead = Math.max(0, Math.ceil(state.overhead + overflow));
        return set(Math.max(100, column - state.overhead));
      }
    });
  }

  function draw(container) {
    var old = views.get(container);
    if (old) { old.view.finalize(); }
    container.setAttribute("data-rendered", "drawing");
    var target = container.querySelector(".ai4n-view");
    if (!target) {
      target = document.createElement("div");
      target.className = "ai4n-view";
      target.setAttribute("aria-hidden", "true");
      container.appendChild(target);
    }
    var spec = readSpec(container);
    var width = parseFloat(container.dataset.width);
    var state = { names: widthSignals(spec, width), overhead: old ? old.overhead : 0, column: 0 };
    spec.config = merge(spec.config || {}, themeConfig(container));
    // "pad" sizing only ever grows the view unless told to resize: a narrower column must shrink it.
    var autosize = typeof spec.autosize === "string" ? { type: spec.autosize } : (spec.autosize || { type: "pad" });
    spec.autosize = merge(autosize, { resize: true });
    // ast + expressionInterpreter: Vega evaluates expressions without `new Function` (the pages' CSP allows no eval)
    state.view = new window.vega.View(window.vega.parse(spec, null, { ast: true }), {
      renderer: "svg", container: target, hover: true, tooltip: showTooltip, expr: window.vega.expressionInterpreter
    });
    state.view.addEventListener("click", function (event, item) { tapped(event, item); });
    views.set(container, state);
    return state.view.runAsync().then(function () {
      return fit(container, state);
    }).then(function () {
      container.setAttribute("data-rendered", "true");
    }).catch(function (error) {
      container.setAttribute("data-rendered", "error");
      console.error("ai4neuro chart " + container.id + ": " + error);
    });
  }

  /* ---- tooltips: one element for the page, filled as text (never HTML) */

  function tooltipElement() {
    if (!tooltip) {
      tooltip = document.createElement("div");
      tooltip.id = "vg-tooltip-element";
      tooltip.className = "ai4n-tooltip" + (isDark() ? " dark" : "");
      tooltip.setAttribute("role", "tooltip");
      document.body.appendChild(tooltip);
    }
    return tooltip;
  }

  function hideTooltip() {
    if (tooltip) { tooltip.classList.remove("visible"); }
  }

  function fillTooltip(value, x, y) {
    var element = tooltipElement();
    element.className = "ai4n-tooltip visible" + (isDark() ? " dark" : "");
    element.textContent = "";
    if (value && typeof value === "object") {
      var table = document.createElement("table");
      Object.keys(value).forEach(function (key) {
        var row = table.insertRow();
        var name = row.insertCell();
        name.className = "key";
        name.textContent = key;
        row.insertCell().textContent = String(value[key]);
      });
      element.appendChild(table);
    } else {
      element.textContent = String(value);
    }
    var box = element.getBoundingClientRect();
    var left = Math.min(Math.max(8, x + 12), window.innerWidth - box.width - 8);
    var top = y + 14 + box.height > window.innerHeight ? y - box.height - 14 : y + 14;
    element.style.left = left + window.scrollX + "px";
    element.style.top = Math.max(8, top) + window.scrollY + "px";
  }

  var pinnedUntil = 0;

  /* Vega's tooltip handler: hover shows, leaving hides, except just after a tap (the touch ends with a leave). */
  function showTooltip(handler, event, item, value) {
    if (value === undefined || value === null || value === "") {
      if (Date.now() > pinnedUntil) { hideTooltip(); }
      return;
    }
    fillTooltip(value, event.clientX, event.clientY);
  }

  function tapped(event, item) {
    if (item && item.tooltip !== undefined && item.tooltip !== null && item.tooltip !== "") {
      pinnedUntil = Date.now() + 600;
      fillTooltip(item.tooltip, event.clientX, event.clientY);
    }
  }

  function watchTooltipClose() {
    document.addEventListener("pointerdown", function (event) {
      if (!event.target.closest || !event.target.closest("div.ai4n-chart")) { hideTooltip(); }
    });
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { hideTooltip(); } });
    window.addEventListener("scroll", function () { if (Date.now() > pinnedUntil) { hideTooltip(); } },
                            { passive: true });
  }

  /* ---- when to draw */

  function drawWhenNear(containers) {
    var start = function (container) {
      loadVega().then(function () { return draw(container); }).catch(function (error) {
        container.setAttribute("data-rendered", "error");
        console.error("ai4neuro charts: " + error.message);
      });
    };
    if (!("IntersectionObserver" in window)) { containers.forEach(start); return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); start(entry.target); }
      });
    }, { rootMargin: "300px 0px" });
    containers.forEach(function (container) { observer.observe(container); });
  }

  function watchWidths() {
    if (!("ResizeObserver" in window)) { return; }
    var timer = null;
    var observer = new ResizeObserver(function () {
      views.forEach(function (state, container) {  // mark it at once: tests and readers see "not settled yet"
        if (available(container) !== state.column) { container.setAttribute("data-rendered", "resizing"); }
      });
      clearTimeout(timer);
      timer = setTimeout(function () {
        views.forEach(function (state, container) {
          if (available(container) !== state.column) {
            fit(container, state).then(function () { container.setAttribute("data-rendered", "true"); });
          } else if (container.dataset.rendered === "resizing") {  // back to the width it was drawn for
            container.setAttribute("data-rendered", "true");
          }
        });
      }, 120);
    });
    document.querySelectorAll("div.ai4n-chart").forEach(function (container) { observer.observe(container); });
  }

  function watchTheme() {
    var last = isDark();
    new MutationObserver(function () {
      if (isDark() === last) { return; }
      last = isDark();
      views.forEach(function (state, container) { draw(container); });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  /* Printing from the browser: draw the charts not yet scrolled to (as far as there is time). */
  function drawBeforePrint(containers) {
    window.addEventListener("beforeprint", function () {
      if (!window.vega) { return; }
      containers.forEach(function (container) { if (!views.has(container)) { draw(container); } });
    });
  }

  function start() {
    var containers = Array.prototype.slice.call(document.querySelectorAll("div.ai4n-chart"));
    if (!containers.length) { return; }
    drawWhenNear(containers);
    drawBeforePrint(containers);
    watchWidths();
    watchTheme();
    watchTooltipClose();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
