// Shared by the pages: dates, numbers, tables and the page's URL (its state). Figures arrive rounded by the
// warehouse (orchestration/site/content.py); this code prints them as they are and never rounds.
"use strict";
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];

function monthYear(iso) {  // "2014-06-30" -> "June 2014"
  const [year, month] = iso.split("-");
  return `${MONTHS[Number(month) - 1]} ${year}`;
}

function fixed1(value) { return value === null || value === undefined ? "" : value.toFixed(1); }
function count(value) { return value === null || value === undefined ? "" : value.toLocaleString("en-GB"); }

// {columns, rows, coded} -> array of objects; coded columns hold indexes into the data file's list of texts
function records(table, texts) {
  const coded = new Set(table.coded || []);
  return table.rows.map(row => Object.fromEntries(table.columns.map(
    (c, i) => [c, coded.has(i) && row[i] !== null ? texts[row[i]] : row[i]])));
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    if (name === "text") node.textContent = value; else node.setAttribute(name, value);
  }
  for (const child of [].concat(children)) node.append(child);
  return node;
}

// columns: [{key, label, num?, format?, cell?}] -> a table element; rows: objects. data-column on every cell lets a
// reader (and the browser test) find a figure by its column.
function table(columns, rows, {rowClass, id} = {}) {
  const head = element("tr", {}, columns.map(c => element("th", {class: c.num ? "num" : null, "data-sort": c.sort ? c.key : null, text: c.label})));
  const body = rows.map(row => element("tr", {class: rowClass ? rowClass(row) : null, "data-key": row._key},
    columns.map(c => {
      const cell = element("td", {class: c.num ? "num" : null, "data-column": c.key});
      const value = c.format ? c.format(row[c.key], row) : row[c.key];
      if (value instanceof Node) cell.append(value); else cell.textContent = value === null || value === undefined ? "" : value;
      return cell;
    })));
  return element("table", {id}, [element("thead", {}, head), element("tbody", {}, body)]);
}

function replaceContent(id, ...nodes) {
  const target = document.getElementById(id);
  target.replaceChildren(...nodes);
}

function fillSelect(id, options, chosen) {  // options: [[value, label]]
  const select = document.getElementById(id);
  select.replaceChildren(...options.map(([value, label]) => element("option", {value, text: label})));
  select.value = chosen;
}

function urlState() { return new URLSearchParams(window.location.search); }
function setUrlState(state) {
  const params = new URLSearchParams(state);
  history.replaceState(null, "", `${window.location.pathname}?${params}`);
}

function areaHref(area, prefix) { return `${prefix}areas/${area.slug}.html`; }

// Plotly's options for every chart: no mode bar (its buttons reach for the network), local topology for maps.
const PLOT_CONFIG = {displayModeBar: false, responsive: true, topojsonURL: "", locale: "en-GB"};
