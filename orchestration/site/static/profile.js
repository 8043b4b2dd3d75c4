// A profile page: one force, region or England and Wales, for the period, window, measure and peers in the page's
// URL (?period=2014-06-30&from=2010-06-30&measure=crime_excluding_fraud&peers=cumbria,merseyside), the latest
// period, four years and the other forces of the region by default.
"use strict";
const DATA = window.FORCESTAT_AREA;
const AREA = DATA.area;
const PREFIX = "../";
const DEFAULT_WINDOW_YEARS = 4;
const MAX_PEERS = 8;
const EW_NAME = "England and Wales";
const IS_EW = AREA.type === "country";

const MEASURES = Object.fromEntries(DATA.measures.map(m => [m.id, m]));
// The headline measures, in the seed report's order (the measures seed's headline_order, via content.py): the first
// is the figure's measure and, with the second, the subject of the change sentences.
const HEADLINE = DATA.measures.filter(m => m.headline).map(m => m.id);
const FIGURE_MEASURE = HEADLINE[0];
// The report's own words for its figure's measure, in the sentences and the figure's title.
const REPORT_WORDS = {crime_excluding_fraud: {phrase: "recorded crime (excluding fraud)", figure: "Recorded crime"}};

const RATES = {};  // measure -> period -> row
for (const row of records(DATA.rates)) (RATES[row.measure] ??= {})[row.period_end] = row;
const CHANGE = {own: {}, ew: {}};  // own|ew -> measure -> period -> row
for (const row of records(DATA.change)) ((CHANGE[row.own ? "own" : "ew"])[row.measure] ??= {})[row.period_end] = row;
const SERIES_NOTES = records(DATA.series_notes);
const PERIODS = Object.keys(RATES[FIGURE_MEASURE] || {}).sort();
const FORCES = DATA.areas.filter(a => a.type === "force");
const BY_SLUG = Object.fromEntries(FORCES.map(a => [a.slug, a]));
const BY_CODE = Object.fromEntries(DATA.areas.map(a => [a.code, a]));
const REGION = DATA.areas.find(a => a.code === (AREA.type === "region" ? AREA.code : AREA.region_code));
// peers' lines: distinct, none the area's navy or England and Wales's orange
const PEER_COLOURS = ["#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d", "#1f77b4", "#b8860b", "#e377c2", "#2e7d32"];

function phrase(measure) { return REPORT_WORDS[measure]?.phrase ?? MEASURES[measure].label.toLowerCase(); }
function figureName(measure) { return REPORT_WORDS[measure]?.figure ?? MEASURES[measure].label; }
function yearsBefore(iso, years) { return `${Number(iso.slice(0, 4)) - years}${iso.slice(4)}`; }
function download(name) {  // this area's file of a published table, if it has one (downloads.py)
  return DATA.downloads.includes(name) ? `${PREFIX}downloads/areas/${AREA.slug}-${name}` : null;
}

// The forces compared with by default: the other forces of the area's region (for a region, its forces).
function defaultPeers() {
  if (!REGION) return [];
  return FORCES.filter(f => f.region_code === REGION.code && f.code !== AREA.code).map(f => f.code);
}

function state() {
  const url = urlState();
  const messages = [];
  const chosenPeriod = choosePeriod(url.get("period"), PERIODS);
  if (chosenPeriod.message) messages.push(chosenPeriod.message);
  const period = chosenPeriod.period;
  const earlier = PERIODS.filter(p => p < period);
  const wanted = yearsBefore(period, DEFAULT_WINDOW_YEARS);
  const from = earlier.includes(url.get("from")) ? url.get("from") : (earlier.includes(wanted) ? wanted : (earlier[0] ?? period));
  if (url.get("from") && url.get("from") !== from) messages.push(`The figure cannot start in "${url.get("from")}": it starts with the 12 months to ${monthYear(from)}.`);
  let measure = url.get("measure");
  if (!MEASURES[measure]) {
    if (measure) messages.push(`There is no measure "${measure}"; the figure shows ${MEASURES[FIGURE_MEASURE].label}.`);
    measure = FIGURE_MEASURE;
  }
  let peers = defaultPeers(), peersChosen = false;
  if (url.has("peers")) {
    peersChosen = true;
    const asked = url.get("peers").split(",").map(s => s.trim()).filter(Boolean);
    const unknown = asked.filter(s => !BY_SLUG[s]);
    if (unknown.length) messages.push(`No force is called ${unknown.map(s => `"${s}"`).join(", ")}: left out of the comparison.`);
    peers = [...new Set(asked.filter(s => BY_SLUG[s]).map(s => BY_SLUG[s].code))].filter(c => c !== AREA.code);
    if (peers.length > MAX_PEERS) messages.push(`At most ${MAX_PEERS} forces can be compared: the first ${MAX_PEERS} are shown.`);
    peers = peers.slice(0, MAX_PEERS);
  }
  return {period, from, measure, peers, peersChosen, messages};
}

function go(next) {  // a choice made in the page: into the URL, then drawn
  const current = state();
  const wanted = {period: current.period, from: current.from, measure: current.measure,
    peers: current.peersChosen ? current.peers.map(c => BY_CODE[c].slug).join(",") : null, ...next};
  if (next.period && !("from" in next)) wanted.from = null;  // a new period takes its default window
  setUrlState(wanted);
  render();
}

// "reduced by 8 percent" / "increased by 4 percent" / "did not change"
function changePhrase(pct) {
  if (pct < 0) return `reduced by ${(-pct).toFixed(0)} percent`;
  if (pct > 0) return `increased by ${pct.toFixed(0)} percent`;
  return "did not change";
}
function ewPhrase(pct) {
  if (pct < 0) return `a reduction of ${(-pct).toFixed(0)} percent across ${EW_NAME}`;
  if (pct > 0) return `an increase of ${pct.toFixed(0)} percent across ${EW_NAME}`;
  return `no change across ${EW_NAME}`;
}
// Why a change cannot be computed, in words: the published reason, or that the earlier period is not held.
function whyNoChange(reason, earlier) {
  if (reason) return reason.replace(/\.$/, "");
  return PERIODS.length && earlier < PERIODS[0]
    ? `no figures are held for it (they start with the 12 months to ${monthYear(PERIODS[0])})`
    : "no figures are held for it";
}

