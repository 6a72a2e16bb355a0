import { formatNumber, formatSigned, formatUsd, formatUsdSmall } from "../cost/units.js";
import { terminalSafe } from "../io/terminal.js";
import { ageInWords } from "../report/age.js";
import { describeBar, type CheckReason, type CheckReport, type CheckWarning, type RouteCheck } from "./check.js";
import type { RoutingDocument } from "./document.js";
import { count, describeExclusion } from "./explain.js";
import type { TextDiff } from "./parse.js";
import type { ComparisonTest, QualityComparison } from "./regression.js";

/**
 * The English of `modelpick check`, rendered from the report's data (text, Markdown for $GITHUB_STEP_SUMMARY, JUnit,
 * JSON). Nothing here decides anything. Names from the data are printed with control characters escaped.
 */

export function renderCheckText(report: CheckReport, file: string): string {
  const lines: string[] = [];
  if (report.handEdit) {
    lines.push(`modelpick check: ${file} was edited by hand: ${whereItDiffers(report.handEdit)}`);
    lines.push(...report.handEdit.lines.map((line) => `  ${line}`));
    lines.push(`  ${regenerateHint(file)}`);
  }
  lines.push(routesHeadline(report, file));
  for (const route of report.routes) {
    lines.push(`${MARKS[route.verdict]} ${routeLine(route)}`);
    lines.push(...detailLines(route, report).map((line) => `    ${line}`));
  }
  if (report.budget) lines.push(budgetLine(report.budget));
  for (const warning of report.warnings) lines.push(`warning: ${describeWarning(warning)}`);
  return terminalSafe(lines.join("\n"));
}

const MARKS: Record<RouteCheck["verdict"], string> = { holds: "✓", warns: "!", fails: "✗", "no-route": "·" };

/** The rule in one parenthesis: what was tested, at what level, with what slack. */
function ruleSummary(report: CheckReport): string {
  const family = `${comparisons(report)}, Holm family-wise α ${report.alpha}`;
  const cheaper = report.cheaperComparisons > 0 ? `; ${plural(report.cheaperComparisons, "cheaper model")} tested apart, warnings only` : "";
  return `${family}; tolerance ${report.tolerance}${report.failOnCheaper ? "; --fail-on-cheaper" : cheaper}`;
}

function plural(n: number, noun: string): string {
  return `${count(n)} ${noun}${n === 1 ? "" : "s"}`;
}

function routesHeadline(report: CheckReport, file: string): string {
  const where = report.handEdit ? `the data of ${file}` : file;
  const warned = report.routes.filter((r) => r.verdict === "warns").length;
  const warnings = warned > 0 ? `, ${warned} with a warning` : "";
  if (report.routesOk) return `modelpick check: every route in ${where} still holds${warnings} (${ruleSummary(report)})`;
  const failing = report.routes.filter((r) => r.verdict === "fails").length;
  const overBudget = report.budget && !report.budget.ok ? ", and the table is over budget" : "";
  const routed = report.routes.filter((r) => r.verdict !== "no-route").length;
  return `modelpick check: ${failing} of ${routed} route(s) in ${where} no longer hold${overBudget}${warnings} (${ruleSummary(report)})`;
}

/** A route in one line: its first failure when it fails, else its quality then and now. */
function routeLine(route: RouteCheck): string {
  const head = `${label(route)} → ${route.model ?? "no route"}`;
  const first = route.failures[0];
  if (first) return `${head}: ${describeReason(first, route)}`;
  return `${head}${qualityChange(route)}`;
}

function detailLines(route: RouteCheck, report: CheckReport): string[] {
  const lines: string[] = [];
  route.failures.forEach((failure, i) => {
    if (i > 0) lines.push(describeReason(failure, route));
    const test = testLine(failure, report);
    if (test) lines.push(test);
  });
  for (const warning of route.warnings) {
    lines.push(`warning: ${describeReason(warning, route)}`);
    const test = testLine(warning, report);
    if (test) lines.push(`  ${test}`);
  }
  for (const note of route.notes) lines.push(`note: ${describeReason(note, route)}`);
  return lines;
}

/** "23 comparisons: 10 regressions, 9 against the best now, 4 cheaper models". */
function comparisons(report: CheckReport): string {
  const { regressions, alternatives, floors, cheaper } = report.family;
  const parts = [plural(regressions, "regression"), `${count(alternatives)} against the best now`];
  if (floors > 0) parts.push(`${count(floors)} against --sensitive-min-quality`);
  if (cheaper > 0) parts.push(plural(cheaper, "cheaper model"));
  return `${plural(report.comparisons, "comparison")}: ${parts.join(", ")}`;
}

