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
  function escapeHtml(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
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
  count.textContent = hits.length ? hits.length + " resultaten voor \u201c" + query + "\u201d" :
    "Geen resultaten voor \u201c" + query + "\u201d";
  hits.slice(0, 200).forEach(function (hit) {
    var entry = hit.entry, start = Math.max(0, hit.at - 80);
    var snippet = (start > 0 ? "\u2026" : "") + entry.x.slice(start, start + 240) + (entry.x.length > start + 240 ? "\u2026" : "");
    var html = escapeHtml(snippet);
    terms.forEach(function (term) {
      var safe = term.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      html = html.replace(new RegExp("(" + safe + ")", "gi"), "<mark>$1</mark>");
    });
    var item = document.createElement("li");
    item.innerHTML = '<a href="' + escapeHtml(entry.u) + '">' + escapeHtml(entry.t) + '</a><span class="kind">' +
      escapeHtml(entry.k) + "</span><p>" + html + "</p>";
    list.appendChild(item);
  });
})();