// The seed report's three sentences: long-term change of crime and of victim-based crime, then the last year's.
function sentences(period) {
  const [first, second] = HEADLINE;
  const own = m => (CHANGE.own[m] || {})[period];
  const ew = m => (CHANGE.ew[m] || {})[period];
  const versus = (row, kind) => (IS_EW || !row || row[`pct_${kind}_whole`] === null) ? ""
    : `, compared with ${ewPhrase(row[`pct_${kind}_whole`])}`;
  const out = [];
  const crime = own(first), other = own(second);
  if (crime && crime.baseline_period_end) {
    out.push(["baseline", crime.pct_baseline_whole === null
      ? `${MEASURES[first].label} in the 12 months to ${monthYear(period)} cannot be compared with the 12 months to ${monthYear(crime.baseline_period_end)}: ${whyNoChange(crime.baseline_not_comparable_reason, crime.baseline_period_end)}.`
      : `When compared with the 12 months to ${monthYear(crime.baseline_period_end)}, ${phrase(first)} in the 12 months to ${monthYear(period)} ${changePhrase(crime.pct_baseline_whole)} in ${AREA.name}${versus(ew(first), "baseline")}.`]);
  }
  if (other && other.pct_baseline_whole !== null) {
    out.push(["baseline-victim", `Over this period, ${phrase(second)} ${changePhrase(other.pct_baseline_whole).replace("reduced", "decreased")} in ${AREA.name}${versus(ew(second), "baseline")}.`]);
  }
  if (crime && crime.pct_year_whole !== null) {
    out.push(["year", `During the 12 months to ${monthYear(period)}, ${phrase(first)} in ${AREA.name} ${changePhrase(crime.pct_year_whole)}${versus(ew(first), "year")}.`]);
  } else if (crime && crime.year_not_comparable_reason) {
    out.push(["year", `${MEASURES[first].label} in the 12 months to ${monthYear(period)} cannot be compared with a year earlier: ${whyNoChange(crime.year_not_comparable_reason)}.`]);
  }
  if (!out.length) out.push(["none", `No change over earlier periods can be computed for the 12 months to ${monthYear(period)}: the figures start with the 12 months to ${monthYear(PERIODS[0])}.`]);
  replaceContent("sentences", ...out.map(([kind, text]) => element("p", {"data-sentence": kind, text})),
    element("p", {class: "muted"}, [downloadLink(download("change.csv"), "Download the changes these sentences describe, every period (CSV)", `${AREA.slug}-change.csv`)]));
}

// Where the series of a measure changes, in plain words (content.SeriesNotes finds them in the published rows).
function seriesNoteText(note) {
  const at = `the 12 months to ${monthYear(note.period_end)}`;
  switch (note.kind) {
    case "definition":
      return `${note.after.replace(/^The two periods do not share a definition: /, "The definition changed: ")} So from ${at}${note.until && note.until !== note.period_end ? ` to the 12 months to ${monthYear(note.until)}` : ""} no change over a year is computed.`;
    case "source":
      return `From ${at}, the counts come from ${DATA.crime_sources[note.after] ?? note.after} (before: ${DATA.crime_sources[note.before] ?? note.before}).`;
    case "denominator":
      return `From ${at}, rates divide by another population series: the ${note.after} (before: the ${note.before}).`;
    case "carried_forward":
      return `${at[0].toUpperCase()}${at.slice(1)} divide by the mid-${note.after} ${MEASURES[note.measure].denominator_kind === "households" ? "households" : "population"}: the estimate for mid-${note.before}, the year the period starts in, is not yet published.`;
    default:
      return "";
  }
}
function seriesNotes(measure, from, period) {
  return SERIES_NOTES.filter(n => n.measure === measure && n.period_end <= period && (n.until ?? n.period_end) >= from)
    .map((n, i) => ({...n, number: i + 1, text: seriesNoteText(n)}));
}

function peerRate(measure, period, code) { return nationalRate(DATA.rate_areas, measure, period, code); }

