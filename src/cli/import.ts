import { existsSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import { InputError } from "../errors.js";
import { terminalSafe } from "../io/terminal.js";
import { EXIT, setExitCode } from "./exit.js";
import { list, positive } from "./flags.js";

type ImportFormat = "promptfoo" | "long" | "wide" | "lm-eval";

interface ImportFlags {
  format?: ImportFormat;
  out: string;
  map: string[];
  category?: string;
  models?: string;
  selfHosted?: string;
  cloud?: string;
  metric: string[];
  filter: string[];
  sensitiveCategories?: string;
  scoreScale: number;
  force?: boolean;
}

export function importCommand(): Command {
  return new Command("import")
    .description("turn results from elsewhere (promptfoo JSON, lm-evaluation-harness samples, a long or wide CSV/JSONL) into a modelpick results directory")
    .argument("<file>", "promptfoo `eval -o out.json` output, an lm_eval --output_path directory, or a .csv/.tsv/.jsonl table")
    .addOption(
      new Option("--format <format>", "input format (default for a directory: lm-eval; a file needs it)").choices(["promptfoo", "lm-eval", "long", "wide"]),
    )
    .requiredOption("-o, --out <dir>", "results directory to write (results.jsonl and summary.json)")
    .addOption(
      new Option(
        "--map <field=column>",
        "map a field to a column (repeatable or comma-separated): itemId, category, model, score, output, inputTokens, outputTokens, costUsd, latencyMs, passed, error, sensitive; promptfoo: itemId, category, sensitive name a test variable, a metadata key or description",
      )
        .argParser(repeatable)
        .default([]),
    )
    .option("--category <name>", "category for every item when the file has no category column")
    .option("--models <list>", "wide format: the score columns to import (default: every numeric column)")
    .option("--self-hosted <list>", "model ids that run on your own infrastructure (default: cloud-hosted; lm-eval: self-hosted)")
    .option("--cloud <list>", "model ids served by a vendor's cloud (lm-eval models that called an API are cloud-hosted already)")
    .addOption(
      new Option("--metric <name>", "lm-eval: the metric to score on, NAME or task=NAME (repeatable; default: each task's first higher-is-better metric)")
        .argParser(repeatable)
        .default([]),
    )
    .addOption(
      new Option("--filter <name>", "lm-eval: the filter whose answers to score, NAME or task=NAME (repeatable; default: each task's first filter)")
        .argParser(repeatable)
        .default([]),
    )
    .option("--sensitive-categories <list>", "categories whose items are sensitive (on top of a `sensitive` column)")
    .addOption(new Option("--score-scale <n>", "divide scores by n, e.g. 100 for percentages").argParser(positive("--score-scale")).default(1))
    .option("--force", "replace results.jsonl if --out already holds one")
    .action(async (file: string, flags: ImportFlags) => setExitCode(await runImport(file, flags)));
}

/** Without --format: a directory can only be lm-evaluation-harness output; a file could be any of the others. */
async function formatOf(file: string): Promise<ImportFormat> {
  const { isDirectory } = await import("../io/dirs.js");
  if (isDirectory(file)) return "lm-eval";
  if (!existsSync(file)) throw new InputError(`${file}: no such file or directory`);
  throw new InputError(`${file}: say what the file is with --format promptfoo, long or wide (a directory is read as lm-eval output)`);
}

function repeatable(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

async function runImport(file: string, flags: ImportFlags): Promise<number> {
  const format = flags.format ?? (await formatOf(file));
  if (format !== "lm-eval" && flags.metric.length + flags.filter.length > 0) {
    throw new InputError(`--metric and --filter choose what to score in lm-evaluation-harness samples: use them with --format lm-eval`);
  }
  const { parseColumnMap } = await import("../import/fields.js");
  const { importResults } = await import("../import/index.js");
  const outcome = await importResults({
    file,
    outDir: flags.out,
    format,
    columns: parseColumnMap(flags.map),
    defaultCategory: flags.category,
    models: flags.models ? list(flags.models) : undefined,
    scoreScale: flags.scoreScale,
    selfHosted: list(flags.selfHosted),
    cloud: list(flags.cloud),
    metric: flags.metric,
    filter: flags.filter,
    sensitiveCategories: list(flags.sensitiveCategories),
    force: flags.force === true,
  });
  const hosting = outcome.models.map((m) => `${m.id} (${m.hosting})`).join(", ");
  const lines = [
    `Imported ${outcome.rows} rows (${outcome.items} items × ${outcome.models.length} models: ${hosting}) from ${file}.`,
    `${outcome.errors} row(s) without a score are recorded as errors, never as 0.`,
    ...outcome.notes,
    `Wrote ${path.join(outcome.outDir, "results.jsonl")} and summary.json; next: modelpick recommend --results ${outcome.outDir}`,
  ];
  // Model names and notes come from the imported file: control characters are escaped.
  process.stdout.write(`${terminalSafe(lines.join("\n"))}\n`);
  return EXIT.ok;
}
