// Shared by the pages: dates, numbers and scales, tables, downloads, the page's URL (its state), loading a measure's
// national rates, and the search box. Figures arrive rounded by the warehouse (orchestration/site/content.py); this
// code prints them as they are and never rounds.
"use strict";
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
  "November", "December"];

function monthYear(iso) {  // "2014-06-30" -> "June 2014"
  const [year, month] = iso.split("-");
  return `${MONTHS[Number(month) - 1]} ${year}`;
}
function shortMonthYear(iso) { return monthYear(iso).replace(/^(\w{3})\w*/, "$1"); }  // "Jun 2014"

function fixed1(value) { return value === null || value === undefined ? "" : value.toFixed(1); }
function fixed2(value) { return value === null || value === undefined ? "" : value.toFixed(2); }
// a figure the warehouse rounded to two decimals, with thousands separators: 2918.82 -> "2,918.82"
function count2(value) {
  return value === null || value === undefined ? "" : value.toLocaleString("en-GB", {minimumFractionDigits: 2, maximumFractionDigits: 2});
}
function count(value) { return value === null || value === undefined ? "" : value.toLocaleString("en-GB"); }

// A measure's scale in words: "per 1,000 population", "per million population", "per 1,000 households"
function perText(measure) {
  const per = {1000: "1,000", 100000: "100,000", 1000000: "million"}[measure.rate_per] ?? count(measure.rate_per);
  return `per ${per} ${measure.denominator_kind === "households" ? "households" : "population"}`;
}

// {columns, rows, coded, texts} -> array of objects; coded columns hold indexes into the table's list of texts
function records(table) {
  const coded = new Set(table.coded || []);
  return table.rows.map(row => Object.fromEntries(table.columns.map(
    (c, i) => [c, coded.has(i) && row[i] !== null ? table.texts[row[i]] : row[i]])));
}

function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value; else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of [].concat(children)) if (child !== null && child !== undefined) node.append(child);
  return node;
}

function compareValues(x, y) {
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;  // empty cells last, whichever the direction
  if (y === null || y === undefined) return -1;
  return typeof x === "string" ? x.localeCompare(y) : x - y;
}

// columns: [{key, label, num?, format?, sort?}] -> a table in a box that scrolls sideways on its own (a phone's page
// never does); rows: objects. The caption says what the table holds. data-column on every cell lets a reader (and
// the browser test) find a figure by its column. Sortable columns have a button in their header and aria-sort.
function table(columns, rows, {id, caption, sorted} = {}) {
  let order = sorted ? {...sorted} : null;  // {key, ascending}
  const tbody = element("tbody");
  const headers = columns.map(c => {
    const th = element("th", {scope: "col", class: c.num ? "num" : null});
    if (c.sort) {
      const button = element("button", {type: "button", "data-sort": c.key, text: c.label});
      button.addEventListener("click", () => {
        order = {key: c.key, ascending: order && order.key === c.key ? !order.ascending : c.sort !== "descending"};
        draw();
      });
      th.append(button);
    } else th.textContent = c.label;
    return th;
  });
  function draw() {
    const shown = order ? rows.slice().sort((a, b) => {
      const by = compareValues(a[order.key], b[order.key]);
      const tie = by === 0 && a.name !== undefined ? a.name.localeCompare(b.name) : 0;
      const nulls = a[order.key] === null || b[order.key] === null;
      return by !== 0 ? (order.ascending || nulls ? by : -by) : tie;
    }) : rows;
    columns.forEach((c, i) => {
      if (c.sort) headers[i].setAttribute("aria-sort", order && order.key === c.key
        ? (order.ascending ? "ascending" : "descending") : "none");
    });
    tbody.replaceChildren(...shown.map(row => element("tr", {class: row._class, "data-key": row._key},
      columns.map(c => {
        const cell = element(c.header ? "th" : "td", {class: c.num ? "num" : null, "data-column": c.key,
          scope: c.header ? "row" : null});
        const value = c.format ? c.format(row[c.key], row) : row[c.key];
        if (value instanceof Node) cell.append(value);
        else cell.textContent = value === null || value === undefined ? "" : value;
        return cell;
      }))));
  }
  draw();
  const built = element("table", {id}, [caption ? element("caption", {text: caption}) : null,
    element("thead", {}, element("tr", {}, headers)), tbody]);
  // a box that scrolls must be reachable by keyboard, and named for a screen reader
  return element("div", {class: "scroll", role: "region", tabindex: "0", "aria-label": caption || "table"}, built);
}

// "Download the data (CSV)": a file written at build time, as published (downloads.py)
function downloadLink(href, text, filename) {
  return element("a", {class: "download", href, download: filename, text});
}

function replaceContent(id, ...nodes) {
  document.getElementById(id).replaceChildren(...nodes.filter(n => n !== null && n !== undefined));
}

function fillSelect(id, options, chosen) {  // options: [[value, label]]
  const select = document.getElementById(id);
  select.replaceChildren(...options.map(([value, label]) => element("option", {value, text: label})));
  select.value = chosen;
}

