/* Draw the book's charts: every div.ai4n-chart holds its Vega-Lite spec in a JSON script.
   Axis and legend colours follow the page text colour, and charts redraw when the theme
   (html[data-theme]) switches between light and dark. Needs window.vegaEmbed (vega-bundle.js). */
(function () {
  "use strict";
  var views = new Map();

  function isDark() {
    return document.documentElement.getAttribute("data-theme") === "dark";
  }

  function themeConfig(container) {
    var text = getComputedStyle(container).color;
    var grid = isDark() ? "rgba(255,255,255,0.16)" : "rgba(0,0,0,0.12)";
    var axis = { labelColor: text, titleColor: text, domainColor: text, tickColor: text, gridColor: grid };
    return {
      background: "transparent",
      axis: axis,
      legend: { labelColor: text, titleColor: text },
      header: { labelColor: text, titleColor: text },
      title: { color: text },
      view: { stroke: null }
    };
  }

  function readSpec(container) {
    var script = container.querySelector("script.ai4n-spec");
    return JSON.parse(script.textContent);
  }

  /* The spec comes with the static drawing's fixed width (JupyterLab needs one); in the book a chart fits the
     text column: a single view takes the container's width, a facet's panels (which cannot use "container")
     the column's width less room for the axes. */
  function fitColumn(spec, container) {
    if (spec.facet && spec.spec) {
      spec.spec.width = Math.max(160, container.clientWidth - 90);
    } else {
      spec.width = "container";
    }
    return spec;
  }

  function draw(container) {
    var old = views.get(container);
    if (old) { old.finalize(); }
    var target = container.querySelector(".ai4n-view");
    if (!target) {
      target = document.createElement("div");
      target.className = "ai4n-view";
      container.appendChild(target);
    }
    var spec = fitColumn(readSpec(container), container);
    return window.vegaEmbed(target, spec, {
      actions: false,
      renderer: "svg",
      config: themeConfig(container),
      tooltip: { theme: isDark() ? "dark" : "light" }
    }).then(function (result) {
      views.set(container, result);
      container.setAttribute("data-rendered", "true");
      return result;
    }).catch(function (error) {
      container.setAttribute("data-rendered", "error");
      console.error("ai4neuro chart " + container.id + ": " + error);
    });
  }

  function drawAll() {
    document.querySelectorAll("div.ai4n-chart").forEach(draw);
  }

  function watchTheme() {
    var last = isDark();
    new MutationObserver(function () {
      if (isDark() !== last) { last = isDark(); drawAll(); }
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  }

  function watchFacetWidths() {
    var timer = null;
    var lastWidth = window.innerWidth;
    window.addEventListener("resize", function () {
      if (window.innerWidth === lastWidth) { return; }
      lastWidth = window.innerWidth;
      clearTimeout(timer);
      timer = setTimeout(function () {
        document.querySelectorAll("div.ai4n-chart").forEach(function (container) {
          if (readSpec(container).facet) { draw(container); }
        });
      }, 200);
    });
  }

  function start() {
    if (typeof window.vegaEmbed !== "function") {
      console.error("ai4neuro charts: the Vega bundle did not load");
      return;
    }
    drawAll();
    watchTheme();
    watchFacetWidths();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