export function describeReason(reason: CheckReason, route: Pick<RouteCheck, "model">): string {
  const model = route.model ?? "the model";
  switch (reason.kind) {
    case "quality-fell": {
      const c = reason.comparison;
      return `quality fell ${c.before.toFixed(3)} → ${c.after.toFixed(3)} (${difference(c)}, ${design(c)})`;
    }
    case "below-best": {
      const c = reason.comparison;
      return `below today's best: ${model} is ${difference(c)} from ${reason.reference} (${design(c)}), more than the rule's ${reason.within} and the tolerance allow`;
    }
    case "below-min-quality": {
      const c = reason.comparison;
      return `below the bar ${reason.minQuality}: quality ${c.after.toFixed(3)}, ${difference(c)} from it over ${count(c.n)} items, more than the tolerance allows`;
    }
    case "below-sensitive-min-quality": {
      const c = reason.comparison;
      return `below --sensitive-min-quality ${reason.minQuality}: quality ${c.after.toFixed(3)}, ${difference(c)} from it over ${count(c.n)} items, more than the tolerance allows`;
    }
    case "cheaper-qualifies":
      return `${reason.model} now qualifies and costs less: ${per1k(reason.routeCostPer1kUsd)} → ${per1k(reason.costPer1kUsd)} per 1k requests${saving(reason)}; run check --update to take it`;
    case "recommend-would-choose":
      return reason.cheaper
        ? `recommend would now choose ${reason.model}, which costs less, but it is not shown to qualify beyond noise`
        : `recommend would now choose ${reason.model}`;
    case "no-fresh-results":
      return "no fresh results for this category";
    case "model-missing":
      return `${model} has no scored result in this category (deprecated, renamed, or every request failed?)`;
    case "not-self-hosted":
      return reason.inFile
        ? `sensitive data must stay self-hosted, but the route sends it to ${model} as ${reason.hosting}`
        : `sensitive data must stay self-hosted, but ${model} is ${reason.hosting ?? "of unknown hosting"}`;
    case "excluded":
      return describeExclusion(reason.exclusion);
    case "now-qualifies":
      return `${reason.model} now qualifies; run check --update to route this category`;
  }
}

/** "−0.180 [−0.23, −0.13]": the difference, and its 95 % interval to two places. */
function difference(c: QualityComparison): string {
  return `${formatSigned(c.diff)} [${formatSigned(c.low, 2)}, ${formatSigned(c.high, 2)}]`;
}

function design(c: QualityComparison): string {
  if (c.design === "paired") return `paired on ${count(c.n)} items`;
  if (c.design === "two-sample") return `${count(c.beforeN)} items then, ${count(c.n)} now, too few in common to pair`;
  return `${count(c.n)} items`;
}

const TESTS: Record<ComparisonTest, string> = {
  "exact-mcnemar": "exact McNemar test",
  "paired-t": "paired t test",
  "two-proportion-z": "two-proportion z test (Agresti–Caffo)",
  "welch-t": "Welch's t test",
  "exact-binomial": "exact binomial test",
  "one-sample-t": "one-sample t test",
};

/**
 * The test behind a statistical failure: its null hypothesis, its one-sided p-value, and the same after Holm over the
 * table's comparisons, e.g. "exact McNemar test, 84 right → wrong and 24 wrong → right: p < 0.0001 (H0: it fell by
 * at most 0.02); Holm-adjusted over 8 comparisons: p < 0.0001 ≤ α 0.05". Null for a reason that is not a test.
 */
function testLine(reason: CheckReason, report: CheckReport): string | null {
  const h0 = nullHypothesis(reason);
  if (h0 === null || !("comparison" in reason)) return null;
  const c = reason.comparison;
  const changed = c.test === "exact-mcnemar" ? `, ${discordance(reason, c)}` : "";
  const size = reason.kind === "cheaper-qualifies" && !report.failOnCheaper ? report.cheaperComparisons : report.comparisons;
  const family = `${plural(size, reason.kind === "cheaper-qualifies" && !report.failOnCheaper ? "cheaper model" : "comparison")}`;
  return `${TESTS[c.test]}${changed}: p ${pValue(c.pValue)} (H0: ${h0}); Holm-adjusted over ${family}: p ${pValue(c.adjustedP ?? c.pValue)} ≤ α ${report.alpha}`;
}

