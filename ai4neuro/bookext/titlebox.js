/* "Try a title": a paper title, classified as the reader types, by the book's rules, in the browser.
   The rules ({"version", "rules": [{"rule", "label", "fields", "case", "pattern", "note"}, ...], and the kinds
   of rule as ai4neuro/sources/rule_table.py names them: "finders", "cues", "contrasted"}, the rule table in
   table order) are in the file the box's data-rules names (rules/<hash>.js beside this script), loaded with
   a <script src> when the box nears the screen.
   classify() does for a title what ai4neuro/sources/classify.py does (matching_rules, then label_for):
   - no rule that finds neuroscience (a "finders" kind) matches the title: not neuroscience;
   - else the exclude rules blank out what they match (each in turn, every match replaced by " "), and the
     finders that still match, then the cue rules that match, are the matched rules, in table order;
   - the label: NeuroAI or AI4Neuro rules decide (both kinds: "both"); where only generic ones matched, the
     cues do when they point one way; otherwise "unclear".
   The patterns use only the syntax Python and JavaScript read alike (ASCII, no inline flags, no \s); Python
   compiles them with re.ASCII (and IGNORECASE unless "exact"), here flags "i" (or none) and no "u": \w, \b and
   case folding are then ASCII in both. Under Node.js (the tests) this file only exports the classifier. */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
  } else {
    api.start(root.document, document.currentScript && document.currentScript.src);
  }
})(this, function () {
  "use strict";
  var NAMES = { neuroai: "NeuroAI", ai4neuro: "AI4Neuro", both: "Both NeuroAI and AI4Neuro", unclear: "Unclear" };
  var MEANING = {
    neuroai: "brain-inspired AI or models of the brain",
    ai4neuro: "machine learning as a tool for neural data",
    both: "rules of both kinds matched",
    unclear: "only generic neuroscience rules matched, and the cues point neither way"
  };

  /* The title rules, compiled: each once to test, excludes once more with "g" to blank out their matches. */
  function compileRules(payload, field) {
    field = field || "title";
    var compiled = {
      finders: [], masks: [], cues: [], byName: {},
      kinds: { finders: payload.finders, cues: payload.cues, contrasted: payload.contrasted }
    };
    payload.rules.forEach(function (row) {
      if (row.fields.indexOf(field) < 0) { return; }
      var flags = row.case === "exact" ? "" : "i";
      var rule = { name: row.rule, label: row.label, note: row.note, test: new RegExp(row.pattern, flags) };
      compiled.byName[rule.name] = rule;
      if (row.label === "exclude") {
        rule.all = new RegExp(row.pattern, flags + "g");
        compiled.masks.push(rule);
      } else if (payload.finders.indexOf(row.label) >= 0) {
        compiled.finders.push(rule);
      } else if (payload.cues[row.label]) {
        compiled.cues.push(rule);
      }
    });
    return compiled;
  }

  function matching(rules, text) {
    return rules.filter(function (rule) { return rule.test.test(text); });
  }

  /* {rules: matched rule names (as classify.matching_rules), label: "neuroai" | "ai4neuro" | "both" |
     "unclear" | "" (not neuroscience), setAside: the exclude rules that blanked something out} */
  function classify(title, compiled) {
    var text = String(title);
    var none = { rules: [], label: "", setAside: [] };
    if (!matching(compiled.finders, text).length) { return none; }
    var setAside = [];
    compiled.masks.forEach(function (mask) {
      var blanked = text.replace(mask.all, " ");
      if (blanked !== text) { setAside.push(mask.name); }
      text = blanked;
    });
    var found = matching(compiled.finders, text);
    if (!found.length) { return { rules: [], label: "", setAside: setAside }; }
    var names = found.concat(matching(compiled.cues, text)).map(function (rule) { return rule.name; });
    return { rules: names, label: labelFor(names, compiled), setAside: setAside };
  }

  function labelFor(names, compiled) {
    var labels = names.map(function (name) { return compiled.byName[name].label; });
    var kinds = compiled.kinds;
    var has = function (label) { return labels.indexOf(label) >= 0; };
    if (!kinds.finders.some(has)) { return ""; }
    var decided = kinds.contrasted.filter(has);
    var byCues = decided.length === 0;
    if (byCues) {
      decided = kinds.contrasted.filter(function (label) {
        return Object.keys(kinds.cues).some(function (cue) { return kinds.cues[cue] === label && has(cue); });
      });
    }
    if (decided.length === 2) { return byCues ? "unclear" : "both"; }
    return decided.length ? decided[0] : "unclear";
  }

  /* ---- the box on the page */

  function el(doc, tag, text, className) {
    var node = doc.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function show(box, compiled) {
    var doc = box.ownerDocument;
    var input = box.querySelector("input");
    var verdict = box.querySelector(".ai4n-title-verdict");
    var list = box.querySelector(".ai4n-title-rules");
    var title = input.value;
    list.textContent = "";
    if (!title.trim()) {
      verdict.textContent = "Type or paste a title to see how the rules classify it.";
      box.dataset.label = "";
      return;
    }
    var result = classify(title, compiled);
    box.dataset.label = result.label || "none";
    verdict.textContent = "";
    if (!result.label) {
      verdict.append(el(doc, "strong", "Not neuroscience-related"), ": " + (result.setAside.length
        ? "once the exclude rules have set words aside, no rule finds neuroscience in this title."
        : "no rule finds neuroscience in this title."));
    } else {
      verdict.append(el(doc, "strong", NAMES[result.label]), " (" + MEANING[result.label] +
        "): neuroscience-related, by " + result.rules.length + (result.rules.length === 1 ? " rule." : " rules."));
    }
    result.rules.concat(result.setAside).forEach(function (name) {
      var rule = compiled.byName[name];
      var item = el(doc, "li");
      var kind = rule.label === "exclude" ? "exclude, set aside first" : rule.label;
      item.append(el(doc, "code", rule.name), " (" + kind + ")" + (rule.note ? ": " + rule.note : ""));
      list.appendChild(item);
    });
  }

  function load(box, folder) {
    var name = box.dataset.rules;
    var loaded = window.ai4nRules || {};
    if (loaded[name]) { return Promise.resolve(loaded[name]); }
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = folder + encodeURIComponent(name) + ".js";
      script.onload = function () { resolve((window.ai4nRules || {})[name]); };
      script.onerror = function () { reject(new Error("the rules did not load")); };
      document.head.appendChild(script);
    });
  }

  function setup(box, folder) {
    var input = box.querySelector("input");
    var compiled = null;
    input.addEventListener("input", function () {
      if (compiled) { show(box, compiled); } else { box.querySelector(".ai4n-title-verdict").textContent = "Loading the rules…"; }
    });
    return load(box, folder).then(function (payload) {
      if (!payload) { throw new Error("no rules in " + box.dataset.rules); }
      compiled = compileRules(payload);
      box.dataset.ready = "true";
      if (input.value) { show(box, compiled); }
    }).catch(function (error) {
      box.querySelector(".ai4n-title-verdict").textContent = "The rules did not load; python -m ai4neuro classify gives the same verdicts.";
      console.error("ai4n-title-box", error);
    });
  }

  function start(doc, here) {
    var folder = here ? here.replace(/titlebox\.js(\?.*)?$/, "rules/") : "rules/";
    var once = function (box) {  // when the box nears the screen, or takes focus first (a link to it, Tab)
      if (box.dataset.begun) { return; }
      box.dataset.begun = "true";
      setup(box, folder);
    };
    var begin = function () {
      var boxes = Array.prototype.slice.call(doc.querySelectorAll("div.ai4n-title-form[data-rules]"));
      boxes.forEach(function (box) { box.querySelector("input").addEventListener("focus", function () { once(box); }); });
      if (!("IntersectionObserver" in window)) { boxes.forEach(once); return; }
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { observer.unobserve(entry.target); once(entry.target); }
        });
      }, { rootMargin: "600px 0px" });
      boxes.forEach(function (box) { observer.observe(box); });
    };
    if (doc.readyState === "loading") { doc.addEventListener("DOMContentLoaded", begin); } else { begin(); }
  }

  return { compileRules: compileRules, classify: classify, labelFor: labelFor, start: start };
});
