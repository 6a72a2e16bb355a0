import { existsSync } from "node:fs";
import path from "node:path";
import { Command } from "commander";
import { InputError } from "../errors.js";
import { PROVIDER_KINDS } from "../config/provider-kinds.js";

export const CONFIG_FILE = "modelpick.yaml";
export const STARTER_DATASET = "datasets/starter.yaml";

type Kinds = typeof PROVIDER_KINDS;
/** The provider kinds with a key variable of their own: the vendors' cloud APIs. */
type KeyedKind = { [Kind in keyof Kinds]: Kinds[Kind]["apiKeyEnv"] extends string ? Kind : never }[keyof Kinds];

/** The cloud models of the starter config, each active when its kind's API key (from the registry) is set. */
const CLOUD_MODELS = (
  [
    { provider: "anthropic", id: "claude", model: "claude-sonnet-4-6" },
    { provider: "openai", id: "gpt", model: "gpt-4.1-mini" },
    { provider: "gemini", id: "gemini", model: "gemini-2.5-flash" },
  ] satisfies Array<{ provider: KeyedKind; id: string; model: string }>
).map(({ provider, id, model }) => ({ id, keyEnv: PROVIDER_KINDS[provider].apiKeyEnv, entry: `{ id: ${id}, provider: ${provider}, model: ${model} }` }));

export function initCommand(): Command {
  return new Command("init")
    .description(`write a commented starter ${CONFIG_FILE} and a small dataset (${STARTER_DATASET}) in the working directory`)
    .option("--force", "overwrite those files if they exist")
    .action(async (flags: { force?: boolean }) => runInit(process.cwd(), flags.force === true, process.env));
}

async function runInit(dir: string, force: boolean, env: NodeJS.ProcessEnv): Promise<void> {
  const { writeFileAtomic } = await import("../io/atomic.js");
  const files = [CONFIG_FILE, STARTER_DATASET];
  const existing = files.filter((file) => existsSync(path.join(dir, file)));
  if (existing.length > 0 && !force) {
    throw new InputError(
      `${existing.join(" and ")} already exist${existing.length === 1 ? "s" : ""} in ${dir}: keep ${existing.length === 1 ? "it" : "them"}, or run modelpick init --force to overwrite`,
    );
  }
  const keyed = CLOUD_MODELS.filter((m) => Boolean(env[m.keyEnv]));
  // With no key set, every cloud model stays active so that eval names the variables to set.
  const active = keyed.length > 0 ? keyed : CLOUD_MODELS;
  const { ensureDir } = await import("../io/dirs.js");
  ensureDir(path.join(dir, path.dirname(STARTER_DATASET)));
  writeFileAtomic(path.join(dir, STARTER_DATASET), STARTER_ITEMS);
  writeFileAtomic(path.join(dir, CONFIG_FILE), starterConfig(active));

  const lines = [`Wrote ${CONFIG_FILE} (models: ${active.map((m) => m.id).join(", ")}) and ${STARTER_DATASET} (five example items, one of them sensitive).`];
  if (keyed.length === 0) {
    lines.push(
      `No ${oneOf(CLOUD_MODELS.map((m) => m.keyEnv))} is set: set one (and drop the other models), or point a model at your own server (the example in ${CONFIG_FILE}).`,
    );
  }
  lines.push(`Next: replace the starter items with real requests from your product, then run modelpick eval.`);
  lines.push(`modelpick eval --demo runs the built-in example (recorded answers of nine models) with no API key.`);
  process.stdout.write(lines.join("\n") + "\n");
}

/** "a, b or c". */
function oneOf(names: string[]): string {
  return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

function starterConfig(active: typeof CLOUD_MODELS): string {
  const models = CLOUD_MODELS.map((m) => (active.includes(m) ? `  - ${m.entry}` : `  # - ${m.entry}    # set ${m.keyEnv}, then uncomment`));
  return `# modelpick starter config, written by \`modelpick init\`. Paths are relative to this file.
# The modelpick README ("Configuration", "Datasets", "Scorers") lists every key.
dataset: ${STARTER_DATASET}        # one path or a list; JSONL, CSV or YAML, optionally .gz
# judge: claude                       # the model that grades items scored by a rubric (scorer: judge)
models:
  # Cloud APIs. The key comes from ${CLOUD_MODELS.map((m) => m.keyEnv).join(" / ")}, or the variable named by apiKeyEnv.
${models.join("\n")}
  # A model you host yourself behind an OpenAI-compatible server (vLLM, llama.cpp server, Ollama...):
  # - id: qwen-local
  #   provider: openai-compatible
  #   model: Qwen/Qwen2.5-7B-Instruct
  #   baseURL: http://localhost:8000/v1   # must include /v1
  #   hosting: self-hosted                 # only self-hosted models ever see sensitive items
  # A local GGUF file, run in-process (needs: npm i node-llama-cpp):
  # - { id: llama-local, provider: llama-cpp, path: ~/models/model.gguf }
`;
}

const STARTER_ITEMS = `# modelpick starter dataset, written by \`modelpick init\`: one item per task category your product has.
# Replace these with real requests (a few dozen per category give useful confidence intervals).
# Fields: id, category, input (or messages), optional system, expected, scorer; sensitive: true keeps an item
# away from cloud models (it is only sent to self-hosted ones).
items:
  - id: classify-001
    category: classification
    system: "Classify the sentiment of the product review. Answer with one word: positive, negative or neutral."
    input: "Arrived two days early and the battery lasts a full workday. Would buy again."
    expected: positive
    scorer: exact

  - id: extract-001
    category: extraction
    input: |
      Extract the invoice number and the total from this invoice. Reply with JSON only:
      {"invoice_number": "...", "total": <number>}

      INVOICE No. INV-2025-0457, Northwind Office Supplies. Subtotal 618.00, VAT 123.60, total due 741.60 EUR.
    scorer: { type: json, equals: { invoice_number: INV-2025-0457, total: 741.6 } }

  - id: reason-001
    category: reasoning
    input: |
      A support team has 420 open tickets. Three agents each resolve 14 tickets per hour while 12 new tickets
      arrive per hour. How many hours until the backlog is empty? End with a line "Answer: <number>".
    expected: 14
    scorer: number

  - id: chat-001
    category: support-chat
    system: "You are the support assistant of an online lamp shop. Returns are accepted within 30 days of delivery."
    input: "Hi, my lamp arrived three weeks ago and I don't like it. Can I still send it back?"
    expected: ["30 days"]
    scorer: { type: contains, mode: any }

  - id: redact-001
    category: redaction
    sensitive: true
    system: "Replace each person's name with [NAME] and each email address with [EMAIL]. Output only the redacted text."
    input: "Hi, this is Harriet Quimby; reach me at harriet.quimby@example.com about order 88-1201."
    expected: ["[NAME]", "[EMAIL]", "88-1201"]
    scorer: { type: contains, forbidden: [Harriet, Quimby, harriet.quimby@example.com] }
`;