/** The discordant items a McNemar test counted: changes of one model's answers, or where two models disagree. */
function discordance(reason: CheckReason, c: QualityComparison): string {
  const losses = count(c.losses ?? 0);
  const gains = count(c.gains ?? 0);
  if (reason.kind === "below-best") return `${reason.reference} right where the route's model is wrong on ${losses} items, the reverse on ${gains}`;
  return `${losses} right → wrong and ${gains} wrong → right`;
}

/** What the test's null hypothesis says, in words; null for a reason that is not a test. */
function nullHypothesis(reason: CheckReason): string | null {
  switch (reason.kind) {
    case "quality-fell":
      return `it fell by at most ${tidy(reason.comparison.margin)}`;
    case "below-best":
      return `at most ${tidy(reason.comparison.margin)} below ${reason.reference}`;
    case "below-min-quality":
    case "below-sensitive-min-quality":
      return `at most ${tidy(reason.comparison.margin)} below ${reason.minQuality}`;
    case "cheaper-qualifies":
      return reason.comparison.design === "level"
        ? `at or below ${tidy(reason.comparison.before)}`
        : `more than ${tidy(reason.comparison.margin)} below the route's model`;
    default:
      return null;
  }
}

/** "= 0.012", "< 0.0001". */
export function pValue(p: number): string {
  if (p < 0.0001) return "< 0.0001";
  return `= ${Number(p.toPrecision(2))}`;
}

