import { describe, expect, it } from "vitest";
import type { ResolvedModel } from "../../src/config/types.js";
import { describePriceSource, knownPrice, lookupPrice } from "../../src/cost/prices.js";

function cloudModel(id: string, model: string): ResolvedModel {
  return { id, model, provider: "openai", hosting: "cloud" } as unknown as ResolvedModel;
}

describe("price lookup", () => {
  it("says so, as data, when a dated snapshot with no entry is priced as its family (the config id)", () => {
    const price = knownPrice({ model: cloudModel("gpt-4o", "gpt-4o-2024-08-06") }, { tables: [] })!;
    expect(price.inputPerMTok).toBe(2.5);
    expect(price.pricedAs).toBe("gpt-4o");
    expect(describePriceSource(price, "gpt-4o-2024-08-06")).toMatch(/^gpt-4o-2024-08-06 priced as gpt-4o: modelpick built-in catalog/);
  });

  it("prices a snapshot that has its own entry with that entry, and says nothing about a family", () => {
    const price = knownPrice({ model: cloudModel("gpt-4o", "gpt-4o-2024-05-13") }, { tables: [] })!;
    expect([price.inputPerMTok, price.outputPerMTok]).toEqual([5, 15]);
    expect(price.pricedAs).toBeUndefined();
    expect(price.historical).toBe(true);
    expect(describePriceSource(price, "gpt-4o-2024-05-13")).toMatch(/\[historical list price\]/);
  });

  it("does not mark a price found under the model's own name", () => {
    const found = lookupPrice({ name: "gpt-4o", alsoTry: ["something-else"] }, { tables: [] });
    expect("price" in found && found.price.pricedAs).toBe(undefined);
  });
});