function figure({period, from, measure, peers}) {
  const periods = PERIODS.filter(p => p >= from && p <= period && RATES[measure] && RATES[measure][p]);
  const rows = periods.map(p => RATES[measure][p]);
  const unit = perText(MEASURES[measure]);
  const title = `${figureName(measure)} rate (${unit}) between ${monthYear(from)} and ${monthYear(period)}`;
  document.getElementById("figure-title").textContent = `Figure: ${title}.`;
  const x = periods.map(shortMonthYear);
  const lines = [{name: AREA.name, values: rows.map(r => r.rate), line: {color: "#16324f", width: 3}}];
  for (const [i, code] of peers.entries()) {
    lines.push({name: BY_CODE[code].name, code, values: periods.map(p => peerRate(measure, p, code)?.rate ?? null),
      line: {color: PEER_COLOURS[i % PEER_COLOURS.length], width: 1.5}});
  }
  if (!IS_EW) lines.push({name: EW_NAME, values: rows.map(r => r.ew_rate), line: {color: "#d9822b", width: 2, dash: "dash"}});
  // the key is the page's, not plotly's: it wraps on a phone instead of covering the axis
  replaceContent("figure-key", ...lines.map(l => element("li", {}, [element("span", {class: "swatch", "aria-hidden": "true",
    style: `border-top: ${l.line.width + 1}px ${l.line.dash ? "dashed" : "solid"} ${l.line.color}`}), l.name])));
  const notes = seriesNotes(measure, from, period);
  replaceContent("series-notes", ...notes.map(n => element("li", {"data-kind": n.kind, value: n.number, text: n.text})));
  const shapes = [], annotations = [];
  for (const note of notes) {
    const start = periods.includes(note.period_end) ? note.period_end : periods[0];
    const end = note.until && periods.includes(note.until) ? note.until : (note.until ? periods[periods.length - 1] : start);
    shapes.push(note.until
      ? {type: "rect", xref: "x", yref: "paper", x0: shortMonthYear(start), x1: shortMonthYear(end), y0: 0, y1: 1, fillcolor: "#8a97a5", opacity: 0.15, line: {width: 0}}
      : {type: "line", xref: "x", yref: "paper", x0: shortMonthYear(start), x1: shortMonthYear(start), y0: 0, y1: 1, line: {color: "#5a6877", width: 1, dash: "dot"}});
    annotations.push({xref: "x", yref: "paper", x: shortMonthYear(start), y: 1, yanchor: "bottom", showarrow: false,
      text: String(note.number), font: {size: 12, color: "#1d2733"}});
  }
  // markers on the area's line and England and Wales's only: peers' lines stay light to draw and to read
  Plotly.react("figure", lines.map(l => ({x, y: l.values, name: l.name, mode: l.code ? "lines" : "lines+markers", line: l.line, connectgaps: false})), {
    font: PLOT_FONT, margin: {l: 64, r: 12, t: 24, b: 44}, showlegend: false,
    yaxis: {title: {text: unit.replace(/ (population|households)$/, "")}, rangemode: "tozero"},
    xaxis: periodAxis(periods, "figure"),
    shapes, annotations,
  }, PLOT_CONFIG);
  const span = l => {
    const held = l.values.map((v, i) => [x[i], v]).filter(([, v]) => v !== null);
    return held.length ? `${l.name} from ${fixed1(held[0][1])} (${held[0][0]}) to ${fixed1(held[held.length - 1][1])} (${held[held.length - 1][0]})` : `${l.name}: no figures`;
  };
  document.getElementById("figure").setAttribute("aria-label", `Line chart of the rate of ${MEASURES[measure].label}, ${unit}, 12 months to ${monthYear(from)} to ${monthYear(period)}: ${lines.map(span).join("; ")}.${notes.length ? ` ${notes.length} numbered notes on the series follow the chart.` : ""} The figure as a table holds every value.`);
  const columns = [{key: "period_end", label: "12 months to", format: monthYear, header: true},
    ...lines.map((l, i) => ({key: i === 0 ? "rate" : (l.code ? `peer_${BY_CODE[l.code].slug}` : "ew_rate"), label: `${l.name} rate`, num: true, format: fixed1}))];
  const tableRows = periods.map((p, n) => Object.assign({period_end: p, _key: p},
    ...lines.map((l, i) => ({[columns[i + 1].key]: l.values[n]}))));
  replaceContent("figure-table", table(columns, tableRows, {id: "figure-data", caption: `${title}, ${unit}`}));
  const links = [downloadLink(download("rates.csv"), `${AREA.name}'s rates, every measure and period (CSV)`, `${AREA.slug}-rates.csv`)];
  if (peers.length) links.push(" ", downloadLink(`${PREFIX}downloads/measures/${measure}.csv`, `every force's rates of ${MEASURES[measure].label} (CSV)`, `${measure}-rates.csv`));
  replaceContent("figure-download", "Download the figure's data: ", ...links);
}

function rankText(rank, ranked) { return rank === null || rank === undefined ? "not ranked" : `${rank} of ${ranked}`; }

function rateColumns() {
  const columns = [{key: "label", label: "Measure", header: true},
    {key: "rate", label: `${AREA.name} rate`, num: true, format: fixed1}];
  if (!IS_EW) columns.push({key: "ew_rate", label: `${EW_NAME} rate`, num: true, format: fixed1});
  if (AREA.type === "force") {
    columns.push({key: "region_rate", label: "Region rate", num: true, format: fixed1});
    columns.push({key: "rank", label: "Rank among forces (1 = highest rate)", num: true, format: (rank, row) => rankText(rank, row.ranked_forces)});
  }
  columns.push({key: "offences", label: "Offences", num: true, format: count});
  columns.push({key: "notes", label: "Notes", format: n => n.length ? n.map(i => `note ${i}`).join(", ") : ""});
  return columns;
}

// A row's note holds one or more caveats, joined by " | " (force_rates.note, force_workforce.note), which no caveat
// holds ("; " does: "until March 2017; residential burglary from April 2017").
function noteParts(note) {
  return note ? note.split(" | ").map(n => n.replace(/\.$/, "")) : [];
}

function rateRows(measures, period, noteNumbers) {
  return measures.filter(m => RATES[m.id] && RATES[m.id][period]).map(m => {
    const row = RATES[m.id][period];
    return {...row, label: `${m.label} (${perText(m)})`, notes: noteParts(row.note).map(noteNumbers), _key: m.id};
  });
}

