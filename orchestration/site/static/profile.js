// A profile page: one force, region or England and Wales, for the period and window in the page's URL
// (?period=2014-06-30&from=2010-06-30&measure=crime_excluding_fraud), the latest period and four years by default.
"use strict";
const DATA = window.FORCESTAT_AREA;
const AREA = DATA.area;
const FIGURE_MEASURE = "crime_excluding_fraud";
const DEFAULT_WINDOW_YEARS = 4;

const MEASURES = Object.fromEntries(DATA.measures.map(m => [m.id, m]));
const RATES = {};  // measure -> period -> row
for (const row of records(DATA.rates, DATA.texts)) (RATES[row.measure] ??= {})[row.period_end] = row;
const CHANGE = {own: {}, ew: {}};  // own|ew -> measure -> period -> row
for (const row of records(DATA.change, DATA.texts)) ((CHANGE[row.own ? "own" : "ew"])[row.measure] ??= {})[row.period_end] = row;
const PERIODS = Object.keys(RATES[FIGURE_MEASURE] || {}).sort();
const IS_EW = AREA.type === "country";
const EW_NAME = "England and Wales";

function perUnit(measure) { return MEASURES[measure].denominator_kind === "households" ? "households" : "population"; }
function phraseLabel(measure) {
  return measure === FIGURE_MEASURE ? "recorded crime (excluding fraud)" : MEASURES[measure].label.toLowerCase();
}
function figureName(measure) { return measure === FIGURE_MEASURE ? "Recorded crime" : MEASURES[measure].label; }
function yearsBefore(iso, years) { return `${Number(iso.slice(0, 4)) - years}${iso.slice(4)}`; }

