import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { DEFAULT_ALPHA, DEFAULT_TOLERANCE } from "../routing/defaults.js";
import { EXIT, setExitCode } from "./exit.js";
import { unit } from "./flags.js";
import { DEFAULT_RESULTS_DIR } from "./recommend.js";

interface CheckFlags {
  results: string;
  tolerance: number;
  alpha: number;
  failOnCheaper?: boolean;
  format: "text" | "json";
  junit?: string;
  update?: boolean;
  config?: string;
  prices?: string;
}

export function checkCommand(): Command {
  return new Command("check")
    .description(
      "CI gate: test a committed routing table on fresh results (each route's model against its committed outcomes and against the best model now); exit 1 when a route no longer holds",
    )
    .argument("<routing-file>", "routing table written by modelpick recommend (.ts, .yaml, .yml or .json)")
    .option("-r, --results <dir>", "fresh results directory (results.jsonl; summary.json optional)", DEFAULT_RESULTS_DIR)
    .addOption(
      new Option("--tolerance <x>", "slack in quality points: a fall (or a gap to the bar) up to x is not a failure")
        .argParser(unit("--tolerance"))
        .default(DEFAULT_TOLERANCE),
    )
    .addOption(new Option("--alpha <a>", "family-wise error rate of the table's comparisons (Holm)").argParser(alphaValue).default(DEFAULT_ALPHA))
    .option("--fail-on-cheaper", "fail a route when a cheaper model now qualifies for it (by default a warning)")
    .addOption(new Option("-f, --format <format>", "output on stdout").choices(["text", "json"]).default("text"))
    .option("--junit <file>", "also write JUnit XML (one test case per route)")
    .option("--update", "rewrite the routing file with the recommendation from the fresh results")
    .option("-c, --config <file>", "modelpick.yaml for maxTokens, temperature, baseURL, licence, prices (default: the run's config)")
    .option("--prices <file>", "prices for models the results carry no cost for (LiteLLM JSON or modelpick price map)")
    .action(async (file: string, flags: CheckFlags) => setExitCode(await runCheck(file, flags)));
}

function alphaValue(value: string): number {
  const alpha = Number(value);
  if (value.trim() === "" || !Number.isFinite(alpha) || alpha <= 0 || alpha > 0.5) {
    throw new InputError(`--alpha: expected a family-wise error rate above 0 and at most 0.5, e.g. 0.05, got "${value}"`);
  }
  return alpha;
}

async function runCheck(file: string, flags: CheckFlags): Promise<number> {
  const { readRoutingFile } = await import("../routing/parse.js");
  const { loadRoutingInputs } = await import("../routing/inputs.js");
  const { checkRouting } = await import("../routing/check.js");
  const { renderCheckText, renderCheckMarkdown, renderJunit, describeUpdate, checkJson } = await import("../routing/check-report.js");
  const { appendFileSync, readFileSync } = await import("node:fs");
  const { writeFileAtomic } = await import("../io/atomic.js");
  const { onFile, annotateFsError } = await import("../io/fs-errors.js");
  const { terminalSafeJson } = await import("../io/terminal.js");

  const { format, document, handEdit } = readRoutingFile(file);
  const inputs = await loadRoutingInputs({ resultsDir: flags.results, configFile: flags.config, pricesFile: flags.prices });
  process.stderr.write(`${(await import("../report/results-line.js")).resultsLine(flags.results)}\n`);
  if (inputs.rows.length === 0) throw new InputError(`${flags.results}: results.jsonl has no rows`);
  const options = { tolerance: flags.tolerance, alpha: flags.alpha, failOnCheaper: flags.failOnCheaper === true, crossValidate: flags.update === true };
  const report = checkRouting(document, inputs, options, handEdit);

  // With --format json, stdout is one JSON document: what --update did goes to stderr.
  if (flags.format === "json") process.stdout.write(`${terminalSafeJson(checkJson(report, file), 2)}\n`);
  else process.stdout.write(`${renderCheckText(report, file)}\n`);
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
    const say = (line: string) => (flags.format === "json" ? process.stderr : process.stdout).write(`${line}\n`);
    if (text === readFileSync(file, "utf8")) {
      say(`${file} is already what ${flags.results} recommends: not rewritten`);
    } else {
      writeFileAtomic(file, text);
      say(describeUpdate(document, fresh, file, handEdit !== null));
    }
    return EXIT.ok;
  }
  return report.ok ? EXIT.ok : EXIT.checkFailed;
}