function crimeTables({period}) {
  document.getElementById("crime-table-title").textContent = `Headline measures, 12 months to ${monthYear(period)}`;
  const notes = [];
  const number = note => (notes.includes(note) ? notes.indexOf(note) : notes.push(note) - 1) + 1;
  const rows = rateRows(DATA.measures.filter(m => m.headline), period, number);
  replaceContent("crime-table", table(rateColumns(), rows, {id: "rates",
    caption: `${AREA.name}: the headline rates in the 12 months to ${monthYear(period)}${IS_EW ? "" : `, beside ${EW_NAME}`}${AREA.type === "force" ? " and the region, with the rank among forces on the rate as shown" : ""}`}));
  const divides = [...new Map(rows.map(r => [r.denominator_kind, r.denominator_description])).entries()]
    .map(([kind, description]) => `${description} (${kind === "households" ? "households, for burglary" : "population"})`);
  // a mid-year carried forward, said once for the population and once for households
  const carried = [...new Map(SERIES_NOTES.filter(n => n.kind === "carried_forward" && n.period_end === period)
    .map(n => [MEASURES[n.measure]?.denominator_kind, n])).values()]
    .map(n => element("p", {class: "warning", "data-note": "carried-forward", text: seriesNoteText(n)}));
  replaceContent("crime-notes",
    ...carried,
    divides.length ? element("p", {text: `Rates divide by: ${divides.join("; ")}.`}) : null,
    notes.length ? element("ol", {class: "notes"}, notes.map(n => element("li", {text: `${n}.`}))) : null,
    element("p", {}, [downloadLink(download("rates.csv"), "Download the rates of every measure and period (CSV)", `${AREA.slug}-rates.csv`)]));
  const allNotes = [];
  const allNumber = note => (allNotes.includes(note) ? allNotes.indexOf(note) : allNotes.push(note) - 1) + 1;
  const all = rateRows(DATA.measures, period, allNumber);
  replaceContent("all-measures", table(rateColumns(), all, {id: "all-rates", caption: `${AREA.name}: every measure, 12 months to ${monthYear(period)}`}),
    allNotes.length ? element("ol", {class: "notes muted"}, allNotes.map(n => element("li", {text: `${n}.`}))) : null);
}

function isSimilar(peers) {
  return Boolean(DATA.similar) && peers.length === DATA.similar.length && DATA.similar.every(c => peers.includes(c));
}

// Who the area is compared with, in words.
function peersLabel({peers, peersChosen}) {
  if (peersChosen && isSimilar(peers)) return "the most similar forces, by forcestat's own method";
  if (peersChosen) return peers.length ? "the forces chosen" : "no other force";
  if (!REGION) return "no other force (choose some above)";
  return AREA.type === "region" ? `the forces of the region (the default)` : `the other forces of the ${REGION.name} region (the default)`;
}

// The area beside the forces chosen (and England and Wales): each headline measure's rate and rank.
function peersTable(chosen) {
  const {period, peers} = chosen;
  const label = peersLabel(chosen);
  document.getElementById("peers-title").textContent = `Compared with ${label}`;
  const forRow = (row, value) => {
    for (const m of HEADLINE) {
      const figure = value(m);
      row[m] = figure ? figure.rate : null;
      row[`${m}_rank`] = figure ? figure.rank : null;
    }
    return row;
  };
  // the area's own figures are its page's; a force's rank is the same in both
  const rows = [forRow({name: AREA.name, _key: AREA.slug, _class: "own", ranked: AREA.type === "force"}, m => RATES[m]?.[period])];
  for (const code of peers) {
    rows.push(forRow({name: BY_CODE[code].name, _key: BY_CODE[code].slug, ranked: true}, m => peerRate(m, period, code)));
  }
  const ew = DATA.rate_areas.find(c => BY_CODE[c].type === "country");
  if (!IS_EW) rows.push(forRow({name: EW_NAME, _key: "england-and-wales", ranked: false}, m => peerRate(m, period, ew)));
  const ranked = HEADLINE.map(m => RATES[m]?.[period]?.ranked_forces).find(n => n) ?? FORCES.length - 1;
  const columns = [{key: "name", label: "Area", header: true, sort: true}];
  for (const m of HEADLINE) {
    columns.push({key: m, label: `${MEASURES[m].label} (${perText(MEASURES[m])})`, num: true, sort: "descending", format: fixed1});
    columns.push({key: `${m}_rank`, label: "Rank", num: true, sort: true, format: (rank, row) => row.ranked && rank === null ? "not ranked" : rank});
  }
  replaceContent("peers-table", table(columns, rows, {id: "peers-rates",
      caption: `Headline measures, 12 months to ${monthYear(period)}: ${AREA.name} beside ${label}${IS_EW ? "" : ` and ${EW_NAME}`}; rank among ${ranked} forces on the rate as shown, 1 = highest`}),
    chosen.peersChosen && isSimilar(peers) ? element("p", {class: "muted", text: `How they are found: ${DATA.similar_method}`}) : null,
    element("p", {class: "muted"}, ["Download every force's rates (CSV, every period): ",
      ...HEADLINE.flatMap((m, i) => [i ? ", " : "", downloadLink(`${PREFIX}downloads/measures/${m}.csv`, MEASURES[m].label, `${m}-rates.csv`)])]));
}

// The peers chooser: the forces by region, eight at most; the choice goes into the URL.
function peersChooser(chosen) {
  const {peers} = chosen;
  const box = document.getElementById("peers");
  const summary = peers.length ? peers.map(c => BY_CODE[c].name).join(", ") : "none";
  const regions = [...new Set(FORCES.map(f => f.region_code))].map(code => BY_CODE[code]).sort((a, b) => a.name.localeCompare(b.name));
  const checkboxes = [];
  const groups = regions.map(region => element("fieldset", {class: "peer-region"}, [element("legend", {text: region.name}),
    ...FORCES.filter(f => f.region_code === region.code && f.code !== AREA.code).map(f => {
      const input = element("input", {type: "checkbox", value: f.slug, checked: peers.includes(f.code)});
      checkboxes.push(input);
      return element("label", {}, [input, ` ${f.name}`]);
    })]));
  const limit = () => {
    const full = checkboxes.filter(c => c.checked).length >= MAX_PEERS;
    for (const c of checkboxes) c.disabled = full && !c.checked;
  };
  const apply = element("button", {type: "button", text: "Compare"});
  apply.addEventListener("click", () => go({peers: checkboxes.filter(c => c.checked).map(c => c.value).join(",")}));
  const regional = element("button", {type: "button", text: "The region's forces"});
  regional.addEventListener("click", () => go({peers: null}));
  const none = element("button", {type: "button", text: "None"});
  none.addEventListener("click", () => go({peers: ""}));
  // a force's most similar forces: forcestat's own method (similar.py), described beside the button
  const similar = DATA.similar ? element("button", {type: "button", id: "similar-peers", text: "The most similar forces"}) : null;
  similar?.addEventListener("click", () => go({peers: DATA.similar.map(c => BY_CODE[c].slug).join(",")}));
  for (const c of checkboxes) c.addEventListener("change", limit);
  limit();
  box.replaceChildren(
    element("p", {id: "peers-summary"}, [element("strong", {text: "Compared with: "}),
      `${summary}${peers.length ? ` - ${peersLabel(chosen)}` : ""}.`]),
    element("details", {}, [element("summary", {text: `Choose up to ${MAX_PEERS} forces to compare with`}),
      element("div", {class: "peer-regions"}, groups), element("p", {}, [apply, " ", regional, " ", similar, " ", none]),
      similar ? element("p", {id: "similar-method", class: "muted", text: `The most similar forces: ${DATA.similar_method}`}) : null]));
}

