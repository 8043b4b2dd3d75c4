// The national page: a choropleth map of the force areas and a sortable league table, for the measure and period in
// the page's URL (?measure=crime_excluding_fraud&period=2014-06-30), the latest period by default. Forces ticked in
// the table open together: the first's profile, compared with the others.
"use strict";
const NATIONAL = window.FORCESTAT_NATIONAL;
const BOUNDARIES = window.FORCESTAT_BOUNDARIES;
const AREAS = Object.fromEntries(NATIONAL.areas.map(a => [a.code, a]));
const MEASURES = Object.fromEntries(NATIONAL.measures.map(m => [m.id, m]));
const DEFAULT_MEASURE = NATIONAL.measures.find(m => m.headline).id;  // the first headline measure
const MAX_TOGETHER = 9;  // a profile and its eight peers
const chosenForces = new Set();  // codes ticked in the league table, kept across redraws

// [{area_code, rate, rank}] of the forces and England and Wales, from the measure's file
function ratesOf(measure, period) {
  const values = window.FORCESTAT_RATES[measure][period] || [];
  return values.map((value, i) => value && {area_code: NATIONAL.rate_areas[i], rate: value[0], rank: value[1]}).filter(Boolean);
}

function periodsOf(measure) { return Object.keys(window.FORCESTAT_RATES[measure]).sort(); }

function state() {
  const url = urlState();
  const messages = [];
  let measure = url.get("measure");
  if (!MEASURES[measure]) {
    if (measure) messages.push(`There is no measure "${measure}"; showing ${MEASURES[DEFAULT_MEASURE].label}.`);
    measure = DEFAULT_MEASURE;
  }
  return {measure, messages};
}

function leagueRows(measure, period) {
  return ratesOf(measure, period).filter(r => AREAS[r.area_code].type === "force").map(r => ({
    ...r, _key: r.area_code, name: AREAS[r.area_code].name, region: AREAS[r.area_code].region_name,
  }));
}

function league({measure, period}) {
  const unit = perText(MEASURES[measure]);
  const title = `${MEASURES[measure].label}: forces by rate ${unit}, 12 months to ${monthYear(period)}`;
  document.getElementById("league-title").textContent = title;
  const rows = leagueRows(measure, period);
  const link = (name, row) => element("a", {href: areaHref(AREAS[row.area_code], ""), text: name});
  const tick = (_, row) => {
    const box = element("input", {type: "checkbox", "aria-label": `Compare ${row.name}`, checked: chosenForces.has(row.area_code)});
    box.addEventListener("change", () => {
      if (box.checked) chosenForces.add(row.area_code); else chosenForces.delete(row.area_code);
      together();
    });
    return box;
  };
  replaceContent("league",
    table([
      {key: "compare", label: "Compare", format: tick},
      {key: "rank", label: "Rank", num: true, sort: true, format: r => r === null ? "not ranked" : r},
      {key: "name", label: "Force", sort: true, header: true, format: link}, {key: "region", label: "Region", sort: true},
      {key: "rate", label: `Rate ${unit}`, num: true, sort: "descending", format: fixed1}], rows,
    {id: "league-table", caption: `${title}; rank 1 = highest rate, on the rate as shown`, sorted: {key: "rank", ascending: true}}),
    element("p", {class: "muted"}, [
      downloadLink(`downloads/measures/${measure}.csv`, `Download every force's rates of ${MEASURES[measure].label}, every period (CSV)`, `${measure}-rates.csv`),
      " - ", downloadLink("downloads/national.zip", "every measure and the areas (ZIP of CSV files)", "forcestat-national.zip")]));
  together();
}

// "Open together": the first force ticked, with the others as its peers, at this measure and period.
function together() {
  const button = document.getElementById("open-together");
  const codes = [...chosenForces];
  const status = document.getElementById("together-status");
  button.disabled = codes.length === 0 || codes.length > MAX_TOGETHER;
  status.textContent = codes.length > MAX_TOGETHER ? `${codes.length} forces ticked: at most ${MAX_TOGETHER} open together (one and eight to compare with).`
    : codes.length ? `${codes.length} ticked: ${codes.map(c => AREAS[c].name).join(", ")}.` : "Tick forces in the table to open them together.";
}
function openTogether() {
  const [first, ...others] = [...chosenForces].map(c => AREAS[c]);
  const {measure} = state();
  window.location.href = `${areaHref(first, "")}?period=${document.getElementById("period").value}&measure=${measure}&peers=${others.map(a => a.slug).join(",")}`;
}

