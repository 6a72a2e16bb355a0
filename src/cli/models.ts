import { Command, Option } from "commander";
import { kindNamed } from "../config/provider-kinds.js";
import { InputError } from "../errors.js";
import { terminalSafe, terminalSafeJson } from "../io/terminal.js";
import { EXIT, setExitCode } from "./exit.js";

interface ModelsFlags {
  provider?: string;
  kind: string;
  json?: boolean;
  local?: string;
}

const KINDS = ["api", "gpu", "throughput", "power"];

export function modelsCommand(): Command {
  return new Command("models")
    .description("list the built-in price catalog (every entry with its source and date), or inspect a local GGUF file")
    .argument("[search]", "show only entries whose id or model name contains this text")
    .option("--provider <name>", "API prices from one provider only (anthropic, openai, google — or gemini, as in the config —, together, groq, …)")
    .addOption(new Option("--kind <kind>", "which catalog to list").choices(KINDS).default("api"))
    .option("--json", "print JSON instead of a table")
    .option("--local <file.gguf>", "describe a local GGUF model (architecture, parameters, quantisation, context, licence)")
    .action(async (search: string | undefined, flags: ModelsFlags) => {
      const output = flags.local ? await describeLocal(flags.local, flags.json === true) : await listCatalog(search, flags);
      process.stdout.write(output);
      setExitCode(EXIT.ok);
    });
}

async function listCatalog(search: string | undefined, flags: ModelsFlags): Promise<string> {
  const catalog = await import("../cost/catalog/index.js");
  const { formatNumber } = await import("../cost/units.js");
  const needle = search?.toLowerCase();
  const matches = (...names: Array<string | undefined>) => needle === undefined || names.some((n) => n?.toLowerCase().includes(needle));
  if (flags.provider && flags.kind !== "api") throw new InputError("--provider filters API prices only (--kind api)");
  switch (flags.kind) {
    case "gpu": {
      const rows = catalog.GPU_OFFERS.filter((o) => matches(o.id, o.offer));
      return emit(flags, rows, ["GPU offer", "Offer", "$/GPU-h", "Default", "Source", "Date"], (o) => [
        o.id,
        o.offer,
        formatNumber(o.hourlyUsd),
        o.isDefault ? `yes (gpu: ${o.gpu})` : "",
        flagged(o.source, o.unconfirmed),
        o.date,
      ]);
    }
    case "throughput": {
      const rows = catalog.THROUGHPUT_PROFILES.filter((p) => matches(p.id, p.model, p.engine));
      return emit(flags, rows, ["Profile", "Engine", "GPUs", "Tokens/s", "Counts", "Workload", "Source", "Date"], (p) => [
        p.id,
        p.engine,
        `${p.gpusPerReplica}× ${p.gpu}`,
        p.counts === "separate"
          ? `${formatNumber(p.promptTokensPerSecond!)} prompt / ${formatNumber(p.generationTokensPerSecond!)} gen`
          : formatNumber(p.tokensPerSecond!),
        p.counts,
        p.workload,
        flagged(p.source, p.unconfirmed),
        p.date,
      ]);
    }
    case "power": {
      const rows = catalog.GPU_POWER.filter((p) => matches(p.id, p.gpu));
      return emit(flags, rows, ["GPU", "Watts", "Source", "Date"], (p) => [p.gpu, formatNumber(p.watts), flagged(p.source, p.unconfirmed), p.date]);
    }
    default: {
      const provider = catalogProviderNamed(flags.provider?.toLowerCase());
      const rows = catalog.API_PRICES.filter((e) => (!provider || e.provider === provider) && matches(...catalog.namesOf(e)));
      if (rows.length === 0 && provider && !catalog.API_PRICES.some((e) => e.provider === provider)) {
        const known = [...new Set(catalog.API_PRICES.map((e) => e.provider))].join(", ");
        throw new InputError(`--provider: no prices for "${flags.provider}"; known providers: ${known}`);
      }
      return emit(flags, rows, ["Model", "In $/MTok", "Out $/MTok", "Cache read", "Cache write", "Batch", "Long context", "Source", "Date"], (e) => [
        e.id + (e.aliases ? ` (${e.aliases.join(", ")})` : ""),
        formatNumber(e.inputPerMTok),
        formatNumber(e.outputPerMTok),
        e.cacheReadPerMTok === undefined ? "" : formatNumber(e.cacheReadPerMTok),
        e.cacheWritePerMTok === undefined ? "" : formatNumber(e.cacheWritePerMTok),
        e.batchMultiplier === undefined ? "" : `×${e.batchMultiplier}`,
        e.longContext
          ? `>${formatNumber(e.longContext.aboveInputTokens / 1000)}K: ${formatNumber(e.longContext.inputPerMTok)}/${formatNumber(e.longContext.outputPerMTok)}`
          : "",
        flagged(e.source, e.unconfirmed, e.historical),
        e.date,
      ]);
    }
  }
}

function flagged(source: string, unconfirmed: true | undefined, historical?: true): string {
  return `${historical ? "[historical list price] " : ""}${unconfirmed ? "[unconfirmed] " : ""}${source}`;
}

async function emit<T>(flags: ModelsFlags, rows: T[], head: string[], cells: (row: T) => string[]): Promise<string> {
  if (flags.json) return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0) return "no catalog entries match\n";
  const { default: Table } = await import("cli-table3");
  const table = new Table({ head, style: { head: [], border: [] }, wordWrap: true, colWidths: head.map((h) => (h === "Source" ? 60 : null)) });
  table.push(...rows.map(cells));
  const historical = rows.some((row) => (row as { historical?: true }).historical)
    ? "; [historical list price] = the last list price of a retired or legacy model, not an offer open today"
    : "";
  return `${table.toString()}\n${rows.length} entries. Dates are the source's own; "n.d." = none given${historical}.\n`;
}

async function describeLocal(file: string, json: boolean): Promise<string> {
  const { readGgufInfo } = await import("../providers/llama-cpp/gguf-info.js");
  const info = await readGgufInfo(file);
  const fields = {
    file: info.file,
    name: info.name,
    architecture: info.architecture,
    parameters: info.parameters,
    quantisation: info.quantisation,
    contextLength: info.contextLength,
    license: info.license,
  };
  // GGUF metadata is whatever the file's author wrote: control characters are escaped.
  if (json) return `${terminalSafeJson({ ...fields, notes: info.notes }, 2)}\n`;
  const { default: Table } = await import("cli-table3");
  const table = new Table({ style: { head: [], border: [] } });
  const shown: Record<string, string> = {
    ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === null ? "(not in the file)" : String(v)])),
    parameters: `${(info.parameters / 1e9).toFixed(2)}B (${info.parameters.toLocaleString("en-US")})`,
  };
  table.push(...Object.entries(shown).map(([k, v]) => ({ [k]: terminalSafe(v) })));
  const notes = info.notes.map((note) => `note: ${terminalSafe(note)}\n`).join("");
  return `${table.toString()}\n${notes}`;
}

/** The catalog's name for a provider given as the catalog names it, or as a config `provider:` kind (gemini → google). */
function catalogProviderNamed(name: string | undefined): string | undefined {
  const catalogName = name === undefined ? undefined : kindNamed(name)?.catalogProvider;
  return catalogName && catalogName !== "vendor of baseURL" ? catalogName : name;
}
