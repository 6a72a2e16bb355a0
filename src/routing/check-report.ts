import { formatUsd, formatUsdSmall } from "../cost/units.js";
import { terminalSafe } from "../io/terminal.js";
import { describeBar, type CheckReport, type RouteCheck } from "./check.js";
import type { RoutingDocument } from "./document.js";
import { count } from "./explain.js";
import type { TextDiff } from "./parse.js";

/**
 * The per-category diff printed by `modelpick check`, after the hand edits of a .ts file if it has any; names from the
 * data are printed with control characters escaped.
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
    const mark = route.status === "fails" ? "✗" : route.status === "holds" ? "✓" : "·";
    lines.push(`${mark} ${label(route)} → ${route.model ?? "no route"}${qualityChange(route)}`);
    for (const problem of route.problems) lines.push(`    ${problem}`);
    for (const note of route.notes) lines.push(`    note: ${note}`);
  }
  if (report.budget) lines.push(budgetLine(report.budget));
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return terminalSafe(lines.join("\n"));
}

function routesHeadline(report: CheckReport, file: string): string {
  const where = report.handEdit ? `the data of ${file}` : file;
  if (report.routesOk) return `modelpick check: every route in ${where} still holds (tolerance ${report.tolerance})`;
  const failing = report.routes.filter((r) => r.status === "fails").length;
  const overBudget = report.budget && !report.budget.ok ? ", and the table is over budget" : "";
  return `modelpick check: ${failing} of ${report.routes.length} route(s) in ${where} no longer hold${overBudget} (tolerance ${report.tolerance})`;
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

/** The Markdown summary for $GITHUB_STEP_SUMMARY. */
export function renderCheckMarkdown(report: CheckReport, file: string): string {
  const title = report.handEdit ? `❌ ${cell(file)} was edited by hand` : report.ok ? "✅ every route holds" : "❌ routes no longer hold";
  const lines = [`## modelpick check: ${title}`, ""];
  if (report.handEdit) lines.push(...handEditMarkdown(report.handEdit, file), "");
  lines.push(
    `Routing file \`${cell(file)}\`, fresh run \`${cell(report.fresh.source.runId)}\`, tolerance ${report.tolerance}.`,
    "",
    "| | category | model | quality then → now [95% CI] | bar | $ / 1k req then → now | details |",
    "|---|---|---|---|---|---|---|",
  );
  for (const route of report.routes) {
    const mark = route.status === "fails" ? "❌" : route.status === "holds" ? "✅" : "➖";
    const quality = route.fresh
      ? `${route.committed ? `${route.committed.mean.toFixed(3)} → ` : ""}${route.fresh.mean.toFixed(3)} [${route.fresh.ciLow.toFixed(3)}, ${route.fresh.ciHigh.toFixed(3)}]`
      : "—";
    const before = route.committed?.costPer1kUsd ?? null;
    const after = route.fresh?.costPer1kUsd ?? null;
    const details = [...route.problems, ...route.notes.map((n) => `note: ${n}`)].join("; ");
    lines.push(
      `| ${mark} | ${cell(label(route))} | ${cell(route.model ?? "no route")} | ${quality} | ${route.bar ? cell(describeBar(route.bar)) : "—"} | ${before === null ? "?" : formatUsdSmall(before)} → ${after === null ? "?" : formatUsdSmall(after)} | ${cell(details) || "holds"} |`,
    );
  }
  if (report.budget) lines.push("", budgetLine(report.budget));
  for (const warning of report.warnings) lines.push("", `⚠️ ${cell(warning)}`);
  return `${lines.join("\n")}\n`;
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

/** JUnit XML: one test case per route, failed when the route no longer holds; the budget is one more case. */
export function renderJunit(report: CheckReport, file: string): string {
  const cases = report.routes.map((route) => {
    const name = `${label(route)} → ${route.model ?? "no route"}`;
    const body =
      route.status === "fails"
        ? `\n      <failure message="${xml(route.problems[0] ?? "route no longer holds")}">${xml([...route.problems, ...route.notes].join("\n"))}</failure>\n    `
        : route.status === "no-route"
          ? `\n      <skipped message="${xml(route.notes[0] ?? "no route committed for this category")}"/>\n    `
          : "";
    return `    <testcase classname="modelpick.routing" name="${xml(name)}">${body}</testcase>`;
  });
  if (report.budget) {
    const b = report.budget;
    const message = `monthly ${b.monthlyUsd === null ? "unknown" : formatUsd(b.monthlyUsd)} against budget ${formatUsd(b.budgetUsd)}`;
    cases.push(
      `    <testcase classname="modelpick.routing" name="budget">${b.ok ? "" : `\n      <failure message="${xml(message)}"/>\n    `}</testcase>`,
    );
  }
  if (report.handEdit) {
    const message = `edited by hand: ${whereItDiffers(report.handEdit)}; ${regenerateHint(file)}`;
    cases.push(
      `    <testcase classname="modelpick.routing" name="${xml(`${file} is as generated`)}">\n      <failure message="${xml(message)}">${xml(report.handEdit.lines.join("\n"))}</failure>\n    </testcase>`,
    );
  }
  const failures =
    report.routes.filter((r) => r.status === "fails").length + (report.budget && !report.budget.ok ? 1 : 0) + (report.handEdit ? 1 : 0);
  const skipped = report.routes.filter((r) => r.status === "no-route").length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="modelpick check" tests="${cases.length}" failures="${failures}">`,
    `  <testsuite name="${xml(file)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" errors="0">`,
    ...cases,
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