function tidy(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function per1k(value: number | null): string {
  return value === null ? "?" : formatUsdSmall(value);
}

function saving(reason: Extract<CheckReason, { kind: "cheaper-qualifies" }>): string {
  if (reason.tokensPerDay === null) return " (the table was made without --tokens-per-day: no monthly figure)";
  if (reason.monthlySavingUsd === null) return ` (the monthly saving at ${formatNumber(reason.tokensPerDay)} tokens/day is unknown: some route has no cost)`;
  if (reason.monthlySavingUsd <= 0)
    return `, but no monthly saving at ${formatNumber(reason.tokensPerDay)} tokens/day (its fleet costs as much at this volume)`;
  return `, ${formatUsd(reason.monthlySavingUsd)} a month less at ${formatNumber(reason.tokensPerDay)} tokens/day`;
}

function describeWarning(warning: CheckWarning): string {
  switch (warning.kind) {
    case "unrouted-category":
      return `category "${warning.category}" is in the results but has no route in the file; run check --update to add it`;
    case "cached-results": {
      const oldest = warning.oldestCachedAt === null ? "" : `, the oldest received ${oldestAge(warning.oldestCachedAt, warning.freshRunDate)}`;
      return (
        `${formatNumber(warning.cachedRows)} of ${formatNumber(warning.rows)} result rows came from the response cache${oldest}: ` +
        "a cached answer is what the model said then, so a cache can hide a model change; " +
        "refresh with modelpick eval --max-cache-age 0 (or --no-cache) before relying on this check"
      );
    }
  }
}

function oldestAge(oldest: string, runDate: string | null): string {
  const age = runDate ? Date.parse(runDate) - Date.parse(oldest) : NaN;
  return Number.isFinite(age) ? `${ageInWords(Math.max(0, age))} before the run` : oldest;
}

function whereItDiffers(diff: TextDiff): string {
  const span = Math.max(diff.removed, diff.added);
  const lines = span <= 1 ? `line ${diff.line} differs` : `lines ${diff.line}–${diff.line + span - 1} differ`;
  return `${lines} from the module modelpick generates from the routing data it embeds (- generated, + in the file)`;
}

function regenerateHint(file: string): string {
  return `regenerate it with \`modelpick check ${file} --update\` (or \`modelpick recommend --format ts --out ${file}\`)`;
}

/**
 * What `check --update` did, in one line: e.g. "routing.ts rewritten: 1 of 4 routes changed (task0: best → cheap)".
 * Routes are each category's route and its sensitive-data route; a route changes when its model does.
 */
export function describeUpdate(before: RoutingDocument, after: RoutingDocument, file: string, handEdited: boolean): string {
  const routesOf = (document: RoutingDocument) => {
    const routes = new Map<string, string>();
    for (const [category, route] of Object.entries(document.routes)) routes.set(category, route?.id ?? "no route");
    for (const [category, route] of Object.entries(document.sensitiveRoutes)) routes.set(`${category} (sensitive data)`, route?.id ?? "no route");
    return routes;
  };
  const was = routesOf(before);
  const now = routesOf(after);
  const names = [...new Set([...now.keys(), ...was.keys()])];
  const changes = names
    .filter((name) => (was.get(name) ?? "no route") !== (now.get(name) ?? "no route"))
    .map((name) => `${name}: ${was.get(name) ?? "no route"} → ${now.get(name) ?? "no route"}`);
  const shown = changes.length > 5 ? [...changes.slice(0, 5), `… ${changes.length - 5} more`] : changes;
  const what = changes.length === 0 ? "no route changed" : `${changes.length} of ${names.length} routes changed (${shown.join(", ")})`;
  return terminalSafe(`${file} rewritten: ${what}${handEdited ? "; hand edits replaced" : ""}`);
}

/** The category, and whether this is its sensitive-data route. */
function label(route: RouteCheck): string {
  return route.sensitive ? `${route.category} (sensitive data)` : route.category;
}

function qualityChange(route: RouteCheck): string {
  if (!route.fresh) return "";
  const was = route.committed ? `${route.committed.mean.toFixed(3)} → ` : "";
  const cost = costChange(route);
  return `: quality ${was}${route.fresh.mean.toFixed(3)} [${route.fresh.ciLow.toFixed(3)}, ${route.fresh.ciHigh.toFixed(3)}] n=${count(route.fresh.n)}${route.bar ? `, ${describeBar(route.bar)}` : ""}${cost}`;
}

function costChange(route: RouteCheck): string {
  const before = route.committed?.costPer1kUsd ?? null;
  const after = route.fresh?.costPer1kUsd ?? null;
  if (before === null && after === null) return "";
  return `, $/1k ${before === null ? "?" : formatUsdSmall(before)} → ${after === null ? "?" : formatUsdSmall(after)}`;
}

function budgetLine(budget: NonNullable<CheckReport["budget"]>): string {
  const monthly = budget.monthlyUsd === null ? "unknown (some route has no cost or price)" : formatUsd(budget.monthlyUsd);
  return `${budget.ok ? "✓" : "✗"} budget: ${monthly} a month against ${formatUsd(budget.budgetUsd)}`;
}

/** The Markdown summary for $GITHUB_STEP_SUMMARY: the same verdicts and reasons as the text. */
export function renderCheckMarkdown(report: CheckReport, file: string): string {
  const title = report.handEdit ? `❌ ${cell(file)} was edited by hand` : report.ok ? "✅ every route holds" : "❌ routes no longer hold";
  const lines = [`## modelpick check: ${title}`, ""];
  if (report.handEdit) lines.push(...handEditMarkdown(report.handEdit, file), "");
  lines.push(
    `Routing file \`${cell(file)}\` (run \`${cell(report.committedRun.runId)}\`), fresh run \`${cell(report.freshRun.runId)}\`: ${cell(ruleSummary(report))}.`,
    "",
    "| | category | model | quality then → now [95% CI] | bar | $ / 1k req then → now | details |",
    "|---|---|---|---|---|---|---|",
  );
  const marks: Record<RouteCheck["verdict"], string> = { holds: "✅", warns: "⚠️", fails: "❌", "no-route": "➖" };
  for (const route of report.routes) {
    const quality = route.fresh
      ? `${route.committed ? `${route.committed.mean.toFixed(3)} → ` : ""}${route.fresh.mean.toFixed(3)} [${route.fresh.ciLow.toFixed(3)}, ${route.fresh.ciHigh.toFixed(3)}]`
      : "—";
    const before = route.committed?.costPer1kUsd ?? null;
    const after = route.fresh?.costPer1kUsd ?? null;
    const details = [
      ...route.failures.flatMap((f) => [describeReason(f, route), testLine(f, report) ?? []].flat()),
      ...route.warnings.flatMap((w) => [`warning: ${describeReason(w, route)}`, testLine(w, report) ?? []].flat()),
      ...route.notes.map((n) => `note: ${describeReason(n, route)}`),
    ].join("; ");
    lines.push(
      `| ${marks[route.verdict]} | ${cell(label(route))} | ${cell(route.model ?? "no route")} | ${quality} | ${route.bar ? cell(describeBar(route.bar)) : "—"} | ${costCell(before, after)} | ${cell(details) || (route.verdict === "no-route" ? "no route in the file" : "holds")} |`,
    );
  }
  if (report.budget) lines.push("", budgetLine(report.budget));
  for (const warning of report.warnings) lines.push("", `⚠️ ${cell(describeWarning(warning))}`);
  return `${lines.join("\n")}\n`;
}

function costCell(before: number | null, after: number | null): string {
  if (before === null && after === null) return "—";
  return `${before === null ? "?" : formatUsdSmall(before)} → ${after === null ? "?" : formatUsdSmall(after)}`;
}

/** The hand edits as a fenced diff, its fence longer than any run of backticks in the lines. */
function handEditMarkdown(diff: TextDiff, file: string): string[] {
  const longestRun = Math.max(0, ...diff.lines.map((line) => Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length))));
  const fence = "`".repeat(Math.max(3, longestRun + 1));
  return [`${cell(whereItDiffers(diff))}; ${cell(regenerateHint(file))}.`, "", `${fence}diff`, ...diff.lines, fence];
}

