import type { CostReport } from "../cost/run.js";
import { costDisplay } from "./cost-rows.js";

export function renderCostMarkdown(report: CostReport): string {
  const view = costDisplay(report);
  const parts = [
    "## Monthly cost projection",
    "",
    ...view.headline.map((line) => `- ${escape(line)}`),
    "",
    table(view.modelHeader, view.modelRows),
  ];
  if (view.breakEvenRows.length > 0) parts.push("", "### Break-even", "", table(view.breakEvenHeader, view.breakEvenRows));
  parts.push("", `**Verdict.** ${escape(view.verdict)}`, "", "### Sources", "", ...view.sources.map((s) => `- ${escape(s)}`));
  if (view.notes.length > 0) parts.push("", "### Notes", "", ...view.notes.map((n) => `- ${escape(n)}`));
  return `${parts.join("\n")}\n`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escape).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

function escape(text: string): string {
  return text.replaceAll("|", "\\|");
}