// Police officers (Home Office police workforce statistics, published table force_workforce): the area's officers
// (full-time equivalent), officers per 1,000 residents and recorded crimes per officer at every date held, beside its
// region and England and Wales, with the rank among forces. The dates held are not evenly spaced (half-yearly from
// 2014 to 2019, then 31 March 2025): a stretch without figures is said in words, left blank on the charts (a null
// point breaks each line) and marked in the table, never bridged by a line.
const WORKFORCE_STEP_DAYS = 200;  // half-yearly dates are 181-184 days apart: a longer step is a gap

function dayMonthYear(iso) {  // "2015-03-31" -> "31 March 2015"
  return `${Number(iso.slice(8, 10))} ${monthYear(iso)}`;
}
function midDate(a, b) { return new Date((Date.parse(a) + Date.parse(b)) / 2).toISOString().slice(0, 10); }

// The dates as runs at most half a year apart: [[date, ...], ...]
function dateRuns(dates) {
  const runs = [];
  for (const d of dates) {
    const run = runs[runs.length - 1];
    if (run && (Date.parse(d) - Date.parse(run[run.length - 1])) / 864e5 <= WORKFORCE_STEP_DAYS) run.push(d);
    else runs.push([d]);
  }
  return runs;
}

function workforce() {
  const rows = records(DATA.workforce);
  if (!rows.length) {
    replaceContent("workforce-body", element("p", {class: "muted", text: `No police workforce figures are held for ${AREA.name}.`}));
    return;
  }
  const isForce = AREA.type === "force";
  const runs = dateRuns(rows.map(r => r.as_at));
  const gaps = runs.slice(1).map((run, i) => [runs[i][runs[i].length - 1], run[0]]);  // [last before, first after]
  const latest = rows[rows.length - 1];
  const notes = [];
  const number = note => (notes.includes(note) ? notes.indexOf(note) : notes.push(note) - 1) + 1;
  for (const row of rows) row.notes = noteParts(row.note).map(number);
  const noteRefs = n => n && n.length ? n.map(i => `note ${i}`).join(", ") : "";
  const rank = (value, ranked) => isForce ? rankText(value, ranked) : "";

  // in words: the latest date, then which dates are held and where none are
  const beside = (region, ew, format) => {
    const parts = [];
    if (isForce && region !== null) parts.push(`${REGION.name} ${format(region)}`);
    if (!IS_EW && ew !== null) parts.push(`${EW_NAME} ${format(ew)}`);
    return parts.length ? ` (${parts.join(", ")})` : "";
  };
  const summary = `At ${dayMonthYear(latest.as_at)}, ${AREA.name} had ${count2(latest.officers)} police officers (full-time equivalent): ` +
    `${fixed2(latest.per_1000)} per 1,000 residents${beside(latest.region_per_1000, latest.ew_per_1000, fixed2)}` +
    (latest.crimes_per_officer === null ? "." : `, and ${fixed1(latest.crimes_per_officer)} recorded crimes (excluding fraud) in the 12 months to ${monthYear(latest.as_at)} per officer${beside(latest.region_crimes_per_officer, latest.ew_crimes_per_officer, fixed1)}.`);
  const held = `Figures are held ${runs.map(run => run.length === 1 ? dayMonthYear(run[0])
    : `every six months from ${dayMonthYear(run[0])} to ${dayMonthYear(run[run.length - 1])}`).join(", then ")}.` +
    gaps.map(([a, b]) => ` None are held between ${monthYear(a)} and ${monthYear(b)}: the charts leave that stretch blank, with no line across it.`).join("");

  // the latest date beside the region and England and Wales, with the rank among forces
  const latestColumns = [{key: "label", label: "Measure", header: true},
    {key: "own", label: AREA.name, num: true, format: (v, r) => r.format(v)}];
  if (isForce) latestColumns.push({key: "region", label: `${REGION.name} region`, num: true, format: (v, r) => r.format(v)});
  if (!IS_EW) latestColumns.push({key: "ew", label: EW_NAME, num: true, format: (v, r) => r.format(v)});
  if (isForce) latestColumns.push({key: "rank", label: "Rank among forces (1 = most)", num: true, format: (v, r) => r.ranked === undefined ? "" : rank(v, r.ranked)});
  latestColumns.push({key: "notes", label: "Notes", format: noteRefs});
  const latestRows = [
    {_key: "officers", label: "Police officers (full-time equivalent)", own: latest.officers, region: latest.region_officers, ew: latest.ew_officers, format: count2, notes: []},
    {_key: "officers_per_1000", label: "Officers per 1,000 residents", own: latest.per_1000, region: latest.region_per_1000, ew: latest.ew_per_1000, format: fixed2,
      rank: latest.rank_per_1000, ranked: latest.ranked_per_1000, notes: latest.notes},
    {_key: "crimes_per_officer", label: `Recorded crimes (excluding fraud) per officer, 12 months to ${monthYear(latest.as_at)}`, own: latest.crimes_per_officer,
      region: latest.region_crimes_per_officer, ew: latest.ew_crimes_per_officer, format: fixed1, rank: latest.rank_crimes, ranked: latest.ranked_crimes, notes: []},
  ];
  const latestTable = table(latestColumns, latestRows, {id: "workforce-latest",
    caption: `${AREA.name}: police officers at ${dayMonthYear(latest.as_at)}${IS_EW ? "" : `, beside ${isForce ? `the ${REGION.name} region and ` : ""}${EW_NAME}`}${isForce ? "; rank among forces on the figure as shown (equal figures share a rank)" : ""}`});

  // two small charts, each line broken where no figures are held
  // markers on every line: a date alone after a gap (31 March 2025) is a point, not a line
  const lines = [{name: AREA.name, own: "", line: {color: "#16324f", width: 3}, marker: {size: 7}}];
  if (isForce) lines.push({name: `${REGION.name} region`, own: "region_", line: {color: "#2a9d8f", width: 2}, marker: {size: 5}});
  if (!IS_EW) lines.push({name: EW_NAME, own: "ew_", line: {color: "#d9822b", width: 2, dash: "dash"}, marker: {size: 5}});
  const charts = [
    {id: "workforce-per-1000", column: "per_1000", unit: "officers per 1,000 residents", axis: "per 1,000 residents", format: fixed2},
    {id: "workforce-crimes", column: "crimes_per_officer", unit: "recorded crimes (excluding fraud) per officer", axis: "crimes per officer", format: fixed1},
  ];
  const span = `${dayMonthYear(rows[0].as_at)} to ${dayMonthYear(latest.as_at)}`;
  const gapWords = gaps.map(([a, b]) => ` No figures are held between ${monthYear(a)} and ${monthYear(b)}: the lines stop and start again.`).join("");
  const figures = charts.map(c => {
    const key = l => l.own ? `${l.own}${c.column}` : c.column;
    const ends = l => {
      const values = rows.filter(r => r[key(l)] !== null);
      return values.length ? `${l.name} from ${c.format(values[0][key(l)])} (${shortMonthYear(values[0].as_at)}) to ${c.format(values[values.length - 1][key(l)])} (${shortMonthYear(values[values.length - 1].as_at)})` : `${l.name}: no figures`;
    };
    return element("figure", {}, [
      element("figcaption", {text: `Figure: ${c.unit[0].toUpperCase()}${c.unit.slice(1)}, ${span}.`}),
      element("div", {id: c.id, class: "chart small-chart", role: "img",
        "aria-label": `Line chart of ${c.unit} at each date held, ${span}: ${lines.map(ends).join("; ")}.${gapWords} The charts as a table hold every value.`})]);
  });
  const key = element("ul", {class: "key", "aria-hidden": "true"}, lines.map(l => element("li", {}, [element("span", {class: "swatch",
    style: `border-top: ${l.line.width + 1}px ${l.line.dash ? "dashed" : "solid"} ${l.line.color}`}), l.name])));

  // every date, the gap marked by a row of its own
  const seriesColumns = [{key: "as_at", label: "As at", header: true, format: (v, r) => r.gap ?? dayMonthYear(v)},
    {key: "officers", label: "Officers (FTE)", num: true, format: count2},
    {key: "per_1000", label: `${AREA.name} per 1,000`, num: true, format: fixed2}];
  if (isForce) seriesColumns.push({key: "region_per_1000", label: "Region per 1,000", num: true, format: fixed2});
  if (!IS_EW) seriesColumns.push({key: "ew_per_1000", label: `${EW_NAME} per 1,000`, num: true, format: fixed2});
  if (isForce) seriesColumns.push({key: "rank_per_1000", label: "Rank per 1,000", num: true, format: (v, r) => r.gap ? "" : rank(v, r.ranked_per_1000)});
  seriesColumns.push({key: "crimes_per_officer", label: `${AREA.name} crimes per officer`, num: true, format: fixed1});
  if (isForce) seriesColumns.push({key: "region_crimes_per_officer", label: "Region crimes per officer", num: true, format: fixed1});
  if (!IS_EW) seriesColumns.push({key: "ew_crimes_per_officer", label: `${EW_NAME} crimes per officer`, num: true, format: fixed1});
  if (isForce) seriesColumns.push({key: "rank_crimes", label: "Rank crimes per officer", num: true, format: (v, r) => r.gap ? "" : rank(v, r.ranked_crimes)});
  seriesColumns.push({key: "notes", label: "Notes", format: noteRefs});
  const seriesRows = [];
  for (const row of rows) {
    const gap = gaps.find(([, after]) => after === row.as_at);
    if (gap) seriesRows.push({_key: "gap", _class: "gap", gap: `None held between ${monthYear(gap[0])} and ${monthYear(gap[1])}`});
    seriesRows.push({...row, _key: row.as_at});
  }
  const seriesTable = table(seriesColumns, seriesRows, {id: "workforce-data",
    caption: `${AREA.name}: police officers (full-time equivalent), officers per 1,000 residents and recorded crimes (excluding fraud) in the 12 months to each date per officer, ${span}${IS_EW ? "" : `, beside ${isForce ? "the region and " : ""}${EW_NAME}`}${isForce ? "; rank among forces, 1 = most, on the figure as shown (equal figures share a rank)" : ""}`});

  replaceContent("workforce-body",
    element("p", {id: "workforce-summary", text: summary}),
    element("p", {id: "workforce-dates", "data-note": "workforce-gap", text: held}),
    latestTable,
    notes.length ? element("ol", {id: "workforce-notes", class: "notes"}, notes.map(n => element("li", {text: `${n}.`}))) : null,
    element("p", {class: "muted", text: "Officers per 1,000 residents divide by the ONS mid-year population estimate of the date's year (the series the crime rates use); crimes per officer divide the recorded crime (excluding fraud) of the 12 months to the date by the officers at it."}),
    element("div", {class: "columns"}, figures), key,
    element("details", {}, [element("summary", {text: "The charts as a table"}), seriesTable]),
    element("p", {class: "muted"}, [downloadLink(download("workforce.csv"), "Download the officers, every date held (CSV)", `${AREA.slug}-workforce.csv`)]));

  for (const c of charts) {
    const traces = lines.map(l => {
      const x = [], y = [];
      rows.forEach((r, i) => {
        if (i && gaps.some(([before]) => before === rows[i - 1].as_at)) { x.push(midDate(rows[i - 1].as_at, r.as_at)); y.push(null); }
        x.push(r.as_at);
        y.push(r[l.own ? `${l.own}${c.column}` : c.column]);
      });
      return {x, y, name: l.name, mode: "lines+markers", line: l.line, marker: l.marker, connectgaps: false};
    });
    Plotly.react(c.id, traces, {
      font: PLOT_FONT, margin: {l: 56, r: 12, t: 10, b: 30}, showlegend: false,
      xaxis: {type: "date", tickformat: "%Y"}, yaxis: {title: {text: c.axis}, rangemode: "tozero"},
      shapes: gaps.map(([a, b]) => ({type: "rect", xref: "x", yref: "paper", x0: a, x1: b, y0: 0, y1: 1, fillcolor: "#8a97a5", opacity: 0.15, line: {width: 0}})),
      annotations: gaps.map(([a, b]) => ({xref: "x", yref: "paper", x: midDate(a, b), y: 0.5, showarrow: false, text: "none held", font: {size: 12, color: "#1d2733"}})),
    }, PLOT_CONFIG);
  }
}

