// Search the prebuilt index (zoekindex.js) for every term of the query; show each hit with a snippet.
(function () {
  "use strict";
  var index = window.ZOEKINDEX || [];
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var input = document.getElementById("zoekterm");
  var list = document.querySelector(".search-results");
  var count = document.querySelector(".search-count");
  if (input) { input.value = query; }
  function norm(text) { return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  // Text goes into the page only as text nodes (never as markup): a hit's title, link and snippet
  // come from the chapters and the ledgers.
  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }
  function highlighted(text, terms) {
    var paragraph = document.createElement("p");
    var pattern = new RegExp("(" + terms.map(function (term) {
      return term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }).join("|") + ")", "gi");
    text.split(pattern).forEach(function (part, i) {
      paragraph.appendChild(i % 2 ? element("mark", part) : document.createTextNode(part));
    });
    return paragraph;
  }
  var terms = norm(query).split(/\s+/).filter(Boolean);
  if (!terms.length || !list) { return; }
  var hits = [];
  index.forEach(function (entry) {
    var title = norm(entry.t), text = norm(entry.x);
    var all = terms.every(function (term) { return title.indexOf(term) >= 0 || text.indexOf(term) >= 0; });
    if (all) {
      var score = terms.reduce(function (s, term) { return s + (title.indexOf(term) >= 0 ? 10 : 0); }, 0);
      hits.push({ entry: entry, score: score, at: text.indexOf(terms[0]) });
    }
  });
  hits.sort(function (a, b) { return b.score - a.score; });
  count.textContent = hits.length ? hits.length + (hits.length === 1 ? " resultaat" : " resultaten") + " voor \u201c" + query + "\u201d" :
    "Geen resultaten voor \u201c" + query + "\u201d";
  hits.slice(0, 200).forEach(function (hit) {
    var entry = hit.entry, start = Math.max(0, hit.at - 80);
    var snippet = (start > 0 ? "\u2026" : "") + entry.x.slice(start, start + 240) + (entry.x.length > start + 240 ? "\u2026" : "");
    var item = document.createElement("li");
    var link = element("a", entry.t);
    link.setAttribute("href", entry.u);
    item.appendChild(link);
    item.appendChild(element("span", entry.k, "kind"));
    item.appendChild(highlighted(snippet, terms));
    list.appendChild(item);
  });
})();
