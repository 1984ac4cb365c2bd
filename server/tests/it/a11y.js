// Accessibility checks run inside the page by the browser tests (WebDriver execute/sync): the
// rules axe-core calls label, button-name, link-name, image-alt, svg-img-alt, document-title,
// html-has-lang, duplicate-id, heading-order, page-has-heading-one, tabindex, th-has-scope,
// color-contrast and meta-viewport, written for our pages. Returns a list of violations.
return (function () {
  "use strict";
  var problems = [];
  function describe(el) {
    var text = el.tagName.toLowerCase();
    if (el.id) { text += "#" + el.id; }
    if (el.getAttribute("name")) { text += "[name=" + el.getAttribute("name") + "]"; }
    return text;
  }
  function visible(el) {
    if (el.hidden || el.type === "hidden") { return false; }
    var style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") { return false; }
    if (el.closest("details:not([open])") && !el.closest("summary")) { return false; }
    return el.getClientRects().length > 0;
  }
  function accessibleName(el) {
    var labelledby = el.getAttribute("aria-labelledby");
    if (labelledby) {
      return labelledby.split(/\s+/).map(function (id) {
        var target = document.getElementById(id);
        return target ? target.textContent : "";
      }).join(" ").trim();
    }
    var label = el.getAttribute("aria-label");
    if (label) { return label.trim(); }
    if (el.labels && el.labels.length) {
      return Array.prototype.map.call(el.labels, function (l) { return l.textContent; }).join(" ").trim();
    }
    if (el.tagName === "INPUT" && (el.type === "submit" || el.type === "button")) { return (el.value || "").trim(); }
    return (el.textContent || "").trim() || (el.getAttribute("title") || "").trim();
  }

  if (!document.documentElement.getAttribute("lang")) { problems.push("html has no lang"); }
  if (!document.title.trim()) { problems.push("document has no title"); }
  var viewport = document.querySelector("meta[name=viewport]");
  if (!viewport || /user-scalable\s*=\s*no|maximum-scale\s*=\s*1(\.0)?\b/.test(viewport.content)) {
    problems.push("viewport missing or blocks zoom");
  }

  document.querySelectorAll("input, select, textarea").forEach(function (el) {
    if (el.type === "hidden") { return; }
    if (!accessibleName(el)) { problems.push("form control without label: " + describe(el)); }
  });
  document.querySelectorAll("button, [role=button]").forEach(function (el) {
    if (visible(el) && !accessibleName(el)) { problems.push("button without name: " + describe(el)); }
  });
  document.querySelectorAll("a[href]").forEach(function (el) {
    if (visible(el) && !accessibleName(el)) { problems.push("link without name: " + describe(el)); }
  });
  document.querySelectorAll("img").forEach(function (el) {
    if (!el.hasAttribute("alt")) { problems.push("image without alt: " + describe(el)); }
  });
  document.querySelectorAll("svg[role=img]").forEach(function (el) {
    if (!accessibleName(el)) { problems.push("svg image without name: " + describe(el)); }
  });

  var seen = {};
  document.querySelectorAll("[id]").forEach(function (el) {
    if (seen[el.id]) { problems.push("duplicate id: " + el.id); }
    seen[el.id] = true;
  });
  document.querySelectorAll("[aria-describedby], [aria-labelledby], label[for]").forEach(function (el) {
    var ids = (el.getAttribute("aria-describedby") || "") + " " + (el.getAttribute("aria-labelledby") || "") + " " + (el.getAttribute("for") || "");
    ids.split(/\s+/).filter(Boolean).forEach(function (id) {
      if (!document.getElementById(id)) { problems.push(describe(el) + " refers to missing id " + id); }
    });
  });

  var h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) { problems.push("page has " + h1s.length + " h1 elements (want 1)"); }
  var last = 0;
  document.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(function (el) {
    var level = parseInt(el.tagName.substring(1), 10);
    if (last && level > last + 1) { problems.push("heading skips a level: " + el.tagName + " after h" + last + " (" + el.textContent.trim() + ")"); }
    last = level;
  });

  document.querySelectorAll("[tabindex]").forEach(function (el) {
    if (parseInt(el.getAttribute("tabindex"), 10) > 0) { problems.push("positive tabindex breaks focus order: " + describe(el)); }
  });
  document.querySelectorAll("th").forEach(function (el) {
    if (!el.getAttribute("scope")) { problems.push("table header without scope: " + el.textContent.trim()); }
  });

  // Contrast (WCAG 2.x): text against the first opaque background behind it.
  function rgb(text) {
    var m = text.match(/rgba?\(([^)]+)\)/);
    if (!m) { return null; }
    var parts = m[1].split(/[ ,\/]+/).filter(Boolean).map(parseFloat);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  }
  function luminance(c) {
    function channel(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  }
  function background(el) {
    for (var node = el; node && node.nodeType === 1; node = node.parentElement) {
      var bg = rgb(getComputedStyle(node).backgroundColor);
      if (bg && bg.a >= 0.99) { return bg; }
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  }
  var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  var checked = new Set();
  while (walker.nextNode()) {
    var node = walker.currentNode;
    var el = node.parentElement;
    if (!node.textContent.trim() || !el || checked.has(el) || !visible(el)) { continue; }
    if (el.closest("svg")) { continue; }
    checked.add(el);
    var style = getComputedStyle(el);
    var fg = rgb(style.color);
    if (!fg) { continue; }
    var bg = background(el);
    var l1 = luminance(fg), l2 = luminance(bg);
    var ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    var size = parseFloat(style.fontSize);
    var bold = parseInt(style.fontWeight, 10) >= 700;
    var large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push("contrast " + ratio.toFixed(2) + ":1 too low for " + describe(el) + " (\"" + node.textContent.trim().slice(0, 40) + "\")");
    }
  }
  return problems;
})();