function asb() {
  const rows = records(DATA.asb_monthly).map(r => ({...r, _key: r.month}));
  if (!rows.length) {
    replaceContent("asb-body", element("p", {class: "muted", text: `No data.police.uk street data is held for ${AREA.name}.`}));
    return;
  }
  const span = `${monthYear(rows[0].month)} to ${monthYear(rows[rows.length - 1].month)}`;
  const max = rows.reduce((a, b) => b.incidents > a.incidents ? b : a);
  const chart = element("div", {id: "asb-chart", class: "chart", role: "img",
    "aria-label": `Bar chart of anti-social behaviour incidents in ${AREA.name} by month, ${span}: from ${count(rows[0].incidents)} in ${monthYear(rows[0].month)} to ${count(rows[rows.length - 1].incidents)} in ${monthYear(rows[rows.length - 1].month)}, most in ${monthYear(max.month)} (${count(max.incidents)}). The chart as a table holds every month.`});
  const caption = element("p", {text: `Anti-social behaviour incidents recorded by month (data.police.uk), ${span}; rates per 1,000 need 12 months of street data.`});
  const data = table([{key: "month", label: "Month", format: monthYear, header: true}, {key: "incidents", label: "Incidents", num: true, format: count}], rows,
    {id: "asb-table", caption: `Anti-social behaviour incidents in ${AREA.name} by month, ${span}`});
  replaceContent("asb-body", caption, chart, element("details", {}, [element("summary", {text: "The chart as a table"}), data]),
    element("p", {class: "muted"}, [downloadLink(download("asb_monthly.csv"), "Download the months (CSV)", `${AREA.slug}-asb_monthly.csv`)]));
  Plotly.react("asb-chart", [{type: "bar", x: rows.map(r => r.month), y: rows.map(r => r.incidents), marker: {color: "#16324f"}}],
    {font: PLOT_FONT, margin: {l: 64, r: 12, t: 10, b: 30}, xaxis: {type: "date", tickformat: "%b %Y"},
      yaxis: {title: {text: "incidents"}}}, PLOT_CONFIG);
}

