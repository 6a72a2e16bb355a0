import { describe, expect, it } from "vitest";
import { API_PRICES, GPU_OFFERS, GPU_POWER, THROUGHPUT_PROFILES, findApiPrice, findGpuOffer, namesOf } from "../../src/cost/catalog/index.js";

const ALL = [...API_PRICES, ...GPU_OFFERS, ...GPU_POWER, ...THROUGHPUT_PROFILES];
/** A date as the source states it, "≈" when inferred, or "n.d." when the source gives none. */
const DATE = /^(n\.d\.|≈?\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?|-Q[1-4])?)$/;

describe("built-in catalog", () => {
  it("dates and sources every entry", () => {
    for (const entry of ALL) {
      expect(entry.source.trim(), entry.id).not.toBe("");
      expect(entry.date, entry.id).toMatch(DATE);
    }
  });

  it("has unique ids across all catalogs", () => {
    const ids = ALL.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("has no negative or non-finite prices, rates or watts", () => {
    const numbers = (value: unknown): number[] =>
      typeof value === "number" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(numbers) : [];
    for (const entry of ALL) {
      for (const n of numbers(entry)) {
        expect(Number.isFinite(n) && n >= 0, `${entry.id}: ${n}`).toBe(true);
      }
    }
  });

  it("gives every throughput profile a positive rate of the kind it claims", () => {
    for (const p of THROUGHPUT_PROFILES) {
      if (p.counts === "separate") {
        expect(p.promptTokensPerSecond! > 0 && p.generationTokensPerSecond! > 0, p.id).toBe(true);
      } else {
        expect(p.tokensPerSecond! > 0, p.id).toBe(true);
      }
      expect(Number.isInteger(p.gpusPerReplica) && p.gpusPerReplica >= 1, p.id).toBe(true);
    }
  });

  it("keeps a long-context tier dearer than the base price and above zero tokens", () => {
    for (const e of API_PRICES.filter((e) => e.longContext)) {
      expect(e.longContext!.aboveInputTokens, e.id).toBeGreaterThan(0);
      expect(e.longContext!.inputPerMTok, e.id).toBeGreaterThanOrEqual(e.inputPerMTok);
    }
  });

  it("stores every figure without floating-point noise (0.4/1.8, not 0.4/1.7999999999999998)", () => {
    const numbers = (value: unknown): number[] =>
      typeof value === "number" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(numbers) : [];
    for (const entry of ALL) {
      for (const n of numbers(entry)) expect(String(n).length, `${entry.id}: ${n}`).toBeLessThan(12);
    }
  });

  it("prices OpenAI's >272K tier with 2× cache reads and writes, as facts §2 state", () => {
    for (const id of ["openai/gpt-6-sol", "openai/gpt-6.2-sol", "openai/gpt-5.6-luna"]) {
      const entry = API_PRICES.find((e) => e.id === id)!;
      expect(entry.longContext?.aboveInputTokens, id).toBe(272_000);
      expect(entry.longContext?.cacheWritePerMTok, id).toBe(entry.cacheWritePerMTok! * 2);
      expect(entry.longContext?.cacheReadPerMTok, id).toBe(entry.cacheReadPerMTok! * 2);
    }
  });

  it("holds the recorded default's closed models at their last list prices, marked historical (facts §3b)", () => {
    const expected = {
      "openai/gpt-4o-2024-05-13": { input: 5, output: 15, tier: undefined },
      "google/gemini-1.5-pro-002": { input: 1.25, output: 5, tier: { aboveInputTokens: 128_000, inputPerMTok: 2.5, outputPerMTok: 10 } },
      "google/gemini-1.5-flash-002": { input: 0.075, output: 0.3, tier: { aboveInputTokens: 128_000, inputPerMTok: 0.15, outputPerMTok: 0.6 } },
      "ai21/jamba-1.5-large": { input: 2, output: 8, tier: undefined },
    };
    for (const [id, want] of Object.entries(expected)) {
      const entry = API_PRICES.find((e) => e.id === id);
      expect(entry, id).toBeDefined();
      expect([entry!.inputPerMTok, entry!.outputPerMTok], id).toEqual([want.input, want.output]);
      expect(entry!.longContext, id).toEqual(want.tier);
      expect(entry!.historical, id).toBe(true);
      expect(entry!.source, id).not.toBe("");
    }
    // The snapshot that was recorded keeps its own price, not the later gpt-4o family price (2.50 / 10).
    expect(findApiPrice("gpt-4o-2024-05-13")).toMatchObject({ found: { id: "openai/gpt-4o-2024-05-13" } });
    expect(findApiPrice("gpt-4o")).toMatchObject({ found: { id: "openai/gpt-4o", inputPerMTok: 2.5 } });
    // Only these are historical: current offers are not marked.
    expect(
      API_PRICES.filter((e) => e.historical)
        .map((e) => e.id)
        .sort(),
    ).toEqual(Object.keys(expected).sort());
  });

  it("has exactly one default offer per GPU name", () => {
    const gpus = new Set(GPU_OFFERS.map((o) => o.gpu));
    for (const gpu of gpus) {
      expect(GPU_OFFERS.filter((o) => o.gpu === gpu && o.isDefault).length, gpu).toBe(1);
    }
  });

  it("keeps the marks the facts give: unconfirmed figures stay unconfirmed", () => {
    expect(findApiPrice("claude-fable-5-2")).toMatchObject({ found: { unconfirmed: true } });
    expect(findApiPrice("mistral-large-4")).toMatchObject({ found: { unconfirmed: true } });
    expect(GPU_OFFERS.find((o) => o.id === "h100/aws-p5")?.unconfirmed).toBe(true);
    expect(GPU_POWER.find((p) => p.gpu === "a10g")?.unconfirmed).toBe(true);
  });

  it("finds models by provider name, with the provider prefix, and by snapshot alias", () => {
    const sonnet = findApiPrice("claude-sonnet-4-6");
    expect(sonnet).toMatchObject({ found: { id: "anthropic/claude-sonnet-4-6", inputPerMTok: 3, outputPerMTok: 15 } });
    expect(findApiPrice("anthropic/claude-sonnet-4-6")).toEqual(sonnet);
    expect(findApiPrice("claude-opus-4-7-20260416")).toMatchObject({ found: { id: "anthropic/claude-opus-4-7" } });
    expect(findApiPrice("gpt-4o", "openai")).toMatchObject({ found: { inputPerMTok: 2.5, outputPerMTok: 10 } });
    expect(findApiPrice("gpt-5.6")).toMatchObject({ found: { id: "openai/gpt-5.6-sol" } });
    expect(findApiPrice("no-such-model")).toEqual({ missing: true });
  });

  it("reports a bare open-weight name served by several hosts as ambiguous", () => {
    const result = findApiPrice("gpt-oss-120b");
    expect("ambiguous" in result && result.ambiguous.map((e) => e.provider)).toEqual(expect.arrayContaining(["fireworks", "groq", "deepinfra"]));
    expect(findApiPrice("groq/gpt-oss-120b")).toMatchObject({ found: { inputPerMTok: 0.15, cacheReadPerMTok: 0.075 } });
  });

  it("answers every name of an entry with that entry, or with an ambiguity that includes it", () => {
    for (const entry of API_PRICES) {
      expect(findApiPrice(entry.id), entry.id).toEqual({ found: entry });
      for (const name of namesOf(entry)) {
        const hit = findApiPrice(name);
        const answered = "found" in hit ? [hit.found] : "ambiguous" in hit ? hit.ambiguous : [];
        expect(answered, name).toContain(entry);
      }
    }
  });

  it("resolves a GPU name to its default offer and an offer id to itself", () => {
    expect(findGpuOffer("h100")).toMatchObject({ isDefault: true, gpu: "h100" });
    expect(findGpuOffer("h100/runpod-secure-sxm")).toMatchObject({ hourlyUsd: 2.69 });
    expect(findGpuOffer("tpu")).toBeUndefined();
  });
});
