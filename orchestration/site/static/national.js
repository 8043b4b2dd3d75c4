// The national page: a choropleth map of the force areas and a sortable league table, for the measure and period in
// the page's URL (?measure=crime_excluding_fraud&period=2014-06-30), the latest period by default.
"use strict";
const NATIONAL = window.FORCESTAT_NATIONAL;
const BOUNDARIES = window.FORCESTAT_BOUNDARIES;
const AREAS = Object.fromEntries(NATIONAL.areas.map(a => [a.code, a]));
const MEASURES = Object.fromEntries(NATIONAL.measures.map(m => [m.id, m]));
const RATES = {};  // measure -> period -> [{area_code, rate, rank}]
for (const [measure, periods] of Object.entries(NATIONAL.rates)) {
  RATES[measure] = {};
  for (const [period, values] of Object.entries(periods)) {
    RATES[measure][period] = values.map((value, i) => value && {area_code: NATIONAL.rate_areas[i], rate: value[0], rank: value[1]})
      .filter(Boolean);
  }
}
const DEFAULT_MEASURE = "crime_excluding_fraud";
const sorting = {key: "rank", ascending: true};

function state() {
  const url = urlState();
  const measure = MEASURES[url.get("measure")] ? url.get("measure") : DEFAULT_MEASURE;
  const periods = Object.keys(RATES[measure] || {}).sort();
  const period = periods.includes(url.get("period")) ? url.get("period") : periods[periods.length - 1];
  return {measure, period, periods};
}

function leagueRows(measure, period) {
  return RATES[measure][period].filter(r => AREAS[r.area_code].type === "force").map(r => ({
    ...r, _key: r.area_code, name: AREAS[r.area_code].name, region: AREAS[r.area_code].region_name,
  }));
}

function compare(a, b) {
  const x = a[sorting.key], y = b[sorting.key];
  if (x === y) return a.name.localeCompare(b.name);
  if (x === null) return 1;  // unranked forces last, whichever the direction
  if (y === null) return -1;
  const order = typeof x === "string" ? x.localeCompare(y) : x - y;
  return sorting.ascending ? order : -order;
}

function league({measure, period}) {
  const unit = MEASURES[measure].denominator_kind === "households" ? "households" : "population";
  document.getElementById("league-title").textContent =
    `${MEASURES[measure].label}: forces by rate per 1,000 ${unit}, 12 months to ${monthYear(period)}`;
  const rows = leagueRows(measure, period).sort(compare);
  const link = (name, row) => element("a", {href: areaHref(AREAS[row.area_code], ""), text: name});
  const built = table([
    {key: "rank", label: "Rank", num: true, sort: true, format: r => r === null ? "not ranked" : r},
    {key: "name", label: "Force", sort: true, format: link}, {key: "region", label: "Region", sort: true},
    {key: "rate", label: "Rate per 1,000", num: true, sort: true, format: fixed1}], rows, {id: "league-table"});
  for (const heading of built.querySelectorAll("th[data-sort]")) {
    heading.addEventListener("click", () => {
      const key = heading.dataset.sort;
      sorting.ascending = sorting.key === key ? !sorting.ascending : key !== "rate";
      sorting.key = key;
      league(state());
    });
  }
  replaceContent("league", built);
}

function map({measure, period}) {
  const rows = RATES[measure][period].filter(r => AREAS[r.area_code].type === "force");
  const ranked = rows.filter(r => r.rank !== null);
  const unit = MEASURES[measure].denominator_kind === "households" ? "households" : "population";
  document.getElementById("map-title").textContent =
    `Map: ${MEASURES[measure].label}, rate per 1,000 ${unit}, 12 months to ${monthYear(period)}`;
  const trace = {
    type: "choropleth", geojson: BOUNDARIES, featureidkey: "properties.PFA23CD",
    locations: rows.map(r => r.area_code), z: rows.map(r => r.rate),
    text: rows.map(r => AREAS[r.area_code].name), customdata: rows.map(r => AREAS[r.area_code].slug),
    hovertemplate: "%{text}: %{z:.1f} per 1,000<extra></extra>", colorscale: "YlOrRd", reversescale: true,
    // the scale spans the ranked forces: the City of London's rate (a small resident population) would flatten it
    zmin: Math.min(...ranked.map(r => r.rate)), zmax: Math.max(...ranked.map(r => r.rate)),
    marker: {line: {color: "#ffffff", width: 0.6}}, colorbar: {title: {text: "per 1,000"}, thickness: 14},
  };
  const layout = {margin: {l: 0, r: 0, t: 0, b: 0}, geo: {fitbounds: "locations", visible: false, projection: {type: "mercator"}}};
  Plotly.react("map", [trace], layout, {...PLOT_CONFIG, topojsonURL: "assets/topojson/"}).then(plot => {
    plot.removeAllListeners?.("plotly_click");
    plot.on("plotly_click", event => { window.location.href = `areas/${event.points[0].customdata}.html`; });
  });
}

function summary({measure, period}) {
  const ew = RATES[measure][period].find(r => AREAS[r.area_code].type === "country");
  const ranked = leagueRows(measure, period).filter(r => r.rank !== null).sort((a, b) => a.rank - b.rank);
  const unit = MEASURES[measure].denominator_kind === "households" ? "households" : "population";
  const text = [`In the 12 months to ${monthYear(period)}, the rate of ${MEASURES[measure].label} across England and Wales was ${fixed1(ew ? ew.rate : null)} per 1,000 ${unit}.`];
  if (ranked.length) text.push(`Highest: ${ranked[0].name} (${fixed1(ranked[0].rate)}); lowest: ${ranked[ranked.length - 1].name} (${fixed1(ranked[ranked.length - 1].rate)}).`);
  replaceContent("summary", text.join(" "));
}

function render() {
  const chosen = state();
  fillSelect("measure", NATIONAL.measures.map(m => [m.id, m.label]), chosen.measure);
  fillSelect("period", chosen.periods.slice().reverse().map(p => [p, monthYear(p)]), chosen.period);
  summary(chosen);
  map(chosen);
  league(chosen);
  document.body.dataset.period = chosen.period;
  document.body.dataset.rendered = "true";
}

for (const id of ["measure", "period"]) {
  document.getElementById(id).addEventListener("change", () => {
    setUrlState({measure: document.getElementById("measure").value, period: document.getElementById("period").value});
    render();
  });
}
replaceContent("area-links", ...NATIONAL.areas.filter(a => a.type !== "force")
  .map(a => element("a", {href: areaHref(a, ""), text: a.name})));
render();
