/** The trimmed real LiteLLM file in test/fixtures/litellm/ (MIT, see PROVENANCE.md there), and a real-size one. */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const TRIMMED = fileURLToPath(new URL("../fixtures/litellm/model_prices_and_context_window.trimmed.json", import.meta.url));
export const REAL_SIZE = 2_986;

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "modelpick-litellm-"));
}

export type Entry = Record<string, unknown>;

/**
 * The trimmed real file grown to the real file's size with entries shaped like LiteLLM's gateway ones: every
 * first-party chat entry served again by generated gateways (`gw3/gpt-4o`, `gw3/openai/gpt-4o`) at other prices.
 */
export function realSizeFile(): string {
  const data = JSON.parse(readFileSync(TRIMMED, "utf8")) as Record<string, Entry>;
  const firstParty = Object.entries(data).filter(([key, e]) => !key.includes("/") && e.mode === "chat" && typeof e.input_cost_per_token === "number");
  let gateway = 0;
  while (Object.keys(data).length < REAL_SIZE) {
    gateway++;
    for (const [key, entry] of firstParty) {
      const provider = `gw${gateway}`;
      const price = {
        input_cost_per_token: (entry.input_cost_per_token as number) * 1.5,
        output_cost_per_token: (entry.output_cost_per_token as number) * 1.5,
      };
      data[`${provider}/${key}`] = { ...entry, ...price, litellm_provider: provider };
      data[`${provider}/${String(entry.litellm_provider)}/${key}`] = { ...entry, ...price, litellm_provider: provider };
    }
  }
  const file = path.join(tempDir(), "model_prices_and_context_window.json");
  writeFileSync(file, JSON.stringify(data, null, 2));
  return file;
}