function outcomes() {
  const rows = records(DATA.outcomes);
  if (!rows.length) {
    replaceContent("outcomes-body", element("p", {class: "muted", text: `No crime outcomes are held for ${AREA.name}.`}));
    return;
  }
  const all = rows.filter(r => r.offence_group === "All offences").map(r => ({...r, _key: r.outcome_group_label}));
  const year = rows[0].financial_year;
  const caption = element("p", {text: `Outcomes assigned in ${year} to offences recorded in ${year}, as a share of the ${count(all.length ? all[0].offences_recorded : 0)} offences recorded (Home Office crime outcomes).`});
  const columns = [{key: "offence_group", label: "Offence group"}, {key: "outcome_group_label", label: "Outcome", header: true},
    {key: "outcomes", label: "Outcomes", num: true, format: count}, {key: "pct", label: "% of offences", num: true, format: fixed1}];
  const groups = element("details", {}, [element("summary", {text: "Every offence group"}),
    table(columns, rows.filter(r => r.offence_group !== "All offences"), {id: "outcomes-groups", caption: `Crime outcomes in ${AREA.name} by offence group, ${year}`})]);
  replaceContent("outcomes-body", caption, table(columns, all, {id: "outcomes-table", caption: `Crime outcomes in ${AREA.name}, all offences, ${year}`}), groups,
    element("p", {class: "muted"}, [downloadLink(download("outcomes.csv"), "Download the outcomes (CSV)", `${AREA.slug}-outcomes.csv`)]));
}

function sourceLink(source, label) {
  return source && source.startsWith("http") ? element("a", {href: source, text: label}) : `${label} (${source})`;
}