function urlState() { return new URLSearchParams(window.location.search); }
function setUrlState(state) {  // commas stay commas (peers=cumbria,merseyside), so a shared link reads well
  const query = Object.entries(state).filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v).replaceAll("%2C", ",")}`).join("&");
  history.replaceState(null, "", `${window.location.pathname}?${query}`);
}

function areaHref(area, prefix) { return `${prefix}areas/${area.slug}.html`; }

// The period a URL asks for (ISO text; the latest if none), else the nearest held and why it is not the one asked for.
function choosePeriod(asked, periods) {
  const latest = periods[periods.length - 1];
  if (asked === null || asked === "") return {period: latest, message: null};
  if (periods.includes(asked)) return {period: asked, message: null};
  const time = Date.parse(asked);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asked) || Number.isNaN(time)) {
    return {period: latest, message: `"${asked}" is not a date such as 2014-06-30; showing the latest period, the 12 months to ${monthYear(latest)}.`};
  }
  const nearest = periods.reduce((best, p) => Math.abs(Date.parse(p) - time) < Math.abs(Date.parse(best) - time) ? p : best);
  const range = `the figures run from the 12 months to ${monthYear(periods[0])} to the 12 months to ${monthYear(latest)}`;
  const why = asked < periods[0] || asked > latest ? `there are no figures for the 12 months to ${monthYear(asked)}: ${range}`
    : `no 12-month period ends on ${asked} (periods end at a quarter's end)`;
  return {period: nearest, message: `${why[0].toUpperCase()}${why.slice(1)}. Showing the nearest, the 12 months to ${monthYear(nearest)}.`};
}

// A measure's national rates (data/rates/<measure>.js, forces and England and Wales), loaded when first needed:
// a <script>, so the site also works opened from disk.
window.FORCESTAT_RATES = window.FORCESTAT_RATES || {};
function loadRates(prefix, measures) {
  return Promise.all(measures.filter(m => !window.FORCESTAT_RATES[m]).map(m => new Promise((resolve, reject) => {
    const script = element("script", {src: `${prefix}data/rates/${m}.js`});
    script.onload = resolve;
    script.onerror = () => reject(new Error(`data/rates/${m}.js did not load`));
    document.head.append(script);
  })));
}
// [rate, rank] of an area (a force or England and Wales) for a measure and period, or null
function nationalRate(rateAreas, measure, period, code) {
  const values = (window.FORCESTAT_RATES[measure] || {})[period];
  const value = values ? values[rateAreas.indexOf(code)] : null;
  return value ? {rate: value[0], rank: value[1]} : null;
}

// The search box of every page: a force, region or local authority (data/search.js) -> the profile that covers it.
function initSearch(prefix) {
  const input = document.getElementById("search");
  const results = document.getElementById("search-results");
  const names = window.FORCESTAT_SEARCH.map(([name, kind, slug, covers]) => ({name, kind, slug, covers, key: name.toLowerCase()}));
  function matches(text) {
    const wanted = text.trim().toLowerCase();
    if (!wanted) return [];
    const starts = names.filter(n => n.key.startsWith(wanted));
    const within = names.filter(n => !n.key.startsWith(wanted) && n.key.includes(wanted));
    return starts.concat(within).slice(0, 8);
  }
  function show() {
    const found = matches(input.value);
    results.replaceChildren(...found.map(n => element("li", {}, element("a", {href: `${prefix}areas/${n.slug}.html`},
      n.kind === "local authority" ? `${n.name} (local authority): ${n.covers}` : `${n.name} (${n.kind})`))));
    results.hidden = !found.length && !input.value.trim();
    if (!found.length && input.value.trim()) results.append(element("li", {text: `No force, region or local authority matches "${input.value.trim()}".`}));
  }
  input.addEventListener("input", show);
  document.getElementById("search-form").addEventListener("submit", event => {
    event.preventDefault();
    const first = matches(input.value)[0];
    if (first) window.location.href = `${prefix}areas/${first.slug}.html`; else show();
  });
}

// A category axis of periods that stays legible at any width: two-line labels ("Jun<br>2014"), as many as fit
// (one every 56 pixels), always the last period's. The chart's margins are fixed to fit them: plotly's automargin
// would draw every chart twice.
function periodAxis(periods, chartId) {
  const width = document.getElementById(chartId).clientWidth || 800;
  const step = Math.max(1, Math.ceil(periods.length / Math.max(2, Math.floor((width - 70) / 56))));
  const shown = periods.filter((_, i) => (periods.length - 1 - i) % step === 0);
  return {type: "category", tickangle: 0, tickvals: shown.map(shortMonthYear),
    ticktext: shown.map(p => shortMonthYear(p).replace(" ", "<br>"))};
}

// Plotly's options for every chart: no mode bar (its buttons reach for the network); the map's topology is given to
// it by assets/geo-assets.js (build.py).
const PLOT_CONFIG = {displayModeBar: false, responsive: true, locale: "en-GB"};
// Axis labels stay whole on a phone: the margins grow to fit them, and the font stays readable.
const PLOT_FONT = {family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 13, color: "#1d2733"};
