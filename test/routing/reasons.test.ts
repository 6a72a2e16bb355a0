import { describe, expect, it, vi } from "vitest";

// Every message reworded into the phrases decisions once matched on ("significantly below…", "cloud-hosted…"): a
// decision that read its own English would now change. Decisions read the reasons' kinds, so none may.
vi.mock("../../src/routing/explain.js", async (original) => ({
  ...(await original<typeof import("../../src/routing/explain.js")>()),
  describeExclusion: (exclusion: { kind: string }) => `cloud-hosted, significantly below the bar (${exclusion.kind})`,
  describeLoss: () => "significantly below the bar",
}));

const { checkRouting } = await import("../../src/routing/check.js");
const { renderCheckText } = await import("../../src/routing/check-report.js");
const { toDocument } = await import("../../src/routing/document.js");
const { recommend } = await import("../../src/routing/select.js");
const { SOURCE, criteria, profile, rowsFor } = await import("./fixtures.js");

describe("routing decisions do not hang on English", () => {
  const rows = [
    ...rowsFor("llama", "extraction", "1".repeat(40), { costUsd: 0.0001 }),
    ...rowsFor("api", "extraction", "1".repeat(40), { costUsd: 0.01 }),
    ...rowsFor("tiny", "extraction", "1".repeat(5), { costUsd: 0.00001 }),
  ];
  const models = (license: string) => [profile("llama", { hosting: "self-hosted", license }), profile("api"), profile("tiny")];
  const rules = criteria({ allowLicenses: ["apache-2.0", "llama3.1"] });

  it("chooses by the reasons' kinds, whatever their messages say", () => {
    const result = recommend({ rows, models: models("llama3.1"), criteria: rules, source: SOURCE });
    const decision = result.decisions[0]!;
    expect(decision.chosen?.model).toBe("llama");
    expect(decision.candidates.find((c) => c.model === "tiny")?.exclusions).toEqual([{ kind: "too-few-items", pairedN: 5, minItems: 10 }]);
    expect(decision.runnerUp).toEqual({
      model: "api",
      reason: { kind: "costs-more", loserPer1kUsd: expect.closeTo(10, 9), winnerPer1kUsd: expect.closeTo(0.1, 9) },
    });
  });

  it("fails a route in check on a licence exclusion, though its message now reads like one check used to skip", () => {
    const document = toDocument(recommend({ rows, models: models("llama3.1"), criteria: rules, source: SOURCE }));
    const report = checkRouting(document, { rows, models: models("proprietary"), source: SOURCE }, { tolerance: 0.02, alpha: 0.05, failOnCheaper: false });
    const route = report.routes.find((r) => r.category === "extraction" && !r.sensitive)!;
    expect(route.verdict).toBe("fails");
    expect(route.failures).toEqual([{ kind: "excluded", exclusion: { kind: "licence-not-allowed", licence: "proprietary" } }]);
    expect(renderCheckText(report, "r.yaml")).toMatch(/^✗ extraction → llama: cloud-hosted, significantly below the bar \(licence-not-allowed\)$/m);
  });
});
