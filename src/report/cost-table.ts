import type { CostReport } from "../cost/run.js";
import { costDisplay } from "./cost-rows.js";

/** The terminal view: models sorted by monthly cost, break-even volumes, the verdict and numbered sources. */
export async function renderCostTable(report: CostReport): Promise<string> {
  const { default: Table } = await import("cli-table3");
  const view = costDisplay(report);
  const models = new Table({ head: view.modelHeader, style: { head: [], border: [] } });
  models.push(...view.modelRows);
  const parts = [...view.headline, "", models.toString()];
  if (view.breakEvenRows.length > 0) {
    const breakEven = new Table({ head: view.breakEvenHeader, style: { head: [], border: [] } });
    breakEven.push(...view.breakEvenRows);
    parts.push("", breakEven.toString());
  }
  parts.push("", view.verdict, "", "Sources:", ...view.sources);
  if (view.notes.length > 0) parts.push("", "Notes:", ...view.notes.map((n) => `- ${n}`));
  return `${parts.join("\n")}\n`;
}
