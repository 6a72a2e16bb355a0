import { describe, expect, it } from "vitest";
import type { SelfHostedOption } from "../../src/cost/project.js";
import { describeExclusion, describeLoss } from "../../src/routing/explain.js";
import { recommend } from "../../src/routing/select.js";
import { SOURCE, criteria, profile, rowsFor } from "./fixtures.js";

function bits(n: number, wrongAt: number[]): string {
  return Array.from({ length: n }, (_, i) => (wrongAt.includes(i) ? "0" : "1")).join("");
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

describe("recommend: non-inferiority", () => {
  it("refuses a cheap model on a small, noisy sample: its interval reaches the bar only at the top end", () => {
    // 10 items: budget is right on 5 where premium is right on 8 (−0.2, interval about [−0.5, +0.1]). The old
    // rule (upper end ≥ −margin) let it win the route; non-inferiority needs the lower end ≥ −0.02.
    const premium = rowsFor("premium", "extraction", "1111111100", { costUsd: 0.01 });
    const budget = rowsFor("budget", "extraction", "1110110010", { costUsd: 0.001 });
    const result = recommend({ rows: [...premium, ...budget], models: [], criteria: criteria({ within: 0.02 }), source: SOURCE });
    const decision = result.decisions[0]!;
    const loser = decision.candidates.find((c) => c.model === "budget")!;
    expect(loser.vsBar.high).toBeGreaterThanOrEqual(0); // qualified under the old rule
    expect(loser.vsBar.low).toBeLessThan(-0.2);
    expect(loser.qualifies).toBe(false);
    expect(loser.exclusions).toEqual([{ kind: "below-bar", bar: "within", diff: loser.vsBar.diff, low: loser.vsBar.low, high: loser.vsBar.high, pairedN: 10 }]);
    expect(decision.chosen?.model).toBe("premium");
    expect(describeLoss(decision.runnerUp!.reason)).toMatch(/^lower end below the bar: −0\.180 \[−0\.[0-9]{3}, \+0\.[0-9]{3}\] over 10 paired items$/);
  });

  it("lets a cheap model win when, with 95 % confidence, it is at most --within below the best", () => {
    // 400 paired items, the two disagree on 2: budget is 0.005 below premium, interval about [−0.0125, 0].
    const premium = rowsFor("premium", "extraction", bits(400, range(380, 400)), { costUsd: 0.01 });
    const budget = rowsFor("budget", "extraction", bits(400, [0, 1, ...range(380, 400)]), { costUsd: 0.001 });
    const result = recommend({ rows: [...premium, ...budget], models: [], criteria: criteria({ within: 0.02 }), source: SOURCE });
    const decision = result.decisions[0]!;
    expect(decision.bar).toMatchObject({ kind: "within", reference: "premium" });
    expect(decision.chosen?.model).toBe("budget");
    expect(decision.chosen?.vsBar.pairedN).toBe(400);
    expect(decision.chosen?.vsBar.diff).toBeCloseTo(-0.005 + 0.02, 10);
    expect(decision.chosen?.vsBar.low).toBeGreaterThanOrEqual(0);
    expect(describeLoss(decision.runnerUp!.reason)).toBe("costs more: $10.00 vs $1.00 per 1k requests");
  });

  it("chooses the best model when no other model is non-inferior to it: it qualifies against itself, [0, 0]", () => {
    const premium = rowsFor("premium", "reasoning", bits(40, [38, 39]), { costUsd: 0.01 });
    const budget = rowsFor("budget", "reasoning", bits(40, range(0, 20)), { costUsd: 0.001 });
    for (const within of [0, 0.02]) {
      const result = recommend({ rows: [...premium, ...budget], models: [], criteria: criteria({ within }), source: SOURCE });
      const decision = result.decisions[0]!;
      expect(decision.chosen?.model).toBe("premium");
      expect(decision.chosen?.vsBar).toEqual({ reference: "premium", pairedN: 40, diff: within, low: within, high: within });
      expect(decision.runnerUp?.model).toBe("budget");
      expect(describeLoss(decision.runnerUp!.reason)).toMatch(/^lower end below the bar: −0\.4[0-9]{2} \[−0\.[0-9]{3}, −0\.[0-9]{3}\] over 40 paired items$/);
    }
  });

  it("applies --min-quality to the lower end of the model's own interval", () => {
    const sure = rowsFor("sure", "chat", bits(100, range(0, 5)), { costUsd: 0.002 }); // 0.95, Wilson [0.888, 0.978]
    const unsure = rowsFor("unsure", "chat", bits(20, [0, 1, 2]), { costUsd: 0.0001 }); // 0.85, Wilson [0.640, 0.948]
    const result = recommend({ rows: [...sure, ...unsure], models: [], criteria: criteria({ minQuality: 0.8 }), source: SOURCE });
    const decision = result.decisions[0]!;
    expect(decision.bar).toEqual({ kind: "min-quality", value: 0.8, reference: null, level: 0.8 });
    expect(decision.chosen?.model).toBe("sure");
    expect(decision.chosen?.vsBar.low).toBeCloseTo(decision.chosen!.ciLow - 0.8, 12);
    const loser = decision.candidates.find((c) => c.model === "unsure")!;
    expect(loser.mean).toBeGreaterThan(0.8); // its mean clears the bar, its lower end does not
    expect(loser.ciLow).toBeLessThan(0.8);
    expect(loser.qualifies).toBe(false);
    expect(loser.exclusions[0]).toMatchObject({ kind: "below-bar", pairedN: 20 });
  });

  it("refuses a model with fewer paired items than --min-items, as data", () => {
    const big = rowsFor("big", "x", bits(30, []), { costUsd: 0.01 });
    const tiny = rowsFor("tiny", "x", "11111", { costUsd: 0.0001 });
    const result = recommend({ rows: [...big, ...tiny], models: [], criteria: criteria(), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("big");
    const exclusions = result.decisions[0]!.candidates.find((c) => c.model === "tiny")!.exclusions;
    expect(exclusions).toEqual([{ kind: "too-few-items", pairedN: 5, minItems: 10 }]);
    expect(describeExclusion(exclusions[0]!)).toBe("only 5 paired item(s), fewer than --min-items 10");
  });

  it("gives the same answer every time (seeded bootstrap)", () => {
    const rows = [...rowsFor("a", "c", bits(25, [1, 7, 9]), { costUsd: 0.003 }), ...rowsFor("b", "c", bits(25, [2, 3, 4, 5, 11]), { costUsd: 0.001 })];
    const run = () => recommend({ rows, models: [], criteria: criteria({ folds: 5 }), source: SOURCE });
    expect(run().decisions[0]!.candidates).toEqual(run().decisions[0]!.candidates);
    expect(run().evaluation).toEqual(run().evaluation);
  });
});

describe("recommend: ties and costs", () => {
  it("breaks a cost tie on p95 latency", () => {
    const slow = rowsFor("slow", "c", bits(20, []), { costUsd: 0.001, latencyMs: 900 });
    const fast = rowsFor("fast", "c", bits(20, []), { costUsd: 0.001, latencyMs: 200 });
    const result = recommend({ rows: [...slow, ...fast], models: [], criteria: criteria(), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("fast");
    expect(result.decisions[0]!.runnerUp).toEqual({ model: "slow", reason: { kind: "slower", loserP95Ms: 900, winnerP95Ms: 200 } });
    expect(describeLoss(result.decisions[0]!.runnerUp!.reason)).toBe("same cost, slower: p95 900 ms vs 200 ms");
  });

  it("computes cost per 1k requests from measured costs and the monthly bill at --tokens-per-day", () => {
    // 2,000 tokens and $0.002 per request = $1e-6 per token; 1m tokens/day split 50/50 over two categories.
    const extra = { costUsd: 0.002, inputTokens: 1500, outputTokens: 500 };
    const rows = [...rowsFor("m", "a", bits(20, []), extra), ...rowsFor("m", "b", bits(20, []), extra)];
    const over = recommend({ rows, models: [], criteria: criteria({ tokensPerDay: 1_000_000, budgetUsd: 20 }), source: SOURCE });
    const a = over.decisions[0]!;
    expect(a.chosen?.costPer1kUsd).toBeCloseTo(2, 10);
    expect(a.chosen?.costBasis).toBe("measured");
    expect(a.chosen?.costEstimated).toBe(false);
    expect(a.trafficShare).toBe(0.5);
    expect(a.monthlyUsd).toBeCloseTo(0.5 * 1_000_000 * 1e-6 * (730 / 24), 9);
    expect(over.bill?.totalUsd).toBeCloseTo(1_000_000 * 1e-6 * (730 / 24), 9); // $30.42
    expect(over.bill?.apis).toEqual([expect.objectContaining({ model: "m", categories: ["a", "b"], tokensPerDay: 1_000_000 })]);
    expect(over.withinBudget).toBe(false);
    const within = recommend({ rows, models: [], criteria: criteria({ tokensPerDay: 1_000_000, budgetUsd: 40 }), source: SOURCE });
    expect(within.withinBudget).toBe(true);
    const mixed = recommend({ rows, models: [], criteria: criteria({ tokensPerDay: 1_000_000, mix: { a: 3, b: 1 } }), source: SOURCE });
    expect(mixed.decisions[0]!.trafficShare).toBe(0.75);
  });

  it("keeps the estimate mark on costs computed from estimated tokens, even as the results' own costUsd", () => {
    const rows = rowsFor("m", "a", bits(20, []), { costUsd: 0.002, inputTokens: 1500, outputTokens: 500, tokensEstimated: true });
    const result = recommend({ rows, models: [], criteria: criteria(), source: SOURCE });
    const chosen = result.decisions[0]!.chosen!;
    expect(chosen.costPer1kUsd).toBeCloseTo(2, 10);
    expect(chosen.costEstimated).toBe(true);
    expect(chosen.costBasis).toBe("results' costUsd, from estimated tokens");
    expect(result.notes.join(" ")).toMatch(/computed from estimated token counts: they are marked ~, not measured/);
  });

  it("estimates cost as price × mean tokens when the results carry tokens but no cost", () => {
    const rows = rowsFor("m", "a", bits(20, []), { inputTokens: 1000, outputTokens: 100 });
    const result = recommend({
      rows,
      models: [profile("m", { price: { inputPerMTok: 3, outputPerMTok: 15, source: "test prices", date: "2026-11-01" } })],
      criteria: criteria(),
      source: SOURCE,
    });
    expect(result.decisions[0]!.chosen?.costBasis).toBe("price × tokens");
    expect(result.decisions[0]!.chosen?.costEstimated).toBe(true);
    expect(result.decisions[0]!.chosen?.costPer1kUsd).toBeCloseTo(((1000 * 3 + 100 * 15) / 1e6) * 1000, 10);
    expect(result.notes.join(" ")).toMatch(/estimated as price × mean tokens/);
  });

  it("ranks by price per token, and says so, when the results carry no tokens or costs", () => {
    const rows = [...rowsFor("pricey", "a", bits(20, [])), ...rowsFor("cheap", "a", bits(20, []))].map((r) => ({ ...r, latencyMs: null }));
    const result = recommend({
      rows,
      models: [
        profile("pricey", { price: { inputPerMTok: 3, outputPerMTok: 15, source: "catalog" } }),
        profile("cheap", { price: { inputPerMTok: 0.5, outputPerMTok: 1.5, source: "catalog" } }),
      ],
      criteria: criteria(),
      source: SOURCE,
    });
    const chosen = result.decisions[0]!.chosen!;
    expect(chosen.model).toBe("cheap");
    expect(chosen.costBasis).toBe("price per token only");
    expect(chosen.costPer1kUsd).toBeNull();
    expect(chosen.usdPerToken).toBeCloseTo((0.75 * 0.5 + 0.25 * 1.5) / 1e6, 15);
    expect(describeLoss(result.decisions[0]!.runnerUp!.reason)).toBe("higher price per token: $6.00 vs $0.7500 per million tokens");
    expect(result.notes.join(" ")).toMatch(/ranked by price per token/);
  });
});

describe("recommend: constraints", () => {
  it("excludes models over --max-p95-ms or with no latency measured, and takes the best eligible model as the bar", () => {
    const rows = [
      ...rowsFor("slow", "c", bits(20, []), { costUsd: 0.0001, latencyMs: 3000 }),
      ...rowsFor("unmeasured", "c", bits(20, []), { costUsd: 0.0001, latencyMs: null }),
      ...rowsFor("ok", "c", bits(20, [0, 1]), { costUsd: 0.01, latencyMs: 400 }),
    ];
    const result = recommend({ rows, models: [], criteria: criteria({ maxP95Ms: 2000 }), source: SOURCE });
    const d = result.decisions[0]!;
    expect(d.chosen?.model).toBe("ok");
    expect(d.bar.reference).toBe("ok");
    expect(d.candidates.find((c) => c.model === "slow")?.exclusions).toEqual([{ kind: "latency", p95Ms: 3000, maxP95Ms: 2000 }]);
    expect(d.candidates.find((c) => c.model === "unmeasured")?.exclusions).toEqual([{ kind: "latency-unknown", maxP95Ms: 2000 }]);
    expect(describeExclusion({ kind: "latency", p95Ms: 3000, maxP95Ms: 2000 })).toBe("p95 latency 3000 ms is above --max-p95-ms 2000");
  });

  it("applies --allow-license and the Llama licence's 700M MAU limit", () => {
    const rows = [
      ...rowsFor("llama", "c", bits(20, []), { costUsd: 0.0001 }),
      ...rowsFor("qwen", "c", bits(20, []), { costUsd: 0.0002 }),
      ...rowsFor("mystery", "c", bits(20, []), { costUsd: 0.00005 }),
      ...rowsFor("api", "c", bits(20, []), { costUsd: 0.01 }),
    ];
    const models = [
      profile("llama", { hosting: "self-hosted", license: "llama3.1" }),
      profile("qwen", { hosting: "self-hosted", license: "apache-2.0" }),
      profile("mystery", { hosting: "self-hosted" }),
      profile("api"),
    ];
    const allow = recommend({ rows, models, criteria: criteria({ allowLicenses: ["Apache-2.0", "llama3.1"] }), source: SOURCE });
    expect(allow.decisions[0]!.chosen?.model).toBe("llama");
    expect(allow.decisions[0]!.candidates.find((c) => c.model === "mystery")?.exclusions).toEqual([{ kind: "licence-unknown" }]);
    const big = recommend({ rows, models, criteria: criteria({ allowLicenses: ["apache-2.0", "llama3.1"], orgMau: 800_000_000 }), source: SOURCE });
    expect(big.decisions[0]!.chosen?.model).toBe("qwen");
    const mau = big.decisions[0]!.candidates.find((c) => c.model === "llama")!.exclusions[0]!;
    expect(mau).toEqual({ kind: "licence-mau", licence: "llama3.1", orgMau: 800_000_000 });
    expect(describeExclusion(mau)).toMatch(/700M monthly active users/);
    const small = recommend({ rows, models, criteria: criteria({ allowLicenses: ["apache-2.0", "llama3.1"], orgMau: 5_000_000 }), source: SOURCE });
    expect(small.decisions[0]!.chosen?.model).toBe("llama");
  });

  it("keeps the best model for --human-review categories and marks them", () => {
    const best = rowsFor("best", "legal", bits(400, [399]), { costUsd: 0.02 });
    const cheap = rowsFor("cheap", "legal", bits(400, [0, 399]), { costUsd: 0.001 });
    const plain = recommend({ rows: [...best, ...cheap], models: [], criteria: criteria(), source: SOURCE });
    expect(plain.decisions[0]!.chosen?.model).toBe("cheap");
    const reviewed = recommend({ rows: [...best, ...cheap], models: [], criteria: criteria({ humanReview: ["legal"] }), source: SOURCE });
    expect(reviewed.decisions[0]!.chosen?.model).toBe("best");
    expect(reviewed.decisions[0]!.humanReview).toBe(true);
    expect(describeLoss(reviewed.decisions[0]!.runnerUp!.reason)).toMatch(/human-review categories keep the best model/);
  });

  it("still reports a constraint-excluded candidate's paired interval and full reasons when something reads them", () => {
    const rows = [...rowsFor("fast", "c", bits(40, []), { latencyMs: 100 }), ...rowsFor("slow", "c", bits(40, range(0, 20)), { latencyMs: 5000 })];
    const result = recommend({ rows, models: [], criteria: criteria({ maxP95Ms: 1000 }), source: SOURCE });
    const slow = result.decisions[0]!.candidates.find((c) => c.model === "slow")!;
    expect(slow.qualifies).toBe(false);
    expect(slow.vsBar).toMatchObject({ reference: "fast", pairedN: 40 });
    expect(slow.vsBar.diff).toBeCloseTo(-0.5 + 0.02, 12); // model − (best − within)
    expect(slow.exclusions.map((e) => e.kind)).toEqual(["latency", "below-bar"]);
    expect(result.decisions[0]!.runnerUp?.reason).toEqual({ kind: "excluded", exclusions: slow.exclusions });
  });
});

describe("recommend: sensitive data, per category", () => {
  const models = [
    profile("cloud", { price: { inputPerMTok: 1, outputPerMTok: 1, source: "test" } }),
    profile("local-a", { hosting: "self-hosted" }),
    profile("local-b", { hosting: "self-hosted" }),
  ];

  it("routes a category's ordinary traffic on all its items, though one of them is sensitive", () => {
    // The issue's case: 10 items, 1 sensitive (the cloud model never saw it). The cloud model is right on all 9 it
    // saw; the self-hosted one on 7 of 10. Once, the whole category went self-hosted.
    const rows = [...rowsFor("cloud", "contracts", "s111111111", { inputTokens: 100, outputTokens: 10 }), ...rowsFor("local-a", "contracts", "1110111011")];
    const result = recommend({ rows, models, criteria: criteria({ minItems: 5 }), source: SOURCE });
    const route = result.decisions[0]!;
    expect(route.sensitiveItems).toBe(1);
    expect(route.chosen?.model).toBe("cloud");
    expect(route.chosen?.n).toBe(9);
    expect(route.trafficShare).toBeCloseTo(0.9, 12);
    const sensitive = result.sensitiveDecisions[0]!;
    expect(sensitive.chosen?.model).toBe("local-a");
    expect(sensitive.chosen?.n).toBe(10); // self-hosted models are scored on every item, the sensitive one included
    expect(sensitive.trafficShare).toBeCloseTo(0.1, 12);
    expect(sensitive.vsRoute).toMatchObject({ model: "cloud", pairedN: 9, large: true });
    expect(sensitive.vsRoute!.diff).toBeCloseTo(7 / 9 - 1, 12); // on the 9 items both answered
  });

  it("gives every category its own sensitive route: the cheapest self-hosted model non-inferior to the best self-hosted one", () => {
    const rows = [
      ...rowsFor("cloud", "easy", bits(200, [])),
      ...rowsFor("local-a", "easy", bits(200, [0]), { latencyMs: 50 }),
      ...rowsFor("local-b", "easy", bits(200, []), { latencyMs: 80 }),
      ...rowsFor("cloud", "hard", bits(200, [])),
      ...rowsFor("local-a", "hard", bits(200, range(0, 100)), { latencyMs: 50 }),
      ...rowsFor("local-b", "hard", bits(200, range(0, 20)), { latencyMs: 80 }),
    ];
    const result = recommend({ rows, models, criteria: criteria(), source: SOURCE });
    expect(result.decisions.map((d) => d.chosen?.model)).toEqual(["cloud", "cloud"]);
    const [easy, hard] = result.sensitiveDecisions;
    expect(easy!.chosen?.model).toBe("local-a"); // non-inferior to local-b and faster (both unpriced)
    expect(easy!.bar).toMatchObject({ kind: "within", reference: "local-b" });
    expect(easy!.vsRoute).toMatchObject({ model: "cloud", large: false });
    expect(hard!.chosen?.model).toBe("local-b"); // local-a is far below the best self-hosted model
    expect(hard!.vsRoute).toMatchObject({ model: "cloud", pairedN: 200, large: false });
    expect(hard!.vsRoute!.diff).toBeCloseTo(-0.1, 12);
    expect(hard!.candidates.find((c) => c.model === "cloud")?.exclusions).toEqual([{ kind: "cloud-hosted-sensitive" }]);
  });

  it("never leaves sensitive data without a route because a cloud model is better; it warns when the gap is large", () => {
    const rows = [...rowsFor("cloud", "chat", bits(100, [])), ...rowsFor("local-a", "chat", bits(100, range(0, 50)))];
    const result = recommend({ rows, models, criteria: criteria(), source: SOURCE });
    const sensitive = result.sensitiveDecisions[0]!;
    expect(sensitive.chosen?.model).toBe("local-a");
    expect(sensitive.vsRoute).toMatchObject({ model: "cloud", diff: -0.5, pairedN: 100, large: true });
    expect(result.notes.join("\n")).toMatch(
      /Sensitive data gets markedly worse answers \(more than 0\.1 below the category's route\) in: chat local-a −0\.500 vs cloud/,
    );
  });

  it("has no sensitive route, with the reason as data, where no self-hosted model reaches --sensitive-min-quality", () => {
    const rows = [
      ...rowsFor("cloud", "good", bits(100, [])),
      ...rowsFor("local-a", "good", bits(100, range(0, 3))),
      ...rowsFor("cloud", "bad", bits(100, [])),
      ...rowsFor("local-a", "bad", bits(100, range(0, 50))),
    ];
    const result = recommend({ rows, models, criteria: criteria({ sensitiveMinQuality: 0.8 }), source: SOURCE });
    const [bad, good] = result.sensitiveDecisions;
    expect(good!.chosen?.model).toBe("local-a");
    expect(bad!.chosen).toBeNull();
    expect(bad!.noRoute).toEqual({
      kind: "none-qualifies",
      candidates: expect.arrayContaining([
        { model: "local-a", exclusions: [{ kind: "below-sensitive-min-quality", low: expect.closeTo(0.404, 3), minQuality: 0.8 }] },
      ]),
    });
    expect(result.notes.join("\n")).toMatch(/No sensitive route for bad: routeRequest\(category, true\) throws/);
  });

  it("leaves a sensitive route null only when no self-hosted model reaches --sensitive-min-quality", () => {
    // local-a is best on its point estimate but answered only 12 items (the rest errored): 11/12, Wilson lower end
    // 0.65, below 0.8. local-b answered all 400: 0.9, lower end 0.87. On the 12 shared items the two cannot be told
    // apart, so local-b is not shown non-inferior to local-a — but local-b reaches the floor, so it takes the route.
    const rows = [
      ...rowsFor("cloud", "contracts", bits(400, [])),
      ...rowsFor("local-a", "contracts", `${bits(12, [11])}${"e".repeat(388)}`),
      ...rowsFor("local-b", "contracts", bits(400, [0, ...range(100, 139)])),
    ];
    const result = recommend({ rows, models, criteria: criteria({ sensitiveMinQuality: 0.8 }), source: SOURCE });
    const sensitive = result.sensitiveDecisions[0]!;
    expect(sensitive.chosen?.model).toBe("local-b");
    expect(sensitive.candidates.find((c) => c.model === "local-a")?.exclusions).toContainEqual(
      expect.objectContaining({ kind: "below-sensitive-min-quality", minQuality: 0.8 }),
    );
  });

  it("routes ALL traffic of a declared-sensitive category (--sensitive) to its self-hosted sensitive route", () => {
    const rows = [...rowsFor("cloud", "pii", bits(40, [])), ...rowsFor("local-a", "pii", bits(40, range(0, 4)))];
    const result = recommend({ rows, models, criteria: criteria({ sensitiveCategories: ["pii"] }), source: SOURCE });
    const route = result.decisions[0]!;
    expect(route.declaredSensitive).toBe(true);
    expect(route.chosen?.model).toBe("local-a");
    expect(route.candidates.find((c) => c.model === "cloud")?.exclusions).toEqual([{ kind: "cloud-hosted-sensitive" }]);
    expect(result.sensitiveDecisions[0]!.chosen?.model).toBe("local-a");
    expect(result.sensitiveDecisions[0]!.vsRoute).toBeNull();
  });

  it("has no sensitive route where no self-hosted model was evaluated, rather than a cloud fallback", () => {
    const rows = rowsFor("stranger", "pii", bits(20, []));
    const result = recommend({ rows, models: [], criteria: criteria({ sensitiveCategories: ["pii"] }), source: SOURCE });
    expect(result.decisions[0]!.chosen).toBeNull();
    expect(result.decisions[0]!.noRoute).toEqual({ kind: "no-self-hosted" });
    expect(result.sensitiveDecisions[0]!.chosen).toBeNull();
  });
});

describe("recommend: baselines on the same items", () => {
  it("compares the table with the best single model and the per-item oracle", () => {
    const rows = [
      ...rowsFor("big", "A", "1111", { costUsd: 0.01 }),
      ...rowsFor("big", "B", "1111", { costUsd: 0.01 }),
      ...rowsFor("small", "A", "1111", { costUsd: 0.001 }),
      ...rowsFor("small", "B", "0000", { costUsd: 0.001 }),
      ...rowsFor("mid", "A", "1110", { costUsd: 0.005 }),
      ...rowsFor("mid", "B", "1101", { costUsd: 0.005 }),
    ];
    // Wilson lower ends: 4/4 → 0.51, 3/4 → 0.30, 0/4 → 0.
    const result = recommend({ rows, models: [], criteria: criteria({ minItems: 2, minQuality: 0.25 }), source: SOURCE });
    expect(result.decisions.map((d) => [d.category, d.chosen?.model])).toEqual([
      ["A", "small"],
      ["B", "mid"],
    ]);
    const b = result.evaluation.inSample;
    expect(b.n).toBe(8);
    expect(b.table.quality).toBeCloseTo(7 / 8, 12);
    expect(b.table.costPer1kUsd).toBeCloseTo(((4 * 0.001 + 4 * 0.005) / 8) * 1000, 12);
    expect(b.bestSingle.model).toBe("big");
    expect(b.bestSingle.quality).toBe(1);
    expect(b.bestSingle.costPer1kUsd).toBeCloseTo(10, 12);
    // Oracle: small on A's four items; mid on b0, b1, b3; only big got b2 right.
    expect(b.oracle.quality).toBe(1);
    expect(b.oracle.costPer1kUsd).toBeCloseTo(((4 * 0.001 + 3 * 0.005 + 0.01) / 8) * 1000, 12);
    expect(result.evaluation.crossValidated).toBeNull(); // no --folds or --holdout in these criteria
  });

  it("costs an answer that has no cost of its own (an empty reply: no tokens, no costUsd) at its model's mean in the category", () => {
    // The built-in default's gemini-1.5-pro has a dozen such rows among 12,000: they made the table's cost "unknown".
    const rows = [
      ...rowsFor("big", "A", "1111", { costUsd: 0.01 }),
      ...rowsFor("small", "A", "1111", { costUsd: 0.001 }).map((r) => (r.itemId === "A-3" ? { ...r, score: 0, passed: false, costUsd: null } : r)),
    ];
    const result = recommend({ rows, models: [], criteria: criteria({ minItems: 2, minQuality: 0.25 }), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("small");
    expect(result.decisions[0]!.chosen?.costPer1kUsd).toBeCloseTo(1, 12);
    const b = result.evaluation.inSample;
    expect(b.table.costPer1kUsd).toBeCloseTo(1, 12);
    expect(b.bestSingle.costPer1kUsd).toBeCloseTo(10, 12);
    // Not invented where nothing is known: a model with no cost, tokens or price at all stays unknown.
    const unknown = recommend({
      rows: [...rowsFor("big", "A", "0000", { costUsd: 0.01 }), ...rowsFor("stranger", "A", "1111")],
      models: [],
      criteria: criteria({ minItems: 2 }),
      source: SOURCE,
    });
    expect(unknown.decisions[0]!.chosen?.model).toBe("stranger");
    expect(unknown.evaluation.inSample.table.costPer1kUsd).toBeNull();
  });
});

describe("recommend: self-hosted fleets", () => {
  // One GPU at $2/h per replica, 1,000 tokens/s, 50 % utilisation at peak ×2: a replica carries
  // 1,000 × 86,400 × 0.5 / 2 = 21.6m tokens/day and costs 2 × 730 = $1,460 a month.
  const fleet: SelfHostedOption = {
    id: "local",
    gpu: { name: "h100", hourlyUsd: 2, source: "test GPU price", date: "2026-11-01" },
    gpusPerReplica: 1,
    throughput: { counts: "total", tokensPerSecond: 1000, source: "test throughput", date: "2026-10-01" },
    utilization: 0.5,
    minReplicas: 1,
    opsMonthlyUsd: 0,
  };
  const tokens = { inputTokens: 800, outputTokens: 200 }; // 1,000 tokens per request
  const models = [profile("local", { hosting: "self-hosted", fleet }), profile("api")];

  it("ranks a fleet as if it served its category's share, and the API wins where that share is too small to fill it", () => {
    // 100m tokens/day split 50/50: 50m per category → ⌈50 / 21.6⌉ = 3 replicas = $4,380/month for 50m × 730/24
    // = 1,520.8m tokens → $2.88 per million → $2.88 per 1k requests of 1,000 tokens, above the API's $2.50.
    const rows = [
      ...rowsFor("local", "a", bits(40, []), tokens),
      ...rowsFor("api", "a", bits(40, []), { ...tokens, costUsd: 0.0025 }),
      ...rowsFor("local", "b", bits(40, []), tokens),
    ];
    const result = recommend({ rows, models, criteria: criteria({ tokensPerDay: 100_000_000, mix: { a: 1, b: 1 } }), source: SOURCE });
    const [a, b] = result.decisions;
    expect(a!.chosen?.model).toBe("api");
    const local = a!.candidates.find((c) => c.model === "local")!;
    expect(local.costPer1kUsd).toBeCloseTo(2.88, 10);
    expect(local.costBasis).toMatch(
      /^self-hosted fleet: 3× h100 \(3 replicas of 1\) for 50m tokens\/day, its 50% share of 100m tokens\/day, utilisation target 50%/,
    );
    expect(local.costBasis).toMatch(/GPU \$2\/h from test GPU price \(2026-11-01\); throughput from test throughput \(2026-10-01\)$/);
    expect(a!.runnerUp).toEqual({ model: "local", reason: { kind: "costs-more", loserPer1kUsd: local.costPer1kUsd, winnerPer1kUsd: expect.closeTo(2.5, 12) } });
    expect(b!.chosen?.model).toBe("local");
    // The bill: the fleet serves b's 50m and, on standby capacity, the sensitive data of a and b: one fleet of 3.
    expect(result.bill?.fleets).toEqual([
      expect.objectContaining({
        model: "local",
        replicas: 3,
        gpus: 3,
        monthlyUsd: 4380,
        tokensPerDay: 50_000_000,
        categories: ["b"],
        sensitiveCategories: ["a", "b"],
        standby: false,
      }),
    ]);
    expect(result.bill?.totalUsd).toBeCloseTo(4380 + 50e6 * (730 / 24) * 2.5e-6, 6);
    expect(result.evaluation.inSample.table.costPer1kUsd).not.toBeNull();
  });

  it("sizes a fleet once for every route on it: two categories on one replica are paid once, not twice", () => {
    // 10m tokens/day: extraction's ordinary traffic (5m) and redaction, declared sensitive (5m), both on `local`.
    // Per category each would need a replica of its own ($1,460 each); together they fit on one.
    const rows = [
      ...rowsFor("local", "extraction", bits(40, []), tokens),
      ...rowsFor("api", "extraction", bits(40, []), { ...tokens, costUsd: 0.01 }),
      ...rowsFor("local", "redaction", bits(40, []), tokens),
    ];
    const result = recommend({ rows, models, criteria: criteria({ tokensPerDay: 10_000_000, sensitiveCategories: ["redaction"] }), source: SOURCE });
    expect(result.decisions.map((d) => d.chosen?.model)).toEqual(["local", "local"]);
    expect(result.decisions[0]!.chosen?.costBasis).toMatch(/1 replica of 1\) for 5m tokens\/day/);
    expect(result.bill?.fleets).toEqual([
      expect.objectContaining({
        model: "local",
        replicas: 1,
        monthlyUsd: 1460,
        tokensPerDay: 10_000_000,
        categories: ["extraction"],
        sensitiveCategories: ["extraction", "redaction"],
      }),
    ]);
    expect(result.bill!.fleets[0]!.utilisation).toBeCloseTo(10 / 86.4, 10); // of its raw throughput, 86.4m tokens/day
    expect(result.bill?.totalUsd).toBe(1460);
    // Each route's part of the bill: the fleet split by tokens (extraction's sensitive data, no traffic here, none).
    expect(result.decisions.map((d) => d.monthlyUsd)).toEqual([730, 730]);
    expect(result.sensitiveDecisions.map((d) => d.monthlyUsd)).toEqual([0, 730]);
  });

  it("puts a standby fleet for sensitive data in the bill when no item is marked sensitive, and says so", () => {
    const rows = [...rowsFor("local", "a", bits(40, []), tokens), ...rowsFor("api", "a", bits(40, []), { ...tokens, costUsd: 0.0025 })];
    const result = recommend({ rows, models, criteria: criteria({ tokensPerDay: 1_000_000 }), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("api");
    const sensitive = result.sensitiveDecisions[0]!;
    expect(sensitive.chosen?.model).toBe("local");
    expect(sensitive.trafficShare).toBe(0);
    expect(sensitive.monthlyUsd).toBe(1460);
    expect(result.bill?.fleets).toEqual([
      expect.objectContaining({ model: "local", replicas: 1, monthlyUsd: 1460, tokensPerDay: 0, standby: true, sensitiveCategories: ["a"] }),
    ]);
    expect(result.bill?.totalUsd).toBeCloseTo(1460 + 1e6 * (730 / 24) * 2.5e-6, 6);
    expect(result.notes.join("\n")).toMatch(
      /No item is marked sensitive, so the sensitive routes carry no traffic in this projection; local \(\$1,460\/month\) still runs at minimum size/,
    );
  });

  it("costs sensitive traffic as the category's share × its share of sensitive items", () => {
    // a: 40 items, 10 sensitive (the API skipped them); 40m tokens/day → 30m ordinary to the API, 10m sensitive to local.
    const rows = [...rowsFor("local", "a", bits(40, []), tokens), ...rowsFor("api", "a", "s".repeat(10) + bits(30, []), { ...tokens, costUsd: 0.0025 })];
    const result = recommend({ rows, models, criteria: criteria({ tokensPerDay: 40_000_000 }), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("api");
    expect(result.decisions[0]!.trafficShare).toBeCloseTo(0.75, 12);
    expect(result.sensitiveDecisions[0]!.trafficShare).toBeCloseTo(0.25, 12);
    expect(result.bill?.fleets[0]).toMatchObject({ model: "local", tokensPerDay: 10_000_000, replicas: 1, standby: false });
    expect(result.bill?.apis[0]).toMatchObject({ model: "api", tokensPerDay: 30_000_000 });
    expect(result.bill?.totalUsd).toBeCloseTo(1460 + 30e6 * (730 / 24) * 2.5e-6, 6);
  });

  it("without --tokens-per-day, ranks fleets at a stated default of 100m tokens/day and has no bill", () => {
    const rows = rowsFor("local", "a", bits(40, []), tokens);
    const result = recommend({ rows, models, criteria: criteria(), source: SOURCE });
    const chosen = result.decisions[0]!.chosen!;
    // The whole 100m: ⌈100 / 21.6⌉ = 5 replicas, $7,300 for 3,041.7m tokens → $2.40 per 1k requests.
    expect(chosen.costPer1kUsd).toBeCloseTo(2.4, 10);
    expect(chosen.costBasis).toMatch(/for 100m tokens\/day \(default volume: --tokens-per-day not given\)/);
    expect(result.decisions[0]!.monthlyUsd).toBeNull();
    expect(result.bill).toBeNull();
    expect(result.notes.join(" ")).toMatch(/a default volume, since --tokens-per-day was not given/);
  });
});
