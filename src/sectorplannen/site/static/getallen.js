// The page of all numbers: filter by chapter, tranche, status and text; sort by a column. Filters
// can be set in the address (getallen.html?hoofdstuk=...&status=wijkt+af), as the chapters link here.
(function () {
  "use strict";
  var form = document.querySelector(".claims-filters");
  var table = document.getElementById("getallen");
  if (!form || !table) { return; }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var count = form.querySelector(".claims-count");
  var params = new URLSearchParams(window.location.search);
  ["hoofdstuk", "tranche", "status", "q"].forEach(function (name) {
    if (params.has(name)) { form.elements[name].value = params.get(name); }
  });
  function norm(text) { return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
  rows.forEach(function (row) { row.dataset.text = norm(row.textContent); });
  function apply() {
    var chapter = form.elements.hoofdstuk.value, tranche = form.elements.tranche.value;
    var status = form.elements.status.value, terms = norm(form.elements.q.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var ok = (!chapter || row.dataset.hoofdstuk === chapter) && (!tranche || row.dataset.tranche === tranche) &&
        (!status || row.dataset.status === status) &&
        terms.every(function (term) { return row.dataset.text.indexOf(term) >= 0; });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " van " + rows.length + " getallen";
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  var collator = new Intl.Collator("nl", { numeric: true, sensitivity: "base" });
  function number(text) {
    var clean = text.replace(/[€%\s]/g, "").replace(/\./g, "").replace(",", ".");
    return /^-?\d+(\.\d+)?$/.test(clean) ? parseFloat(clean) : null;
  }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, column) {
    th.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        var nx = number(x), ny = number(y);
        var order = nx !== null && ny !== null ? nx - ny : collator.compare(x, y);
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  apply();
  if (window.location.hash) {
    var target = document.getElementById(window.location.hash.slice(1));
    if (target) { target.hidden = false; target.scrollIntoView(); }
  }
})();
