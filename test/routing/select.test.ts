import { describe, expect, it } from "vitest";
import type { SelfHostedOption } from "../../src/cost/project.js";
import { recommend } from "../../src/routing/select.js";
import type { ResultRow } from "../../src/runner/types.js";
import { SOURCE, criteria, profile, rowsFor } from "./fixtures.js";

function bits(n: number, wrongAt: number[]): string {
  return Array.from({ length: n }, (_, i) => (wrongAt.includes(i) ? "0" : "1")).join("");
}

function mean(rows: ResultRow[]): number {
  const scored = rows.filter((r) => r.score !== null);
  return scored.reduce((s, r) => s + r.score!, 0) / scored.length;
}

describe("recommend: statistical qualification", () => {
  it("does not let a one-item streak of the expensive model decide the route, as raw means would", () => {
    // 40 paired items: premium gets 38 right, budget 36; they disagree on only 4 items.
    const premium = rowsFor("premium", "extraction", bits(40, [38, 39]), { costUsd: 0.01 });
    const budget = rowsFor("budget", "extraction", bits(40, [0, 1, 2, 39]), { costUsd: 0.001 });
    // Raw means with the same rule (within 0.02 of the best) would exclude budget and pay 10× for premium.
    expect(mean(budget)).toBeLessThan(mean(premium) - 0.02);

    const result = recommend({
      rows: [...premium, ...budget],
      models: [profile("premium"), profile("budget")],
      criteria: criteria({ within: 0.02 }),
      source: SOURCE,
    });
    const decision = result.decisions[0]!;
    expect(decision.bar).toMatchObject({ kind: "within", reference: "premium" });
    expect(decision.chosen?.model).toBe("budget");
    expect(decision.chosen?.vsBar.pairedN).toBe(40);
    expect(decision.chosen?.vsBar.diff).toBeCloseTo(-0.05 + 0.02, 10);
    expect(decision.chosen?.vsBar.high).toBeGreaterThanOrEqual(0);
    expect(decision.runnerUp).toEqual({ model: "premium", reason: "costs more: $10.00 vs $1.00 per 1k requests" });
  });

  it("excludes a cheap model that is significantly worse on the same items", () => {
    const premium = rowsFor("premium", "reasoning", bits(40, [38, 39]), { costUsd: 0.01 });
    const budget = rowsFor("budget", "reasoning", bits(40, [...Array(20).keys()]), { costUsd: 0.001 });
    const result = recommend({
      rows: [...premium, ...budget],
      models: [profile("premium"), profile("budget")],
      criteria: criteria({ within: 0.02 }),
      source: SOURCE,
    });
    const decision = result.decisions[0]!;
    expect(decision.chosen?.model).toBe("premium");
    expect(decision.runnerUp?.model).toBe("budget");
    expect(decision.runnerUp?.reason).toMatch(/^significantly below the bar: −0\.4[0-9]{2} \[−0\.[0-9]{3}, −0\.[0-9]{3}\] over 40 paired items$/);
  });

  it("applies an absolute --min-quality bar with a one-sample bootstrap on the model's own items", () => {
    const good = rowsFor("good", "chat", bits(30, [0, 1, 2]), { costUsd: 0.002 }); // 0.90
    const weak = rowsFor("weak", "chat", bits(30, [...Array(15).keys()]), { costUsd: 0.0001 }); // 0.50
    const result = recommend({
      rows: [...good, ...weak],
      models: [profile("good"), profile("weak")],
      criteria: criteria({ minQuality: 0.8 }),
      source: SOURCE,
    });
    const decision = result.decisions[0]!;
    expect(decision.bar).toEqual({ kind: "min-quality", value: 0.8, reference: null, level: 0.8 });
    expect(decision.chosen?.model).toBe("good");
    expect(decision.chosen?.vsBar.diff).toBeCloseTo(0.1, 10);
    expect(decision.candidates.find((c) => c.model === "weak")?.qualifies).toBe(false);
  });

  it("refuses a model with fewer paired items than --min-items", () => {
    const big = rowsFor("big", "x", bits(30, []), { costUsd: 0.01 });
    const tiny = rowsFor("tiny", "x", "11111", { costUsd: 0.0001 });
    const result = recommend({ rows: [...big, ...tiny], models: [], criteria: criteria(), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("big");
    expect(result.decisions[0]!.candidates.find((c) => c.model === "tiny")?.exclusions).toEqual([
      "only 5 paired item(s), fewer than --min-items 10",
    ]);
  });

  it("gives the same answer every time (seeded bootstrap)", () => {
    const rows = [
      ...rowsFor("a", "c", bits(25, [1, 7, 9]), { costUsd: 0.003 }),
      ...rowsFor("b", "c", bits(25, [2, 3, 4, 5, 11]), { costUsd: 0.001 }),
    ];
    const run = () => recommend({ rows, models: [], criteria: criteria(), source: SOURCE }).decisions[0]!.candidates;
    expect(run()).toEqual(run());
  });
});

describe("recommend: ties, costs and the monthly bill", () => {
  it("breaks a cost tie on p95 latency", () => {
    const slow = rowsFor("slow", "c", bits(20, []), { costUsd: 0.001, latencyMs: 900 });
    const fast = rowsFor("fast", "c", bits(20, []), { costUsd: 0.001, latencyMs: 200 });
    const result = recommend({ rows: [...slow, ...fast], models: [], criteria: criteria(), source: SOURCE });
    expect(result.decisions[0]!.chosen?.model).toBe("fast");
    expect(result.decisions[0]!.runnerUp).toEqual({ model: "slow", reason: "same cost, slower: p95 900 ms vs 200 ms" });
  });

  it("computes cost per 1k requests from measured costs and the monthly cost at --tokens-per-day", () => {
    // 2,000 tokens and $0.002 per request = $1e-6 per token; 1m tokens/day split 50/50 over two categories.
    const extra = { costUsd: 0.002, inputTokens: 1500, outputTokens: 500 };
    const rows = [...rowsFor("m", "a", bits(20, []), extra), ...rowsFor("m", "b", bits(20, []), extra)];
    const over = recommend({ rows, models: [], criteria: criteria({ tokensPerDay: 1_000_000, budgetUsd: 20 }), source: SOURCE });
    const a = over.decisions[0]!;
    expect(a.chosen?.costPer1kUsd).toBeCloseTo(2, 10);
    expect(a.chosen?.costBasis).toBe("measured");
    expect(a.trafficShare).toBe(0.5);
    expect(a.monthlyUsd).toBeCloseTo(0.5 * 1_000_000 * 1e-6 * (730 / 24), 9);
    expect(over.monthlyTotalUsd).toBeCloseTo(1_000_000 * 1e-6 * (730 / 24), 9); // $30.42
    expect(over.withinBudget).toBe(false);
    const within = recommend({ rows, models: [], criteria: criteria({ tokensPerDay: 1_000_000, budgetUsd: 40 }), source: SOURCE });
    expect(within.withinBudget).toBe(true);
    const mixed = recommend({ rows, models: [], criteria: criteria({ tokensPerDay: 1_000_000, mix: { a: 3, b: 1 } }), source: SOURCE });
    expect(mixed.decisions[0]!.trafficShare).toBe(0.75);
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
    expect(result.decisions[0]!.runnerUp?.reason).toBe("higher price per token: $6.00 vs $0.7500 per million tokens");
    expect(result.notes.join(" ")).toMatch(/ranked by price per token/);
  });
});

describe("recommend: constraints", () => {
  it("routes a sensitive category only to a self-hosted model", () => {
    const rows = [
      ...rowsFor("cloud-best", "pii", "s".repeat(20), { costUsd: null }),
      ...rowsFor("local-a", "pii", bits(20, [0]), { latencyMs: 50 }),
      ...rowsFor("local-b", "pii", bits(20, []), { latencyMs: 80 }),
      ...rowsFor("cloud-best", "chat", bits(20, []), { costUsd: 0.001 }),
      ...rowsFor("local-a", "chat", bits(20, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]), { latencyMs: 50 }),
    ];
    const models = [profile("cloud-best"), profile("local-a", { hosting: "self-hosted" }), profile("local-b", { hosting: "self-hosted" })];
    const result = recommend({ rows, models, criteria: criteria(), source: SOURCE });
    const pii = result.decisions.find((d) => d.category === "pii")!;
    expect(pii.sensitive).toBe(true);
    expect(pii.chosen?.model).toBe("local-a"); // both local models qualify at unknown cost; the faster wins
    expect(result.decisions.find((d) => d.category === "chat")!.sensitive).toBe(false);
    expect(result.sensitiveRoute?.chosen?.model).toBe("local-a");
  });

  it("leaves a sensitive route empty, with the reason, rather than fall back to a cloud model", () => {
    const rows = [
      ...rowsFor("cloud-best", "pii", bits(20, [])),
      ...rowsFor("local", "pii", bits(20, [...Array(16).keys()])),
    ];
    const models = [profile("cloud-best"), profile("local", { hosting: "self-hosted" })];
    const result = recommend({ rows, models, criteria: criteria({ minQuality: 0.8, sensitiveCategories: ["pii"] }), source: SOURCE });
    const pii = result.decisions[0]!;
    expect(pii.chosen).toBeNull();
    expect(pii.noRouteReason).toMatch(/^no self-hosted model qualifies for this sensitive category \(local: significantly below the bar/);
    expect(pii.candidates.find((c) => c.model === "cloud-best")?.exclusions[0]).toMatch(/^cloud-hosted/);
    expect(result.sensitiveRoute?.chosen).toBeNull();
  });

  it("excludes models over --max-p95-ms or with no latency measured", () => {
    const rows = [
      ...rowsFor("slow", "c", bits(20, []), { costUsd: 0.0001, latencyMs: 3000 }),
      ...rowsFor("unmeasured", "c", bits(20, []), { costUsd: 0.0001, latencyMs: null }),
      ...rowsFor("ok", "c", bits(20, []), { costUsd: 0.01, latencyMs: 400 }),
    ];
    const result = recommend({ rows, models: [], criteria: criteria({ maxP95Ms: 2000 }), source: SOURCE });
    const d = result.decisions[0]!;
    expect(d.chosen?.model).toBe("ok");
    expect(d.candidates.find((c) => c.model === "slow")?.exclusions).toEqual(["p95 latency 3000 ms is above --max-p95-ms 2000"]);
    expect(d.candidates.find((c) => c.model === "unmeasured")?.exclusions).toEqual(["no latency measured, so --max-p95-ms cannot be verified"]);
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
    expect(allow.decisions[0]!.candidates.find((c) => c.model === "mystery")?.exclusions).toEqual([
      "licence unknown (set license: for this model in modelpick.yaml)",
    ]);
    const big = recommend({ rows, models, criteria: criteria({ allowLicenses: ["apache-2.0", "llama3.1"], orgMau: 800_000_000 }), source: SOURCE });
    expect(big.decisions[0]!.chosen?.model).toBe("qwen");
    expect(big.decisions[0]!.candidates.find((c) => c.model === "llama")?.exclusions[0]).toMatch(/700M monthly active users/);
    const small = recommend({ rows, models, criteria: criteria({ allowLicenses: ["apache-2.0", "llama3.1"], orgMau: 5_000_000 }), source: SOURCE });
    expect(small.decisions[0]!.chosen?.model).toBe("llama");
  });

  it("keeps the best model for --human-review categories and marks them", () => {
    const best = rowsFor("best", "legal", bits(40, [39]), { costUsd: 0.02 });
    const cheap = rowsFor("cheap", "legal", bits(40, [0, 39]), { costUsd: 0.001 });
    const plain = recommend({ rows: [...best, ...cheap], models: [], criteria: criteria(), source: SOURCE });
    expect(plain.decisions[0]!.chosen?.model).toBe("cheap");
    const reviewed = recommend({ rows: [...best, ...cheap], models: [], criteria: criteria({ humanReview: ["legal"] }), source: SOURCE });
    expect(reviewed.decisions[0]!.chosen?.model).toBe("best");
    expect(reviewed.decisions[0]!.humanReview).toBe(true);
    expect(reviewed.decisions[0]!.runnerUp?.reason).toMatch(/human-review categories keep the best model/);
  });

  it("assumes a model nobody described is cloud-hosted, so it never gets sensitive data", () => {
    const rows = rowsFor("stranger", "pii", bits(20, []));
    const result = recommend({ rows, models: [], criteria: criteria({ sensitiveCategories: ["pii"] }), source: SOURCE });
    expect(result.decisions[0]!.chosen).toBeNull();
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
    const result = recommend({ rows, models: [], criteria: criteria({ minItems: 2 }), source: SOURCE });
    expect(result.decisions.map((d) => [d.category, d.chosen?.model])).toEqual([
      ["A", "small"],
      ["B", "mid"],
    ]);
    const b = result.baselines;
    expect(b.n).toBe(8);
    expect(b.table.quality).toBeCloseTo(7 / 8, 12);
    expect(b.table.costPer1kUsd).toBeCloseTo(((4 * 0.001 + 4 * 0.005) / 8) * 1000, 12);
    expect(b.bestSingle.model).toBe("big");
    expect(b.bestSingle.quality).toBe(1);
    expect(b.bestSingle.costPer1kUsd).toBeCloseTo(10, 12);
    // Oracle: small on A's four items; mid on b0, b1, b3; only big got b2 right.
    expect(b.oracle.quality).toBe(1);
    expect(b.oracle.costPer1kUsd).toBeCloseTo(((4 * 0.001 + 3 * 0.005 + 0.01) / 8) * 1000, 12);
  });
});

describe("recommend: self-hosted models costed as a GPU fleet", () => {
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

  it("costs the fleet for its category's share of the volume, and the API wins where that share is too small to fill it", () => {
    // 100m tokens/day split 50/50: 50m per category → ⌈50 / 21.6⌉ = 3 replicas = $4,380/month for 50m × 730/24
    // = 1,520.8m tokens → $2.88 per million → $2.88 per 1k requests of 1,000 tokens. (At the whole 100m it would be
    // 5 replicas, $7,300, $2.40 per 1k — cheaper than the API's $2.50; per category it is not.)
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
    expect(local.usdPerToken).toBeCloseTo(2.88e-6, 15);
    expect(local.costBasis).toMatch(/^self-hosted fleet: 3× h100 \(3 replicas of 1\) for 50m tokens\/day, its 50% share of 100m tokens\/day, utilisation target 50%/);
    expect(local.costBasis).toMatch(/GPU \$2\/h from test GPU price \(2026-11-01\); throughput from test throughput \(2026-10-01\)$/);
    expect(a!.runnerUp).toEqual({ model: "local", reason: "costs more: $2.88 vs $2.50 per 1k requests" });
    expect(b!.chosen?.model).toBe("local");
    expect(b!.monthlyUsd).toBeCloseTo(4380, 6);
    expect(result.monthlyTotalUsd).toBeCloseTo(4380 + 50e6 * (730 / 24) * 2.5e-6, 6);
    // The baselines price each of the fleet's items at its $ per token on that category.
    expect(result.baselines.table.costPer1kUsd).not.toBeNull();
    expect(result.notes.join(" ")).toMatch(/costed as a GPU fleet .* share of 100,000,000 tokens\/day;/);
  });

  it("without --tokens-per-day, sizes the fleet for a stated default of 100m tokens/day", () => {
    const rows = rowsFor("local", "a", bits(40, []), tokens);
    const result = recommend({ rows, models, criteria: criteria(), source: SOURCE });
    const chosen = result.decisions[0]!.chosen!;
    // The whole 100m: ⌈100 / 21.6⌉ = 5 replicas, $7,300 for 3,041.7m tokens → $2.40 per 1k requests.
    expect(chosen.costPer1kUsd).toBeCloseTo(2.4, 10);
    expect(chosen.costBasis).toMatch(/for 100m tokens\/day \(default volume: --tokens-per-day not given\)/);
    expect(result.decisions[0]!.monthlyUsd).toBeNull();
    expect(result.notes.join(" ")).toMatch(/a default volume, since --tokens-per-day was not given/);
  });

  it("costs the sensitive-data route's fleet for the sensitive categories' shares together", () => {
    const rows = [
      ...rowsFor("local", "pii", bits(40, []), tokens),
      ...rowsFor("api", "pii", "s".repeat(40)),
      ...rowsFor("local", "chat", bits(40, []), tokens),
      ...rowsFor("api", "chat", bits(40, []), { ...tokens, costUsd: 0.0025 }),
    ];
    const result = recommend({ rows, models, criteria: criteria({ tokensPerDay: 100_000_000, mix: { pii: 1, chat: 3 } }), source: SOURCE });
    // pii is 25 % of 100m = 25m → ⌈25 / 21.6⌉ = 2 replicas, $2,920 for 25m × 730/24 tokens → $3.84 per 1k.
    expect(result.sensitiveRoute?.chosen?.model).toBe("local");
    expect(result.sensitiveRoute?.chosen?.costPer1kUsd).toBeCloseTo(3.84, 10);
    expect(result.decisions.find((d) => d.category === "pii")!.chosen?.costPer1kUsd).toBeCloseTo(3.84, 10);
  });
});

describe("recommend: candidates a constraint excludes", () => {
  it("still report their paired interval and the full reasons when something reads them", () => {
    const rows = [...rowsFor("local", "pii", bits(40, [])), ...rowsFor("cloud", "pii", bits(40, [...Array(20).keys()]))];
    const models = [profile("local", { hosting: "self-hosted" }), profile("cloud")];
    const result = recommend({ rows, models, criteria: criteria({ sensitiveCategories: ["pii"] }), source: SOURCE });
    const cloud = result.decisions[0]!.candidates.find((c) => c.model === "cloud")!;
    expect(cloud.qualifies).toBe(false);
    expect(cloud.vsBar).toMatchObject({ reference: "local", pairedN: 40 });
    expect(cloud.vsBar.diff).toBeCloseTo(-0.5 + 0.02, 12); // model − (best − within)
    expect(cloud.exclusions[0]).toMatch(/^cloud-hosted/);
    expect(cloud.exclusions[1]).toMatch(/^significantly below the bar: −0\.480 \[/);
    expect(result.decisions[0]!.runnerUp?.reason).toBe(cloud.exclusions.join("; "));
  });
});
