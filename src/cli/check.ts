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
  const { renderCheckText, renderCheckMarkdown, renderJunit, describeUpdate } = await import("../routing/check-report.js");
  const { appendFileSync, readFileSync } = await import("node:fs");
  const { writeFileAtomic } = await import("../io/atomic.js");
  const { onFile, annotateFsError } = await import("../io/fs-errors.js");

  const { format, document, handEdit } = readRoutingFile(file);
  const inputs = await loadRoutingInputs({ resultsDir: flags.results, configFile: flags.config, pricesFile: flags.prices });
  process.stderr.write(`${(await import("../report/results-line.js")).resultsLine(flags.results)}\n`);
  if (inputs.rows.length === 0) throw new InputError(`${flags.results}: results.jsonl has no rows`);
  const report = checkRouting(document, inputs, flags.tolerance, handEdit);

  process.stdout.write(`${renderCheckText(report, file)}\n`);
  const stepSummary = process.env.GITHUB_STEP_SUMMARY;
  if (stepSummary) {
    try {
      onFile(stepSummary, "write", () => appendFileSync(stepSummary, renderCheckMarkdown(report, file)));
    } catch (error) {
      throw annotateFsError(error, { hint: "that is where $GITHUB_STEP_SUMMARY points" });
    }
  }
  if (flags.junit) writeFileAtomic(flags.junit, renderJunit(report, file));

  if (flags.update) {
    const { toDocument } = await import("../routing/document.js");
    const { emitRouting } = await import("../routing/emit.js");
    const fresh = toDocument(report.fresh);
    const text = emitRouting(fresh, format);
    if (text === readFileSync(file, "utf8")) {
      process.stdout.write(`${file} is already what ${flags.results} recommends: not rewritten\n`);
    } else {
      writeFileAtomic(file, text);
      process.stdout.write(`${describeUpdate(document, fresh, file, handEdit !== null)}\n`);
    }
    return EXIT.ok;
  }
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}
