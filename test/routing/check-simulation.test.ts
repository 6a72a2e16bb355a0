/**
 * check against results with known truths (test/routing/simulation.ts): models whose true accuracy per category is
 * set, answers re-drawn from it as a nondeterministic model or a re-run would. Seeded, so every count below is
 * deterministic; the bounds say why they would hold for any seed too.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { checkRouting, type CheckOptions, type CheckReport } from "../../src/routing/check.js";
import { renderCheckText } from "../../src/routing/check-report.js";
import { toDocument, type RoutingDocument } from "../../src/routing/document.js";
import { recommend } from "../../src/routing/select.js";
import { SOURCE, criteria, profile } from "./fixtures.js";
import { simulatedRows, type SimulatedModel } from "./simulation.js";

const ITEMS = 400;
const DEFAULTS: CheckOptions = { tolerance: 0.02, alpha: 0.05, failOnCheaper: false };
const TOKENS = { inputTokens: 900, outputTokens: 100 };

// Ten categories, where the committed table is right in truth: "cheap" is clearly better than "best" (by 0.05 or
// more) in four of them and clearly worse (by 0.10 or more) in the others; "local", self-hosted, takes sensitive data
// and is clearly worse than both everywhere else.
const BEST: SimulatedModel = { id: "best", costUsd: 0.01, accuracy: [0.85, 0.85, 0.8, 0.8, 0.75, 0.9, 0.7, 0.85, 0.8, 0.65], ...TOKENS };
const CHEAP: SimulatedModel = { id: "cheap", costUsd: 0.001, accuracy: [0.7, 0.9, 0.65, 0.86, 0.6, 0.95, 0.55, 0.7, 0.85, 0.5], ...TOKENS };
const LOCAL: SimulatedModel = { id: "local", costUsd: 0.0005, accuracy: Array(10).fill(0.5), ...TOKENS };
const PROFILES = [profile("best"), profile("cheap"), profile("local", { hosting: "self-hosted" })];

let committed: RoutingDocument;

/** The routing table recommend makes from draw 0 of `models`. */
function commit(models: SimulatedModel[], items = ITEMS): RoutingDocument {
  const rows = simulatedRows(models, items, 0);
  return toDocument(recommend({ rows, models: PROFILES, criteria: criteria({ tokensPerDay: 10_000_000 }), source: SOURCE }));
}

beforeAll(() => {
  committed = commit([BEST, CHEAP, LOCAL]);
});

function check(models: SimulatedModel[], draw: number, options: CheckOptions = DEFAULTS, document = committed, items = ITEMS): CheckReport {
  return checkRouting(document, { rows: simulatedRows(models, items, draw), models: PROFILES, source: SOURCE }, options);
}

/** The categories the committed table routes to `model`. */
function routedTo(model: string): string[] {
  return Object.entries(committed.routes)
    .filter(([, route]) => route?.id === model)
    .map(([category]) => category);
}

describe("check on re-drawn answers of models that did not change", () => {
  it("the table is right in truth: cheap on the four categories where it is better, best on the six others, local for sensitive data", () => {
    expect(routedTo("cheap")).toEqual(["task1", "task3", "task5", "task8"]);
    expect(routedTo("best")).toEqual(["task0", "task2", "task4", "task6", "task7", "task9"]);
    expect(Object.values(committed.sensitiveRoutes).map((r) => r?.id)).toEqual(Array(10).fill("local"));
  });

  it("fails at most 6 of 40 re-draws of a 20-route table (Holm: at most α = 0.05 family-wise per run), and warns as rarely", () => {
    // Each run fails with probability at most α whatever the number of routes, so the failing runs out of 40 are at
    // most Binomial(40, 0.05): P(≥ 7) < 0.004. The seeds are fixed, so this exact count never changes between runs.
    let failing = 0;
    let warning = 0;
    let comparisons = 0;
    for (let draw = 1; draw <= 40; draw++) {
      const report = check([BEST, CHEAP, LOCAL], draw);
      comparisons = report.comparisons;
      if (!report.ok) failing++;
      if (report.routes.some((r) => r.verdict === "warns")) warning++;
    }
    expect(comparisons).toBeGreaterThanOrEqual(20); // 20 regressions, and the alternatives where the route is not the best now
    expect(failing).toBeLessThanOrEqual(6);
    expect(warning).toBeLessThanOrEqual(6);
    expect(failing).toBe(0); // the figure docs/routing.md quotes for these seeds
  });

  it("even with no tolerance at all, Holm holds the line where testing each comparison at α alone fails more than a run in three", () => {
    // --tolerance 0: every comparison is an exact McNemar test of "no change" at all. Unadjusted, 20-odd tests at 0.05
    // each fail a good share of runs; Holm keeps the family-wise rate at α, so again at most 6 of 40.
    let holm = 0;
    let unadjusted = 0;
    for (let draw = 1; draw <= 40; draw++) {
      const report = check([BEST, CHEAP, LOCAL], draw, { ...DEFAULTS, tolerance: 0 });
      const comparisons = report.routes.flatMap((r) => [r.regression, r.alternative]).filter((c) => c !== null);
      expect(comparisons.every((c) => c.adjustedP! >= c.pValue)).toBe(true);
      if (comparisons.some((c) => c.pValue <= 0.05)) unadjusted++;
      if (!report.ok) holm++;
    }
    expect(holm).toBeLessThanOrEqual(6);
    expect(unadjusted).toBeGreaterThan(12);
  });
});