function state() {
  const url = urlState();
  const period = PERIODS.includes(url.get("period")) ? url.get("period") : PERIODS[PERIODS.length - 1];
  const earlier = PERIODS.filter(p => p < period);
  const wanted = yearsBefore(period, DEFAULT_WINDOW_YEARS);
  const from = earlier.includes(url.get("from")) ? url.get("from")
    : (earlier.includes(wanted) ? wanted : (earlier[0] ?? period));
  const measure = MEASURES[url.get("measure")] ? url.get("measure") : FIGURE_MEASURE;
  return {period, from, measure};
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

// The seed report's three sentences: long-term change of crime and of victim-based crime, then the last year's.
function sentences(period) {
  const own = (m) => (CHANGE.own[m] || {})[period];
  const ew = (m) => (CHANGE.ew[m] || {})[period];
  const versus = (row, kind) => (IS_EW || !row || row[`pct_${kind}_whole`] === null) ? ""
    : `, compared with ${ewPhrase(row[`pct_${kind}_whole`])}`;
  const out = [];
  const crime = own(FIGURE_MEASURE), victim = own("victim_based_crime");
  if (crime && crime.baseline_period_end) {
    out.push(["baseline", crime.pct_baseline_whole === null
      ? `${MEASURES[FIGURE_MEASURE].label} in the 12 months to ${monthYear(period)} cannot be compared with the 12 months to ${monthYear(crime.baseline_period_end)}: ${crime.baseline_not_comparable_reason}.`
      : `When compared with the 12 months to ${monthYear(crime.baseline_period_end)}, ${phraseLabel(FIGURE_MEASURE)} in the 12 months to ${monthYear(period)} ${changePhrase(crime.pct_baseline_whole)} in ${AREA.name}${versus(ew(FIGURE_MEASURE), "baseline")}.`]);
  }
  if (victim && victim.pct_baseline_whole !== null) {
    out.push(["baseline-victim", `Over this period, ${phraseLabel("victim_based_crime")} ${changePhrase(victim.pct_baseline_whole).replace("reduced", "decreased")} in ${AREA.name}${versus(ew("victim_based_crime"), "baseline")}.`]);
  }
  if (crime && crime.pct_year_whole !== null) {
    out.push(["year", `During the 12 months to ${monthYear(period)}, ${phraseLabel(FIGURE_MEASURE)} in ${AREA.name} ${changePhrase(crime.pct_year_whole)}${versus(ew(FIGURE_MEASURE), "year")}.`]);
  }
  if (!out.length) out.push(["none", `No change over earlier periods can be computed for the 12 months to ${monthYear(period)}.`]);
  replaceContent("sentences", ...out.map(([kind, text]) => element("p", {"data-sentence": kind, text})));
}

function figure({period, from, measure}) {
  const rows = PERIODS.filter(p => p >= from && p <= period).map(p => RATES[measure][p]).filter(Boolean);
  const unit = perUnit(measure);
  const title = `${figureName(measure)} rate (per 1,000 ${unit}) between ${monthYear(from)} and ${monthYear(period)}`;
  document.getElementById("figure-title").textContent = `Figure: ${title}.`;
  const x = rows.map(r => monthYear(r.period_end).replace(/^(\w{3})\w*/, "$1"));  // "Jun 2014", one per period
  const traces = [{x, y: rows.map(r => r.rate), name: AREA.name, mode: "lines+markers", line: {color: "#16324f", width: 3}}];
  if (!IS_EW) traces.push({x, y: rows.map(r => r.ew_rate), name: EW_NAME, mode: "lines+markers", line: {color: "#d9822b", width: 2, dash: "dash"}});
  Plotly.react("figure", traces, {
    margin: {l: 60, r: 20, t: 10, b: 50}, legend: {orientation: "h", y: -0.2},
    yaxis: {title: {text: `per 1,000 ${unit}`}, rangemode: "tozero"}, xaxis: {type: "category"},
  }, PLOT_CONFIG);
  const columns = [{key: "period_end", label: "12 months to", format: monthYear},
    {key: "rate", label: `${AREA.name} rate`, num: true, format: fixed1}];
  if (!IS_EW) columns.push({key: "ew_rate", label: `${EW_NAME} rate`, num: true, format: fixed1});
  replaceContent("figure-table", table(columns, rows.map(r => ({...r, _key: r.period_end})), {id: "figure-data"}));
}

function rateColumns() {
  const columns = [{key: "label", label: "Measure"},
    {key: "rate", label: `${AREA.name} rate (per 1,000)`, num: true, format: fixed1}];
  if (!IS_EW) columns.push({key: "ew_rate", label: `${EW_NAME} rate (per 1,000)`, num: true, format: fixed1});
  if (AREA.type === "force") {
    columns.push({key: "region_rate", label: "Region rate (per 1,000)", num: true, format: fixed1});
    columns.push({key: "rank", label: "Rank among forces (1 = highest rate)", num: true,
      format: (rank, row) => rank === null ? "not ranked" : `${rank} of ${row.ranked_forces}`});
  }
  columns.push({key: "offences", label: "Offences", num: true, format: count});
  return columns;
}

function rateRows(measures, period) {
  return measures.filter(m => RATES[m.id] && RATES[m.id][period])
    .map(m => ({...RATES[m.id][period], label: m.label + (m.denominator_kind === "households" ? " (per 1,000 households)" : ""), _key: m.id}));
}

function crimeTables({period}) {
  document.getElementById("crime-table-title").textContent = `12 months to ${monthYear(period)}`;
  const headline = DATA.measures.filter(m => m.headline);
  const rows = rateRows(headline, period);
  replaceContent("crime-table", table(rateColumns(), rows, {id: "rates"}));
  const notes = [...new Set(rows.map(r => r.note).filter(Boolean))];
  const vintage = rows.length ? `Rates divide by ${rows[0].denominator_vintage.replaceAll("_", " ")} population (households for burglary).` : "";
  replaceContent("crime-notes", [vintage, ...notes.map(n => n.endsWith(".") ? n : `${n}.`)].join(" "));
  replaceContent("all-measures", table(rateColumns(), rateRows(DATA.measures, period), {id: "all-rates"}));
}

function asb() {
  const rows = records(DATA.asb_monthly, DATA.texts).map(r => ({...r, _key: r.month}));
  if (!rows.length) {
    replaceContent("asb-body", element("p", {class: "muted", text: `No data.police.uk street data is held for ${AREA.name}.`}));
    return;
  }
  const chart = element("div", {id: "asb-chart", class: "chart", role: "img"});
  const caption = element("p", {text: `Anti-social behaviour incidents recorded by month (data.police.uk), ${monthYear(rows[0].month)} to ${monthYear(rows[rows.length - 1].month)}; rates per 1,000 need 12 months of street data.`});
  const data = table([{key: "month", label: "Month", format: monthYear}, {key: "incidents", label: "Incidents", num: true, format: count}], rows, {id: "asb-table"});
  replaceContent("asb-body", caption, chart, element("details", {}, [element("summary", {text: "The chart as a table"}), data]));
  Plotly.react("asb-chart", [{type: "bar", x: rows.map(r => r.month), y: rows.map(r => r.incidents), marker: {color: "#16324f"}}],
    {margin: {l: 60, r: 20, t: 10, b: 40}, xaxis: {type: "date", tickformat: "%b %Y"}, yaxis: {title: {text: "incidents"}}}, PLOT_CONFIG);
}

function outcomes() {
  const rows = records(DATA.outcomes, DATA.texts);
  if (!rows.length) {
    replaceContent("outcomes-body", element("p", {class: "muted", text: `No crime outcomes are held for ${AREA.name}.`}));
    return;
  }
  const all = rows.filter(r => r.offence_group === "All offences").map(r => ({...r, _key: r.outcome_group_label}));
  const year = rows[0].financial_year;
  const caption = element("p", {text: `Outcomes assigned in ${year} to offences recorded in ${year}, as a share of the ${count(all.length ? all[0].offences_recorded : 0)} offences recorded (Home Office crime outcomes).`});
  const columns = [{key: "offence_group", label: "Offence group"}, {key: "outcome_group_label", label: "Outcome"},
    {key: "outcomes", label: "Outcomes", num: true, format: count}, {key: "pct", label: "% of offences", num: true, format: fixed1}];
  const groups = element("details", {}, [element("summary", {text: "Every offence group"}),
    table(columns, rows.filter(r => r.offence_group !== "All offences"), {id: "outcomes-groups"})]);
  replaceContent("outcomes-body", caption, table(columns, all, {id: "outcomes-table"}), groups);
}

function inspections() {
  const judgments = records(DATA.judgments, DATA.texts);
  const grade = g => element("span", {class: `grade-${(g || "").replaceAll(" ", "-")}`, text: g});
  const source = s => s && s.startsWith("http") ? element("a", {href: s, text: "source"}) : (s || "");
  replaceContent("judgments", judgments.length ? table([
    {key: "cycle", label: "Cycle"}, {key: "pillar", label: "Pillar or area"}, {key: "question", label: "Question"},
    {key: "grade", label: "Grade", format: grade}, {key: "previous_grade", label: "Previous cycle"},
    {key: "grade_change", label: "Change"}, {key: "source", label: "Source", format: source}], judgments, {id: "judgments-table"})
    : element("p", {class: "muted", text: "No inspection judgments are held for this area."}));
  const recommendations = records(DATA.recommendations, DATA.texts);
  replaceContent("recommendations", recommendations.length ? table([
    {key: "programme", label: "Report"}, {key: "recommendation_number", label: "No.", num: true},
    {key: "recommendation", label: "Recommendation"}, {key: "deadline_as_written", label: "Deadline as written"},
    {key: "deadline_date", label: "Deadline"}, {key: "status", label: "Status"}], recommendations, {id: "recommendations-table"})
    : element("p", {class: "muted", text: "No recommendations are held for this area."}));
  const checks = records(DATA.figure_checks, DATA.texts).map(r => ({...r, _key: `${r.report_file}#${r.figure_number}`}));
  replaceContent("figure-checks", checks.length ? table([
    {key: "report_file", label: "Report"}, {key: "area_name", label: "Area"}, {key: "measure_label", label: "Figure"},
    {key: "period_end", label: "12 months to", format: v => v ? monthYear(v) : ""},
    {key: "quoted_value", label: "Quoted", num: true}, {key: "warehouse_value", label: "Warehouse", num: true, format: fixed1},
    {key: "check_status", label: "Check"},
    {key: "difference_reason", label: "Why they differ", format: (v, r) => v || r.not_computable_reason || ""}],
    checks, {id: "figure-checks-table"})
    : element("p", {class: "muted", text: "No report figures are held for this area."}));
}

function header() {
  const region = DATA.areas.find(a => a.code === AREA.region_code);
  const subtitle = document.getElementById("subtitle");
  subtitle.replaceChildren(AREA.force_full_name || AREA.name);
  if (region && AREA.type === "force") subtitle.append(" - region: ", element("a", {href: `${region.slug}.html`, text: region.name}));
  if (AREA.comparison_note) subtitle.append(` - ${AREA.comparison_note}`);
  const links = DATA.areas.filter(a => a.code !== AREA.code).map(a => element("a", {href: `${a.slug}.html`, text: a.name}));
  replaceContent("area-links", ...links);
}

function render() {
  const chosen = state();
  fillSelect("period", PERIODS.slice().reverse().map(p => [p, monthYear(p)]), chosen.period);
  fillSelect("from", PERIODS.filter(p => p < chosen.period).reverse().map(p => [p, monthYear(p)]), chosen.from);
  fillSelect("measure", DATA.measures.map(m => [m.id, m.label]), chosen.measure);
  sentences(chosen.period);
  figure(chosen);
  crimeTables(chosen);
  document.body.dataset.period = chosen.period;
  document.body.dataset.rendered = "true";
}

for (const id of ["period", "from", "measure"]) {
  document.getElementById(id).addEventListener("change", () => {
    const next = {period: document.getElementById("period").value, measure: document.getElementById("measure").value};
    if (id !== "period") next.from = document.getElementById("from").value;  // a new period takes its default window
    setUrlState(next);
    render();
  });
}
header();
asb();
outcomes();
inspections();
render();
