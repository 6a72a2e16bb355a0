import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { EXIT, setExitCode } from "./exit.js";
import { unit } from "./flags.js";
import { DEFAULT_RESULTS_DIR } from "./recommend.js";

interface CheckFlags {
  results: string;
  tolerance: number;
  junit?: string;
  update?: boolean;
  config?: string;
  prices?: string;
}

export function checkCommand(): Command {
  return new Command("check")
    .description("CI gate: re-check a committed routing table against fresh results; exit 1 with a per-category diff when a route no longer holds")
    .argument("<routing-file>", "routing table written by modelpick recommend (.ts, .yaml, .yml or .json)")
    .option("-r, --results <dir>", "fresh results directory (results.jsonl; summary.json optional)", DEFAULT_RESULTS_DIR)
    .addOption(new Option("--tolerance <x>", "slack on the quality bar before a route fails").argParser(unit("--tolerance")).default(0.02))
    .option("--junit <file>", "also write JUnit XML (one test case per route)")
    .option("--update", "rewrite the routing file with the recommendation from the fresh results")
    .option("-c, --config <file>", "modelpick.yaml for maxTokens, temperature, baseURL, licence, prices (default: the run's config)")
    .option("--prices <file>", "prices for models the results carry no cost for (LiteLLM JSON or modelpick price map)")
    .action(async (file: string, flags: CheckFlags) => setExitCode(await runCheck(file, flags)));
}

async function runCheck(file: string, flags: CheckFlags): Promise<number> {
  const { readRoutingFile } = await import("../routing/parse.js");
  const { loadRoutingInputs } = await import("../routing/inputs.js");
  const { checkRouting } = await import("../routing/check.js");
  const { renderCheckText, renderCheckMarkdown, renderJunit } = await import("../routing/check-report.js");
  const { writeFileSync, appendFileSync } = await import("node:fs");

  const { format, document } = readRoutingFile(file);
  const inputs = await loadRoutingInputs({ resultsDir: flags.results, configFile: flags.config, pricesFile: flags.prices });
  process.stderr.write(`${(await import("../report/results-line.js")).resultsLine(flags.results)}\n`);
  if (inputs.rows.length === 0) throw new InputError(`${flags.results}: results.jsonl has no rows`);
  const report = checkRouting(document, inputs, flags.tolerance);

  process.stdout.write(`${renderCheckText(report, file)}\n`);
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) appendFileSync(stepSummary, renderCheckMarkdown(report, file));
  if (flags.junit) writeFileSync(flags.junit, renderJunit(report, file));

  if (flags.update) {
    const { toDocument } = await import("../routing/document.js");
    const { emitRouting } = await import("../routing/emit.js");
    writeFileSync(file, emitRouting(toDocument(report.fresh), format));
    process.stdout.write(`${file} rewritten with the recommendation from ${flags.results}\n`);
    return EXIT.ok;
  }
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}
