import type { CostReport } from "../cost/run.js";
import { terminalSafe } from "../io/terminal.js";
import { datedSources, datedText } from "./cost-rows.js";

const COLUMNS = [
  "id",
  "hosting",
  "costing",
  "monthlyCostUsd",
  "effectiveCostPerMTokUsd",
  "gpus",
  "replicas",
  "gpu",
  "gpuHourlyUsd",
  "utilizationReached",
  "inputPerMTok",
  "outputPerMTok",
  "tokensPerDay",
  "quality",
  "sources",
  "notes",
] as const;

/** One row per model (break-even pairs are in the JSON and table output). Numbers unrounded, sources with dates. */
export function renderCostCsv(report: CostReport): string {
  const rows = report.models.map((model) => {
    const selfHosted = model.costing === "fleet" ? model : undefined;
    const api = model.costing === "per-token" ? model : undefined;
    const values: Record<(typeof COLUMNS)[number], string | number | undefined> = {
      id: model.id,
      hosting: model.hosting,
      costing: model.costing,
      monthlyCostUsd: round(model.monthlyCostUsd),
      effectiveCostPerMTokUsd: round(model.effectiveCostPerMTokUsd),
      gpus: selfHosted?.gpus,
      replicas: selfHosted?.replicas,
      gpu: selfHosted?.gpu.name,
      gpuHourlyUsd: selfHosted?.gpu.hourlyUsd,
      utilizationReached: selfHosted ? round(selfHosted.utilizationReached) : undefined,
      inputPerMTok: api?.price.inputPerMTok,
      outputPerMTok: api?.price.outputPerMTok,
      tokensPerDay: report.assumptions.tokensPerDay,
      quality: report.quality?.models.find((m) => m.id === model.id)?.mean ?? undefined,
      sources: datedSources(model)
        .map((d) => `${d.what}: ${datedText(d)}`)
        .join("; "),
      notes: model.notes.join("; "),
    };
    return COLUMNS.map((c) => cell(values[c])).join(",");
  });
  return `${[COLUMNS.join(","), ...rows].join("\n")}\n`;
}

/** A CSV cell; control characters escaped like every table printed (a hostile model id never drives the terminal). */
function cell(value: string | number | undefined): string {
  if (value === undefined) return "";
  const text = terminalSafe(String(value));
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function round(value: number): number {
  return Number(value.toPrecision(10));
}