/** Text inside a Markdown table cell: pipes, newlines and HTML cannot break the table. */
function cell(text: string): string {
  return text
    .replace(/[\r\n\u2028\u2029]+/g, " ")
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/`/g, "'")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/**
 * JUnit XML: one test case per route, failed when the route no longer holds (message: its first failure, in the
 * words of the text output), warnings in the case's system-out; the budget and a hand edit are one more case each;
 * warnings about the whole check (the response cache, unrouted categories) in the suite's system-out.
 */
export function renderJunit(report: CheckReport, file: string): string {
  const cases = report.routes.map((route) => {
    const name = `${label(route)} → ${route.model ?? "no route"}`;
    const details = detailLines(route, report);
    let body = "";
    if (route.verdict === "fails") {
      const message = describeReason(route.failures[0]!, route);
      body = `\n      <failure message="${xml(message)}">${xml([message, ...details].join("\n"))}</failure>\n    `;
    } else if (route.verdict === "no-route") {
      const note = route.notes[0];
      body = `\n      <skipped message="${xml(note ? describeReason(note, route) : "no route committed for this category")}"/>\n    `;
    } else if (details.length > 0) {
      body = `\n      <system-out>${xml(details.join("\n"))}</system-out>\n    `;
    }
    return `    <testcase classname="modelpick.routing" name="${xml(name)}">${body}</testcase>`;
  });
  if (report.budget) {
    const b = report.budget;
    const message = `monthly ${b.monthlyUsd === null ? "unknown" : formatUsd(b.monthlyUsd)} against budget ${formatUsd(b.budgetUsd)}`;
    cases.push(`    <testcase classname="modelpick.routing" name="budget">${b.ok ? "" : `\n      <failure message="${xml(message)}"/>\n    `}</testcase>`);
  }
  if (report.handEdit) {
    const message = `edited by hand: ${whereItDiffers(report.handEdit)}; ${regenerateHint(file)}`;
    cases.push(
      `    <testcase classname="modelpick.routing" name="${xml(`${file} is as generated`)}">\n      <failure message="${xml(message)}">${xml(report.handEdit.lines.join("\n"))}</failure>\n    </testcase>`,
    );
  }
  const failures = report.routes.filter((r) => r.verdict === "fails").length + (report.budget && !report.budget.ok ? 1 : 0) + (report.handEdit ? 1 : 0);
  const skipped = report.routes.filter((r) => r.verdict === "no-route").length;
  const properties = [
    ["alpha", report.alpha],
    ["tolerance", report.tolerance],
    ["comparisons", report.comparisons],
  ].map(([name, value]) => `      <property name="${name}" value="${value}"/>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="modelpick check" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">`,
    "    <properties>",
    ...properties,
    "    </properties>",
    ...cases,
    ...(report.warnings.length > 0 ? [`    <system-out>${xml(report.warnings.map((w) => `warning: ${describeWarning(w)}`).join("\n"))}</system-out>`] : []),
    "  </testsuite>",
    "</testsuites>",
    "",
  ].join("\n");
}

/** Escapes XML text and attributes, and drops characters XML 1.0 cannot hold at all. */
function xml(text: string): string {
  return text
    .replace(/[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;")
    .replace(/\n/g, "&#10;");
}

/**
 * `check --format json`: every route's verdict with its reasons as data (kinds and figures, no English), the two
 * comparisons with their p-values, the family, the budget and the warnings. The fresh recommendation is left out.
 */
export function checkJson(report: CheckReport, file: string): object {
  const { fresh: _fresh, handEdit, ...rest } = report;
  return {
    modelpickCheck: 1,
    file,
    ...rest,
    family: { method: "holm", alpha: report.alpha, comparisons: report.comparisons, ...report.family },
    handEdit: handEdit && { line: handEdit.line, removed: handEdit.removed, added: handEdit.added },
  };
}
