import path from "node:path";
import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { unknownName } from "../suggest.js";
import { terminalSafe } from "../io/terminal.js";
import { DEFAULT_WITHIN } from "../routing/defaults.js";
import type { RoutingCriteria } from "../routing/types.js";
import { list, positive, positiveInt, unit } from "./flags.js";
import { EXIT, setExitCode } from "./exit.js";

interface RecommendFlags {
  results: string;
  minQuality?: number;
  within?: number;
  minItems: number;
  sensitiveMinQuality?: number;
  folds?: number;
  holdout?: number;
  tokensPerDay?: string;
  mix?: string;
  budget?: number;
  maxP95Ms?: number;
  allowLicense?: string;
  orgMau?: string;
  humanReview?: string;
  sensitive?: string;
  config?: string;
  prices?: string;
  format?: "ts" | "yaml" | "json";
  out?: string;
}

export const DEFAULT_RESULTS_DIR = "reports/latest";
export const DEFAULT_FOLDS = 5;

export function recommendCommand(): Command {
  return new Command("recommend")
    .description("choose a model per task category from eval results, and emit the routing table (TS, YAML or JSON)")
    .option("-r, --results <dir>", "results directory from eval or import", DEFAULT_RESULTS_DIR)
    .addOption(
      new Option("--min-quality <x>", "absolute bar: the lower end of a model's 95% interval must reach x (0–1)")
        .argParser(unit("--min-quality"))
        .conflicts("within"),
    )
    .addOption(
      new Option("--within <x>", `non-inferiority margin: with 95% confidence at most x below the category's best model (default ${DEFAULT_WITHIN})`).argParser(
        unit("--within"),
      ),
    )
    .addOption(new Option("--min-items <n>", "fewest paired items on which a model may win a route").argParser(positiveInt("--min-items")).default(10))
    .addOption(
      new Option(
        "--sensitive-min-quality <x>",
        "no sensitive route for a category where no self-hosted model reaches x with 95% confidence (routeRequest throws)",
      ).argParser(unit("--sensitive-min-quality")),
    )
    .addOption(new Option("--folds <k>", `cross-fit the table's quality over k folds (default ${DEFAULT_FOLDS})`).argParser(foldCount).conflicts("holdout"))
    .addOption(new Option("--holdout <fraction>", "instead of folds, hold out this share of each category's items (0–1, exclusive)").argParser(holdoutShare))
    .option("--tokens-per-day <volume>", "daily token volume for monthly cost, e.g. 250k, 100m, 1.5b")
    .option("--mix <shares>", "traffic share per category, e.g. extraction=0.5,chat=0.5 (default: the dataset's category sizes)")
    .addOption(new Option("--budget <usd>", "monthly budget in USD at --tokens-per-day; exit 1 when the table is over it").argParser(positive("--budget")))
    .addOption(new Option("--max-p95-ms <ms>", "exclude models whose p95 latency in the category is above this").argParser(positive("--max-p95-ms")))
    .option("--allow-license <list>", "comma-separated licences a self-hosted model may have (e.g. apache-2.0,mit,llama3.1)")
    .option("--org-mau <n>", "your monthly active users: Llama community licences exclude models above 700M (e.g. 800m)")
    .option("--human-review <categories>", "comma-separated categories that keep the best model and are marked humanReview")
    .option("--sensitive <categories>", "comma-separated categories to treat as sensitive on top of items marked sensitive")
    .option("-c, --config <file>", "modelpick.yaml for maxTokens, temperature, baseURL, licence, prices (default: the run's config)")
    .option("--prices <file>", "prices for models the results carry no cost for (LiteLLM JSON or modelpick price map)")
    .addOption(new Option("-f, --format <format>", "routing table format").choices(["ts", "yaml", "json"]))
    .option("-o, --out <file>", "write the routing table here (format from --format or the extension)")
    .action(async (flags: RecommendFlags) => setExitCode(await runRecommend(flags)));
}

async function runRecommend(flags: RecommendFlags): Promise<number> {
  const { loadRoutingInputs } = await import("../routing/inputs.js");
  const { recommend } = await import("../routing/select.js");
  const criteria = await criteriaFrom(flags);
  const format = await outputFormat(flags);
  const inputs = await loadRoutingInputs({ resultsDir: flags.results, configFile: flags.config, pricesFile: flags.prices });
  process.stderr.write(`${(await import("../report/results-line.js")).resultsLine(flags.results)}\n`);
  if (inputs.rows.length === 0) throw new InputError(`${flags.results}: results.jsonl has no rows`);
  checkCategories(criteria, [...new Set(inputs.rows.map((r) => r.category))], flags.results);
  const recommendation = recommend({ ...inputs, criteria });
  const { renderRecommendation } = await import("../routing/render.js");
  const table = await renderRecommendation(recommendation);
  if (format) {
    const { toDocument } = await import("../routing/document.js");
    const { emitRouting } = await import("../routing/emit.js");
    const text = emitRouting(toDocument(recommendation), format);
    if (flags.out) {
      const { writeFileAtomic } = await import("../io/atomic.js");
      const { ensureDir } = await import("../io/dirs.js");
      ensureDir(path.dirname(flags.out)); // src/routing.ts in a project without src/ yet, as compilers do
      writeFileAtomic(flags.out, text);
      process.stdout.write(`${table}\nRouting table written to ${flags.out}\n`);
    } else {
      process.stderr.write(`${table}\n`);
      process.stdout.write(text);
    }
  } else {
    process.stdout.write(`${table}\n`);
  }
  if (recommendation.withinBudget === false) {
    process.stderr.write(`the cheapest qualifying table costs more than --budget ${flags.budget} a month\n`);
    return EXIT.checkFailed;
  }
  if (criteria.budgetUsd !== undefined && recommendation.withinBudget === null) {
    const unpriced = (recommendation.bill?.unpriced ?? []).map((u) =>
      terminalSafe(`${[...u.categories, ...u.sensitiveCategories.map((c) => `${c} (sensitive data)`)].join(", ")} → ${u.model}`),
    );
    process.stderr.write(
      `cannot verify --budget: no cost or price for ${unpriced.join(", ")}; give those models a price: in modelpick.yaml (self-hosted: your own $ per million tokens) or pass --prices\n`,
    );
    return EXIT.checkFailed;
  }
  return EXIT.ok;
}