function inspections() {
  const fileLink = (name, text) => download(name) ? element("p", {class: "muted"}, [downloadLink(download(name), text, `${AREA.slug}-${name}`)]) : null;
  // one row per judgment: the grade, and each source that gives it (the report, the PEEL grades table), named
  const judgments = records(DATA.judgments).map(j => ({...j, _key: `${j.cycle}|${j.pillar}|${j.question ?? ""}`,
    grade: j.report_grade && j.table_grade && j.report_grade !== j.table_grade
      ? `${j.report_grade} (report); ${j.table_grade} (PEEL grades table)` : (j.report_grade ?? j.table_grade)}));
  const grade = g => element("span", {class: `grade-${(g || "").replaceAll(" ", "-")}`, text: g});
  const sources = (_, j) => element("span", {}, [
    j.report_source ? sourceLink(j.report_source, "inspection report") : null,
    j.report_source && j.table_source ? "; " : null,
    j.table_source ? sourceLink(j.table_source, "PEEL grades table") : null]);
  replaceContent("judgments", judgments.length ? table([
    {key: "cycle", label: "Cycle"}, {key: "pillar", label: "Pillar or area"}, {key: "question", label: "Question", format: q => q ?? "(overall grade)"},
    {key: "grade", label: "Grade", format: grade}, {key: "previous_grade", label: "Previous cycle", format: (g, j) => g ? `${g} (${j.previous_cycle})` : ""},
    {key: "grade_change", label: "Change"}, {key: "sources", label: "Sources", format: sources}], judgments,
    {id: "judgments-table", caption: `Inspection judgments of ${AREA.name} by cycle, one row per judgment with the sources that give it`})
    : element("p", {class: "muted", text: "No inspection judgments are held for this area."}),
    fileLink("judgments.csv", "Download the judgments, one row per source (CSV)"));
  const recommendations = records(DATA.recommendations).map(r => ({...r, _key: `${r.programme}#${r.recommendation_number}`}));
  replaceContent("recommendations", recommendations.length ? table([
    {key: "programme", label: "Report"}, {key: "recommendation_number", label: "No.", num: true},
    {key: "recommendation", label: "Recommendation"}, {key: "deadline_as_written", label: "Deadline as written"},
    {key: "deadline_date", label: "Deadline"}, {key: "status", label: "Status"}], recommendations,
    {id: "recommendations-table", caption: `Recommendations to ${AREA.name} with their deadlines`})
    : element("p", {class: "muted", text: "No recommendations are held for this area."}),
    fileLink("recommendations.csv", "Download the recommendations (CSV)"));
  const checks = records(DATA.figure_checks).map(r => ({...r, _key: `${r.report_file}#${r.figure_number}`}));
  replaceContent("figure-checks", checks.length ? table([
    {key: "report_file", label: "Report"}, {key: "area_name", label: "Area"}, {key: "measure_label", label: "Figure"},
    {key: "period_end", label: "12 months to", format: v => v ? monthYear(v) : ""},
    {key: "quoted_value", label: "Quoted", num: true}, {key: "warehouse_value", label: "Warehouse", num: true, format: fixed1},
    {key: "check_status", label: "Check", format: s => s.replaceAll("_", " ")},
    {key: "difference_reason", label: "Why they differ", format: (_, r) => checkReasons(r)}],
    checks, {id: "figure-checks-table", caption: "Figures quoted by inspection reports beside the warehouse's, with the reasons they differ"})
    : element("p", {class: "muted", text: "No report figures are held for this area."}),
    fileLink("figure_checks.csv", "Download the checks (CSV)"));
}

// Both reasons a quoted rate and the warehouse's can differ: the crime counts (revised since) and the population
// the rate divides by (the vintage the report could have used, not the series the tables above use). The published
// reasons are in words; the vintage, a code, is given in words from the seed (content.code_words).
function checkReasons(check) {
  const sentence = text => `${text[0].toUpperCase()}${text.slice(1)}.`;
  const reasons = [check.difference_reason, check.not_computable_reason].filter(Boolean).map(sentence);
  if (check.denominator_vintage && check.warehouse_value !== null) {
    const shown = RATES[check.measure]?.[check.period_end];
    const vintage = DATA.words[check.denominator_vintage] ?? check.denominator_vintage;
    const kind = check.unit && check.unit.endsWith("households") ? "households" : "population";
    reasons.push(`${kind[0].toUpperCase()}${kind.slice(1)}: divided by the ${vintage}, ${check.denominator_basis}` +
      (shown ? `; the rates above divide by the ${shown.denominator_description}.` : "."));
  }
  return reasons.join(" ");
}

function header() {
  const subtitle = document.getElementById("subtitle");
  subtitle.replaceChildren(AREA.force_full_name || AREA.name);
  if (REGION && AREA.type === "force") subtitle.append(" - region: ", element("a", {href: `${REGION.slug}.html`, text: REGION.name}));
  if (AREA.comparison_note) subtitle.append(` - ${AREA.comparison_note}`);
  replaceContent("page-download", "All of this page's data: ",
    downloadLink(`${PREFIX}downloads/areas/${AREA.slug}.zip`, `${AREA.slug}.zip (its tables as CSV files)`, `${AREA.slug}.zip`));
  const links = DATA.areas.filter(a => a.code !== AREA.code).map(a => element("a", {href: `${a.slug}.html`, text: a.name}));
  replaceContent("area-links", ...links);
}

async function render() {
  const chosen = state();
  replaceContent("messages", ...chosen.messages.map(text => element("p", {class: "warning", text})));
  fillSelect("period", PERIODS.slice().reverse().map(p => [p, monthYear(p)]), chosen.period);
  fillSelect("from", PERIODS.filter(p => p < chosen.period).reverse().map(p => [p, monthYear(p)]), chosen.from);
  fillSelect("measure", DATA.measures.map(m => [m.id, m.label]), chosen.measure);
  // the peers' rates and ranks: one national file a measure, loaded when first shown
  await loadRates(PREFIX, [...new Set([...HEADLINE, chosen.measure])]);
  peersChooser(chosen);
  sentences(chosen.period);
  figure(chosen);
  crimeTables(chosen);
  peersTable(chosen);
  document.body.dataset.period = chosen.period;
  document.body.dataset.measure = chosen.measure;
  document.body.dataset.peers = chosen.peers.map(c => BY_CODE[c].slug).join(",");
  document.body.dataset.rendered = "true";
}

let resizing = null;  // the figure's period labels thin out or fill in as its width changes
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => figure(state()), 200);
});
for (const id of ["period", "from", "measure"]) {
  document.getElementById(id).addEventListener("change", event => go({[id]: event.target.value}));
}
initSearch(PREFIX);
header();
workforce();
asb();
outcomes();
inspections();
render();
