import type { CostReport } from "../cost/run.js";
import { costDisplay } from "./cost-rows.js";

export function renderCostMarkdown(report: CostReport): string {
  const view = costDisplay(report);
  const parts = ["## Monthly cost projection", "", ...view.headline.map((line) => `- ${escapePipes(line)}`), "", table(view.modelHeader, view.modelRows)];
  if (view.breakEvenRows.length > 0) parts.push("", "### Break-even", "", table(view.breakEvenHeader, view.breakEvenRows));
  parts.push("", `**Verdict.** ${escapePipes(view.verdict)}`, "", "### Sources", "", ...view.sources.map((s) => `- ${escapePipes(s)}`));
  if (view.notes.length > 0) parts.push("", "### Notes", "", ...view.notes.map((n) => `- ${escapePipes(n)}`));
  return `${parts.join("\n")}\n`;
}

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map(escapePipes).join(" | ")} |`;
  return [line(header), `|${header.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

function escapePipes(text: string): string {
  return text.replaceAll("|", "\\|");
}