/** Categories named by flags must be in the results: a misspelt --sensitive category would protect nothing. */
function checkCategories(criteria: RoutingCriteria, known: string[], resultsDir: string): void {
  const named: Array<[flag: string, categories: string[]]> = [
    ["--human-review", criteria.humanReview],
    ["--sensitive", criteria.sensitiveCategories],
    ["--mix", Object.keys(criteria.mix ?? {})],
  ];
  for (const [flag, categories] of named) {
    for (const category of categories) {
      if (!known.includes(category)) throw new InputError(`${flag}: ${unknownName("category", category, known)} (the categories in ${resultsDir})`);
    }
  }
}

/** --format, else the --out file's extension; the two must agree, or `check` could not read the file back. */
async function outputFormat(flags: RecommendFlags): Promise<"ts" | "yaml" | "json" | undefined> {
  if (!flags.out) return flags.format;
  const { formatOfRoutingFile } = await import("../routing/parse.js");
  const fromName = formatOfRoutingFile(flags.out);
  if (flags.format && flags.format !== fromName) {
    throw new InputError(`--out ${flags.out} is a ${fromName} file but --format is ${flags.format}; make them agree`);
  }
  return fromName;
}

async function criteriaFrom(flags: RecommendFlags): Promise<RoutingCriteria> {
  const { parseVolume } = await import("../cost/units.js");
  if (flags.budget !== undefined && flags.tokensPerDay === undefined) {
    throw new InputError("--budget needs --tokens-per-day: the monthly cost depends on the volume");
  }
  const criteria: RoutingCriteria = {
    minItems: flags.minItems,
    humanReview: list(flags.humanReview),
    sensitiveCategories: list(flags.sensitive),
    confidence: 0.95,
    resamples: 2000,
  };
  if (flags.minQuality !== undefined) criteria.minQuality = flags.minQuality;
  else criteria.within = flags.within ?? DEFAULT_WITHIN;
  if (flags.sensitiveMinQuality !== undefined) criteria.sensitiveMinQuality = flags.sensitiveMinQuality;
  if (flags.holdout !== undefined) criteria.holdout = flags.holdout;
  else criteria.folds = flags.folds ?? DEFAULT_FOLDS;
  if (flags.tokensPerDay !== undefined) criteria.tokensPerDay = parseVolume(flags.tokensPerDay, "--tokens-per-day");
  if (flags.mix !== undefined) criteria.mix = parseMix(flags.mix);
  if (flags.budget !== undefined) criteria.budgetUsd = flags.budget;
  if (flags.maxP95Ms !== undefined) criteria.maxP95Ms = flags.maxP95Ms;
  if (flags.allowLicense !== undefined) criteria.allowLicenses = list(flags.allowLicense);
  if (flags.orgMau !== undefined) criteria.orgMau = parseVolume(flags.orgMau, "--org-mau");
  return criteria;
}

function foldCount(value: string): number {
  const k = Number(value);
  if (value.trim() === "" || !Number.isInteger(k) || k < 2 || k > 100) throw new InputError(`--folds: expected a whole number from 2 to 100, got "${value}"`);
  return k;
}

function holdoutShare(value: string): number {
  const share = Number(value);
  if (value.trim() === "" || !Number.isFinite(share) || share <= 0 || share >= 1) {
    throw new InputError(`--holdout: expected a share of the items between 0 and 1 (exclusive), e.g. 0.2, got "${value}"`);
  }
  return share;
}

function parseMix(text: string): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const part of list(text)) {
    const eq = part.lastIndexOf("=");
    const share = Number(part.slice(eq + 1));
    if (eq <= 0 || !Number.isFinite(share) || share < 0) throw new InputError(`--mix: "${part}" should be category=share, e.g. extraction=0.4`);
    mix[part.slice(0, eq).trim()] = share;
  }
  if (Object.values(mix).every((s) => s === 0)) throw new InputError("--mix: at least one category needs a share above 0");
  return mix;
}