function map({measure, period}) {
  const rows = ratesOf(measure, period).filter(r => AREAS[r.area_code].type === "force");
  const ranked = rows.filter(r => r.rank !== null).sort((a, b) => a.rank - b.rank);
  const unit = perText(MEASURES[measure]);
  const per = unit.replace(/ (population|households)$/, "");
  document.getElementById("map-title").textContent = `Map: ${MEASURES[measure].label}, rate ${unit}, 12 months to ${monthYear(period)}`;
  document.getElementById("map").setAttribute("aria-label", `Map of the ${rows.length} police force areas of England and Wales shaded by their rate of ${MEASURES[measure].label} ${unit} in the 12 months to ${monthYear(period)}, darker for higher rates` +
    (ranked.length ? `: highest ${AREAS[ranked[0].area_code].name} (${fixed1(ranked[0].rate)}), lowest ${AREAS[ranked[ranked.length - 1].area_code].name} (${fixed1(ranked[ranked.length - 1].rate)}).` : ".") +
    " The league table holds every force's figure.");
  const trace = {
    type: "choropleth", geojson: BOUNDARIES, featureidkey: "properties.PFA23CD",
    locations: rows.map(r => r.area_code), z: rows.map(r => r.rate),
    text: rows.map(r => AREAS[r.area_code].name), customdata: rows.map(r => AREAS[r.area_code].slug),
    hovertemplate: `%{text}: %{z:.1f} ${per}<extra></extra>`, colorscale: "YlOrRd", reversescale: true,
    // the scale spans the ranked forces: the City of London's rate (a small resident population) would flatten it
    zmin: Math.min(...ranked.map(r => r.rate)), zmax: Math.max(...ranked.map(r => r.rate)),
    marker: {line: {color: "#ffffff", width: 0.6}},
    // on a phone the colour bar lies under the map instead of taking a third of its width
    colorbar: document.getElementById("map").clientWidth < 500
      ? {title: {text: per, side: "top"}, orientation: "h", thickness: 12, y: -0.02, yanchor: "top", len: 0.9}
      : {title: {text: per}, thickness: 14},
  };
  const layout = {font: PLOT_FONT, margin: {l: 0, r: 0, t: 0, b: 0}, geo: {fitbounds: "locations", visible: false, projection: {type: "mercator"}}};
  return Plotly.react("map", [trace], layout, PLOT_CONFIG).then(plot => {
    plot.removeAllListeners?.("plotly_click");
    plot.on("plotly_click", event => { window.location.href = `areas/${event.points[0].customdata}.html`; });
  });
}

function summary({measure, period}) {
  const ew = ratesOf(measure, period).find(r => AREAS[r.area_code].type === "country");
  const ranked = leagueRows(measure, period).filter(r => r.rank !== null).sort((a, b) => a.rank - b.rank);
  const unit = perText(MEASURES[measure]);
  const text = [ew ? `In the 12 months to ${monthYear(period)}, the rate of ${MEASURES[measure].label} across England and Wales was ${fixed1(ew.rate)} ${unit}.`
    : `No England and Wales rate of ${MEASURES[measure].label} is held for the 12 months to ${monthYear(period)}.`];
  if (ranked.length) text.push(`Highest: ${ranked[0].name} (${fixed1(ranked[0].rate)}); lowest: ${ranked[ranked.length - 1].name} (${fixed1(ranked[ranked.length - 1].rate)}).`);
  replaceContent("summary", text.join(" "));
}

async function render() {
  const chosen = state();
  await loadRates("", [chosen.measure]);
  const periods = periodsOf(chosen.measure);
  const picked = choosePeriod(urlState().get("period"), periods);
  chosen.period = picked.period;
  replaceContent("messages", ...chosen.messages.concat(picked.message ?? []).map(text => element("p", {class: "warning", text})));
  fillSelect("measure", NATIONAL.measures.map(m => [m.id, m.label]), chosen.measure);
  fillSelect("period", periods.slice().reverse().map(p => [p, monthYear(p)]), chosen.period);
  summary(chosen);
  league(chosen);
  await map(chosen);
  document.body.dataset.period = chosen.period;
  document.body.dataset.measure = chosen.measure;
  document.body.dataset.rendered = "true";
}

for (const id of ["measure", "period"]) {
  document.getElementById(id).addEventListener("change", () => {
    setUrlState({measure: document.getElementById("measure").value, period: document.getElementById("period").value});
    render();
  });
}
document.getElementById("open-together").addEventListener("click", openTogether);
replaceContent("area-links", ...NATIONAL.areas.filter(a => a.type !== "force")
  .map(a => element("a", {href: areaHref(a, ""), text: a.name})));
initSearch("");
render();