describe("check when a routed model got worse", () => {
  it("a 0.15 fall of the routed model fails every time, naming each of its routes, however close a cheaper model now is", () => {
    const worse: SimulatedModel = { ...BEST, accuracy: BEST.accuracy.map((a) => a - 0.15) };
    for (let draw = 1; draw <= 10; draw++) {
      const report = check([worse, CHEAP, LOCAL], draw);
      expect(report.ok).toBe(false);
      const failing = report.routes.filter((r) => r.verdict === "fails");
      expect(failing.map((r) => `${r.category} → ${r.model}`)).toEqual(routedTo("best").map((c) => `${c} → best`));
      for (const route of failing)
        expect(route.failures[0]).toMatchObject({ kind: "quality-fell", comparison: { design: "paired", test: "exact-mcnemar", n: ITEMS } });
      const text = renderCheckText(report, "routing.yaml");
      for (const category of routedTo("best")) {
        expect(text).toMatch(
          new RegExp(
            `^✗ ${category} → best: quality fell \\d\\.\\d{3} → \\d\\.\\d{3} \\(−0\\.\\d{3} \\[−0\\.\\d\\d, −0\\.\\d\\d\\], paired on 400 items\\)$`,
            "m",
          ),
        );
      }
    }
  });

  it("the issue's case: the routed model fell to the level of the cheaper one, which only the committed evidence shows", () => {
    // task0: best 0.85 → 0.70, cheap 0.70. Measured now, best is within the rule of the best model (itself or cheap).
    const fell: SimulatedModel = { ...BEST, accuracy: [0.7, ...BEST.accuracy.slice(1)] };
    const report = check([fell, CHEAP, LOCAL], 1);
    const task0 = report.routes.find((r) => r.category === "task0" && !r.sensitive)!;
    expect(task0.alternative === null || task0.failures.every((f) => f.kind !== "below-best")).toBe(true);
    expect(task0.verdict).toBe("fails");
    expect(task0.failures.map((f) => f.kind)).toEqual(["quality-fell"]);
    expect(report.routes.filter((r) => r.verdict === "fails")).toHaveLength(1);
  });
});

describe("check when a cheaper model became as good", () => {
  // One category of 3,000 items (telling "as good" from "0.02 worse" takes thousands of items at these accuracies):
  // best 0.85 holds the route, cheap 0.60 cannot; then cheap becomes 0.86 — as good as best, within the rule's margin
  // of it, and not so far above it that best would fall out of the rule.
  const items = 3000;
  const best: SimulatedModel = { ...BEST, accuracy: [0.85] };
  const cheap: SimulatedModel = { ...CHEAP, accuracy: [0.6] };
  const asGood: SimulatedModel = { ...cheap, accuracy: [0.86] };
  const local: SimulatedModel = { ...LOCAL, accuracy: [0.5] };

  it("warns by default, with the saving at the table's volume, and fails with --fail-on-cheaper", () => {
    const document = commit([best, cheap, local], items);
    expect(document.routes.task0?.id).toBe("best");
    for (let draw = 1; draw <= 10; draw++) {
      const report = check([best, asGood, local], draw, DEFAULTS, document, items);
      expect(report.ok, renderCheckText(report, "routing.yaml")).toBe(true);
      const task0 = report.routes.find((r) => r.category === "task0" && !r.sensitive)!;
      expect(task0.verdict).toBe("warns");
      expect(task0.warnings).toEqual([
        expect.objectContaining({
          kind: "cheaper-qualifies",
          model: "cheap",
          tokensPerDay: 10_000_000,
          comparison: expect.objectContaining({ direction: "not-below" }),
        }),
      ]);
      // All of 10m tokens/day at $1 instead of $10 per 1,000 requests of 1,000 tokens.
      const saving = task0.warnings[0]!.kind === "cheaper-qualifies" ? task0.warnings[0]!.monthlySavingUsd! : 0;
      expect(saving).toBeCloseTo(10_000_000 * (1e-5 - 1e-6) * (730 / 24), 2);
      expect(renderCheckText(report, "routing.yaml")).toMatch(
        /^! task0 → best: quality .*\n {4}warning: cheap now qualifies and costs less: \$10\.00 → \$1\.0+ per 1k requests, \$2,738 a month less at 10,000,000 tokens\/day; run check --update to take it$/m,
      );

      const strict = check([best, asGood, local], draw, { ...DEFAULTS, failOnCheaper: true }, document, items);
      expect(strict.ok).toBe(false);
      expect(strict.routes.filter((r) => r.verdict === "fails").map((r) => r.category)).toEqual(["task0"]);
      expect(strict.routes[0]!.failures.map((f) => f.kind)).toEqual(["cheaper-qualifies"]);
      expect(strict.family.cheaper).toBe(1);
    }
  });
});
