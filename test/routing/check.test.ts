import { describe, expect, it } from "vitest";
import { checkRouting, type CheckOptions } from "../../src/routing/check.js";
import { checkJson, renderCheckMarkdown, renderCheckText, renderJunit } from "../../src/routing/check-report.js";
import { toDocument } from "../../src/routing/document.js";
import { emitRouting } from "../../src/routing/emit.js";
import { parseRouting } from "../../src/routing/parse.js";
import { recommend } from "../../src/routing/select.js";
import type { ModelProfile, RoutingCriteria } from "../../src/routing/types.js";
import type { ResultRow } from "../../src/results/row.js";
import { SOURCE, criteria, profile, row, rowsFor } from "./fixtures.js";

const ALL = "1".repeat(30);
const OPTIONS: CheckOptions = { tolerance: 0.02, alpha: 0.05, failOnCheaper: false };

function baseline(): ResultRow[] {
  return [
    ...rowsFor("big", "extraction", ALL, { costUsd: 0.01, inputTokens: 900, outputTokens: 100 }),
    ...rowsFor("small", "extraction", ALL, { costUsd: 0.001, inputTokens: 900, outputTokens: 100 }),
    ...rowsFor("big", "pii", "s".repeat(30)),
    ...rowsFor("small", "pii", "s".repeat(30)),
    ...rowsFor("local", "pii", ALL, { costUsd: 0.0005, inputTokens: 900, outputTokens: 100 }),
    ...rowsFor("local", "extraction", "0".repeat(30), { costUsd: 0.0005, inputTokens: 900, outputTokens: 100 }),
  ];
}

function models(overrides: Record<string, Partial<ModelProfile>> = {}): ModelProfile[] {
  return [profile("big", overrides.big), profile("small", overrides.small), profile("local", { hosting: "self-hosted", ...overrides.local })];
}

function committed(rows = baseline(), extra: Partial<RoutingCriteria> = {}) {
  return toDocument(recommend({ rows, models: models(), criteria: criteria({ tokensPerDay: 10_000_000, budgetUsd: 500, ...extra }), source: SOURCE }));
}

/** `model`'s rows in `category` with the first `count` items turned wrong. */
function losing(rows: ResultRow[], model: string, category: string, count: number): ResultRow[] {
  return rows.map((r) => (r.model === model && r.category === category && Number(r.itemId.split("-").pop()) < count ? { ...r, score: 0, passed: false } : r));
}

describe("modelpick check (core)", () => {
  it("passes on the results the table was made from, read back from every format", () => {
    const document = committed();
    expect(document.routes.extraction?.id).toBe("small");
    expect(document.routes.pii?.id).toBe("local");
    for (const format of ["ts", "yaml", "json"] as const) {
      const reread = parseRouting(emitRouting(document, format), format, `routing.${format}`);
      const report = checkRouting(reread, { rows: baseline(), models: models(), source: SOURCE }, OPTIONS);
      expect(report.ok).toBe(true);
      expect(report.routes.map((r) => [r.category, r.sensitive, r.verdict])).toEqual([
        ["extraction", false, "holds"],
        ["pii", false, "holds"],
        ["extraction", true, "holds"],
        ["pii", true, "holds"],
      ]);
      // Each route against its own outcomes, paired item by item: nothing changed, nothing lost.
      expect(
        report.routes.map((r) => r.regression && [r.regression.design, r.regression.test, r.regression.n, r.regression.diff, r.regression.pValue]),
      ).toEqual([
        ["paired", "exact-mcnemar", 30, 0, 1],
        ["paired", "exact-mcnemar", 30, 0, 1],
        ["paired", "exact-mcnemar", 30, 0, 1],
        ["paired", "exact-mcnemar", 30, 0, 1],
      ]);
      expect(report.budget).toMatchObject({ budgetUsd: 500, ok: true });
    }
  });

  it("fails, in one line, when the routed model got worse than its committed outcomes", () => {
    const report = checkRouting(committed(), { rows: losing(baseline(), "small", "extraction", 12), models: models(), source: SOURCE }, OPTIONS);
    expect(report.ok).toBe(false);
    const extraction = report.routes.find((r) => r.category === "extraction" && !r.sensitive)!;
    expect(extraction.verdict).toBe("fails");
    expect(extraction.fresh?.mean).toBeCloseTo(18 / 30, 12);
    expect(extraction.failures.map((f) => f.kind)).toEqual(["quality-fell", "below-best"]);
    expect(extraction.regression).toMatchObject({ design: "paired", test: "exact-mcnemar", n: 30, before: 1, losses: 12, gains: 0 });
    expect(extraction.regression!.diff).toBeCloseTo(-0.4, 12);
    // 12 of 12 discordant items lost, against a fall of 0.02: P(loss) = ½ + 30 × 0.02 / 24 under H0.
    expect(extraction.regression!.pValue).toBeCloseTo(0.525 ** 12, 12);
    expect(extraction.notes).toEqual([{ kind: "recommend-would-choose", model: "big", cheaper: false }]);
    expect(report.routes.find((r) => r.category === "pii")!.verdict).toBe("holds");
    const text = renderCheckText(report, "routing.ts");
    // Four routes, but pii's route and its sensitive route are one model on one category: one comparison, not two.
    expect(report.routes.filter((r) => r.regression !== null)).toHaveLength(4);
    expect(report.family).toEqual({ regressions: 3, alternatives: 1, floors: 0, cheaper: 0 });
    expect(text).toMatch(
      /^modelpick check: 1 of 4 route\(s\) in routing\.ts no longer hold \(4 comparisons: 3 regressions, 1 against the best now, Holm family-wise α 0\.05; tolerance 0\.02\)$/m,
    );
    expect(text).toMatch(/^✗ extraction → small: quality fell 1\.000 → 0\.600 \(−0\.400 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\)$/m);
    expect(text).toMatch(
      /^ {4}exact McNemar test, 12 right → wrong and 0 wrong → right: p = 0\.00044 \(H0: it fell by at most 0\.02\); Holm-adjusted over 4 comparisons: p = 0\.0018 ≤ α 0\.05$/m,
    );
    expect(text).toMatch(
      /^ {4}below today's best: small is −0\.400 \[−0\.\d\d, −0\.\d\d\] from big \(paired on 30 items\), more than the rule's 0\.02 and the tolerance allow$/m,
    );
    expect(text).toMatch(/^ {4}note: recommend would now choose big$/m);
    expect(text).toMatch(/^✓ pii → local/m);
    expect(text).toMatch(/^✓ pii \(sensitive data\) → local/m);
  });

  it("counts only the routes the file has in its headline, not the categories it leaves without one", () => {
    const rows = [...baseline(), ...rowsFor("local", "secret", "0".repeat(30)), ...rowsFor("big", "secret", "s".repeat(30))];
    const document = committed(rows, { minQuality: 0.5 });
    expect(document.routes.secret).toBeNull();
    const report = checkRouting(document, { rows: losing(rows, "small", "extraction", 12), models: models(), source: SOURCE }, OPTIONS);
    expect(report.routes.filter((r) => r.verdict === "no-route").length).toBeGreaterThan(0);
    expect(renderCheckText(report, "r.yaml")).toMatch(/^modelpick check: 1 of 5 route\(s\) in r\.yaml no longer hold/m);
  });

  it("holds a sensitive route to the table's --sensitive-min-quality, one more comparison of the family", () => {
    const costs = { costUsd: 0.0005, inputTokens: 900, outputTokens: 100 };
    const rows = [
      ...rowsFor("big", "extraction", "1".repeat(200), { costUsd: 0.01 }),
      ...rowsFor("big", "pii", "s".repeat(200)),
      ...rowsFor("local", "pii", "1".repeat(200), costs),
      ...rowsFor("local", "extraction", "1".repeat(200), costs),
    ];
    const document = committed(rows, { sensitiveMinQuality: 0.9 });
    expect(document.routes.pii?.id).toBe("local");
    expect(document.sensitiveRoutes.pii?.id).toBe("local");
    const unchanged = checkRouting(document, { rows, models: models(), source: SOURCE }, OPTIONS);
    expect(unchanged.ok).toBe(true);
    expect(unchanged.family.floors).toBe(2);
    expect(renderCheckText(unchanged, "r.yaml")).toMatch(/2 against --sensitive-min-quality/);

    // local falls to 0.800 on pii: 40 of 200 items lost, well under the floor of 0.9 (minus the tolerance).
    const report = checkRouting(document, { rows: losing(rows, "local", "pii", 40), models: models(), source: SOURCE }, OPTIONS);
    const pii = report.routes.find((r) => r.category === "pii" && r.sensitive)!;
    expect(pii.verdict).toBe("fails");
    const floor = pii.failures.find((f) => f.kind === "below-sensitive-min-quality");
    expect(floor).toMatchObject({ minQuality: 0.9, comparison: { design: "level", test: "exact-binomial", n: 200, after: 0.8 } });
    expect(renderCheckText(report, "r.yaml")).toMatch(
      /^ {4}below --sensitive-min-quality 0\.9: quality 0\.800, −0\.100 \[.*\] from it over 200 items, more than the tolerance allows$/m,
    );
    expect(JSON.stringify(checkJson(report, "r.yaml"))).toContain('"kind":"below-sensitive-min-quality"');
  });

  it("fails a routed model that fell to the level of a cheaper one, though it is still within the rule of the best now", () => {
    // big holds extraction: small (right on 20 of 30) is not within 0.02 of it. Then big falls to small's level.
    const rows = [...rowsFor("big", "task", ALL, { costUsd: 0.01 }), ...rowsFor("small", "task", "1".repeat(20) + "0".repeat(10), { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [profile("big"), profile("small")], criteria: criteria(), source: SOURCE }));
    expect(document.routes.task?.id).toBe("big");
    const fresh = losing(rows, "big", "task", 10);
    const report = checkRouting(document, { rows: fresh, models: [profile("big"), profile("small")], source: SOURCE }, OPTIONS);
    const task = report.routes[0]!;
    expect(task.alternative === null || task.failures.every((f) => f.kind !== "below-best")).toBe(true);
    expect(task.verdict).toBe("fails");
    expect(task.failures.map((f) => f.kind)).toEqual(["quality-fell"]);
    expect(renderCheckText(report, "routing.yaml")).toMatch(
      /^✗ task → big: quality fell 1\.000 → 0\.667 \(−0\.333 \[−0\.\d\d, −0\.\d\d\], paired on 30 items\)$/m,
    );
  });

  it("a fall within the tolerance holds; the same fall with no tolerance fails", () => {
    // 8 of 60 items lost (−0.133): significant against no change, not against a fall of up to 0.15.
    const sixty = "1".repeat(60);
    const rows = [...rowsFor("big", "task", sixty, { costUsd: 0.01 }), ...rowsFor("small", "task", sixty, { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [profile("big"), profile("small")], criteria: criteria({ within: 0.2 }), source: SOURCE }));
    expect(document.routes.task?.id).toBe("small");
    const fresh = losing(rows, "small", "task", 8);
    const input = { rows: fresh, models: [profile("big"), profile("small")], source: SOURCE };
    const strict = checkRouting(document, input, { ...OPTIONS, tolerance: 0 });
    const lenient = checkRouting(document, input, { ...OPTIONS, tolerance: 0.15 });
    expect(strict.routes[0]!.regression!.pValue).toBeCloseTo(0.5 ** 8, 12);
    expect(strict.routes[0]!.failures.map((f) => f.kind)).toEqual(["quality-fell"]);
    expect(strict.ok).toBe(false);
    expect(lenient.routes[0]!.regression!.pValue).toBe(1); // 8 discordant items ≤ 60 × 0.15: a fall within the tolerance
    expect(lenient.ok).toBe(true);
  });

  it("--alpha sets the family-wise level: a borderline fall fails at 0.1 and holds at 0.01", () => {
    const sixty = "1".repeat(60);
    const rows = [...rowsFor("big", "task", sixty, { costUsd: 0.01 }), ...rowsFor("small", "task", sixty, { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [profile("big"), profile("small")], criteria: criteria({ within: 0.2 }), source: SOURCE }));
    const input = { rows: losing(rows, "small", "task", 5), models: [profile("big"), profile("small")], source: SOURCE };
    // 5 of 5 discordant lost: p = ½⁵ = 0.031 at tolerance 0, one regression and one alternative (p = 1) in the family.
    const loose = checkRouting(document, input, { ...OPTIONS, tolerance: 0, alpha: 0.1 });
    const tight = checkRouting(document, input, { ...OPTIONS, tolerance: 0, alpha: 0.01 });
    expect(loose.routes[0]!.regression!.adjustedP).toBeCloseTo(2 * 0.5 ** 5, 12);
    expect(loose.ok).toBe(false);
    expect(tight.ok).toBe(true);
    expect(renderCheckText(tight, "r.yaml")).toMatch(/Holm family-wise α 0\.01; tolerance 0\)$/m);
  });

  it("compares two samples when the fresh run's items are not the committed ones", () => {
    const document = committed();
    const renamed = baseline().map((r) => ({ ...r, itemId: `new-${r.itemId}` }));
    const report = checkRouting(document, { rows: renamed, models: models(), source: SOURCE }, OPTIONS);
    const extraction = report.routes.find((r) => r.category === "extraction" && !r.sensitive)!;
    expect(extraction.regression).toMatchObject({ design: "two-sample", test: "two-proportion-z", n: 30, beforeN: 30, diff: 0 });
    expect(report.ok).toBe(true);
    const worse = losing(renamed, "small", "extraction", 20);
    const failing = checkRouting(document, { rows: worse, models: models(), source: SOURCE }, OPTIONS);
    expect(renderCheckText(failing, "r.yaml")).toMatch(
      /^✗ extraction → small: quality fell 1\.000 → 0\.333 \(−0\.667 \[−\d\.\d\d, −\d\.\d\d\], 30 items then, 30 now, too few in common to pair\)$/m,
    );
  });

  it("tests graded scores with the paired t test, on outcomes kept to 0.005", () => {
    const graded = (model: string, scores: number[]) =>
      scores.map((score, i) => row({ itemId: `g-${i}`, model, category: "summaries", score, costUsd: model === "big" ? 0.01 : 0.001 }));
    const before = Array.from({ length: 40 }, (_, i) => 0.6 + ((i * 37) % 40) / 100);
    const rows = [
      ...graded("big", before),
      ...graded(
        "small",
        before.map((s) => s - 0.001),
      ),
    ];
    const document = toDocument(recommend({ rows, models: [profile("big"), profile("small")], criteria: criteria(), source: SOURCE }));
    expect(document.routes.summaries?.evidence.outcomes.scale).toBe("graded");
    const same = checkRouting(document, { rows, models: [profile("big"), profile("small")], source: SOURCE }, OPTIONS);
    expect(same.routes[0]!.regression).toMatchObject({ design: "paired", test: "paired-t" });
    expect(Math.abs(same.routes[0]!.regression!.diff)).toBeLessThanOrEqual(0.0025);
    expect(same.ok).toBe(true);
    const worse = rows.map((r) => (r.model === "small" ? { ...r, score: r.score! - 0.1 } : r));
    const report = checkRouting(document, { rows: worse, models: [profile("big"), profile("small")], source: SOURCE }, OPTIONS);
    expect(report.routes[0]!.failures[0]).toMatchObject({ kind: "quality-fell", comparison: { test: "paired-t" } });
  });

  it("fails when the routed model is gone from the results (deprecated or renamed)", () => {
    const report = checkRouting(committed(), { rows: baseline().filter((r) => r.model !== "small"), models: models(), source: SOURCE }, OPTIONS);
    const extraction = report.routes.find((r) => r.category === "extraction")!;
    expect(extraction.verdict).toBe("fails");
    expect(extraction.failures).toEqual([{ kind: "model-missing" }]);
    expect(renderCheckText(report, "r.yaml")).toMatch(
      /^✗ extraction → small: small has no scored result in this category \(deprecated, renamed, or every request failed\?\)$/m,
    );
  });

  it("fails when a sensitive route's model is no longer self-hosted", () => {
    const report = checkRouting(committed(), { rows: baseline(), models: models({ local: { hosting: "cloud" } }), source: SOURCE }, OPTIONS);
    const pii = report.routes.find((r) => r.category === "pii" && r.sensitive)!;
    expect(pii.verdict).toBe("fails");
    expect(pii.failures).toContainEqual({ kind: "not-self-hosted", hosting: "cloud", inFile: false });
    expect(renderCheckText(report, "r.yaml")).toMatch(/^✗ pii \(sensitive data\) → local: sensitive data must stay self-hosted, but local is cloud$/m);
    expect(report.routes.find((r) => r.category === "extraction" && r.sensitive)!.verdict).toBe("fails");
    // pii's ordinary traffic may take a cloud model; its items are all sensitive, so it has none.
    expect(report.routes.find((r) => r.category === "pii" && !r.sensitive)!.verdict).toBe("holds");
  });

  it("fails when the route of a declared-sensitive category is no longer self-hosted", () => {
    const document = committed(baseline(), { sensitiveCategories: ["pii"] });
    expect(document.sensitiveCategories).toEqual(["pii"]);
    const report = checkRouting(document, { rows: baseline(), models: models({ local: { hosting: "cloud" } }), source: SOURCE }, OPTIONS);
    const pii = report.routes.filter((r) => r.category === "pii");
    expect(pii).toHaveLength(1); // its route is its sensitive route, checked once
    expect(pii[0]!.failures).toContainEqual({ kind: "not-self-hosted", hosting: "cloud", inFile: false });
  });

  it("fails when a price rise takes the table over its monthly budget", () => {
    // At 10m tokens/day, small costs $1 per 1k requests of 1,000 tokens = $1e-6/token → ~$152/month for half the traffic.
    const pricier = baseline().map((r) => (r.model === "small" ? { ...r, costUsd: 0.01 } : r));
    const report = checkRouting(committed(), { rows: pricier, models: models(), source: SOURCE }, OPTIONS);
    expect(report.ok).toBe(false);
    expect(report.routes.every((r) => r.verdict === "holds")).toBe(true);
    expect(report.budget?.ok).toBe(false);
    expect(report.budget?.monthlyUsd).toBeCloseTo(0.5 * 10_000_000 * 1e-5 * (730 / 24) + 0.5 * 10_000_000 * 5e-7 * (730 / 24), 6);
    expect(renderCheckText(report, "r.yaml")).toMatch(/✗ budget: \$1,597 a month against \$500/);
  });

  it("reports, without failing, a null route that can now be filled and a new category", () => {
    const costs = { costUsd: 0.0005, inputTokens: 900, outputTokens: 100 }; // its sensitive route's traffic is in the budget
    const rows = [...baseline(), ...rowsFor("local", "secret", "0".repeat(30), costs), ...rowsFor("big", "secret", "s".repeat(30))];
    const document = committed(rows, { minQuality: 0.5 });
    expect(document.routes.secret).toBeNull();
    const better = rows.map((r) => (r.category === "secret" && r.model === "local" ? { ...r, score: 1, passed: true } : r));
    const fresh = [...better, ...rowsFor("small", "summaries", ALL, { costUsd: 0.001 })];
    const report = checkRouting(document, { rows: fresh, models: models(), source: SOURCE }, OPTIONS);
    expect(report.ok).toBe(true);
    const secret = report.routes.find((r) => r.category === "secret")!;
    expect(secret.verdict).toBe("no-route");
    expect(secret.notes).toEqual([{ kind: "now-qualifies", model: "local" }]);
    expect(report.warnings).toEqual([{ kind: "unrouted-category", category: "summaries" }]);
    expect(renderCheckText(report, "r.yaml")).toMatch(
      /^warning: category "summaries" is in the results but has no route in the file; run check --update to add it$/m,
    );
    // In the step summary, a category without a route neither "holds" nor has a cost.
    const row = renderCheckMarkdown(report, "r.yaml")
      .split("\n")
      .find((line) => line.startsWith("| ➖ | secret |"))!;
    expect(row).toMatch(/^\| ➖ \| secret \| no route \| — \| .* \| — \| note: .*local/);
    expect(row).not.toMatch(/holds|\?/);
  });

  it("warns that a response cache can hide a model change when most fresh rows came from it", () => {
    const cached = baseline().map((r, i) =>
      i % 4 === 0 ? r : { ...r, cached: true, cachedAt: i === 1 ? "2026-11-17T10:00:00.000Z" : "2026-11-19T10:00:00.000Z" },
    );
    const report = checkRouting(committed(), { rows: cached, models: models(), source: SOURCE }, OPTIONS);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([
      { kind: "cached-results", cachedRows: 135, rows: 180, oldestCachedAt: "2026-11-17T10:00:00.000Z", freshRunDate: SOURCE.runDate },
    ]);
    expect(renderCheckText(report, "r.yaml")).toMatch(
      /^warning: 135 of 180 result rows came from the response cache, the oldest received 3 days before the run: a cached answer is what the model said then, so a cache can hide a model change; refresh with modelpick eval --max-cache-age 0 \(or --no-cache\) before relying on this check$/m,
    );
    const few = baseline().map((r, i) => (i % 4 === 0 ? { ...r, cached: true } : r));
    expect(checkRouting(committed(), { rows: few, models: models(), source: SOURCE }, OPTIONS).warnings).toEqual([]);
  });

  it("refuses committed outcomes that were damaged or edited, naming the field", () => {
    const json = JSON.parse(emitRouting(committed(), "json"));
    json.routes.extraction.evidence.outcomes.data = json.routes.extraction.evidence.outcomes.data.replace(/^./, "!");
    expect(() => parseRouting(JSON.stringify(json), "json", "r.json")).toThrow(
      /^r\.json: routes\.extraction\.evidence\.outcomes: not base64 \(r\.json is not a routing table written by modelpick recommend/,
    );
    const edited = JSON.parse(emitRouting(committed(), "json"));
    edited.routes.extraction.evidence.n = 29;
    expect(() => parseRouting(JSON.stringify(edited), "json", "r.json")).toThrow(
      /^r\.json: routes\.extraction\.evidence: n is 29 but its outcomes score 30 item\(s\)/,
    );
    // A pass turned into a fail (or the evidence's mean edited) no longer agrees with the evidence's mean.
    const flipped = JSON.parse(emitRouting(committed(), "json"));
    flipped.routes.extraction.evidence.mean = 0.9;
    expect(() => parseRouting(JSON.stringify(flipped), "json", "r.json")).toThrow(
      /^r\.json: routes\.extraction\.evidence: mean is 0\.9 but its outcomes average 1\.0000/,
    );
    const lost = JSON.parse(emitRouting(committed(), "json"));
    delete lost.items.pii;
    expect(() => parseRouting(JSON.stringify(lost), "json", "r.json")).toThrow(/^r\.json: items: no item ids for "pii", which has a route/);
  });
});

describe("check reports", () => {
  it("writes JUnit XML with one case per route, escaped, and the family in its properties", () => {
    const hostile = "ex<\"&'>\u0001";
    const rows = [...rowsFor("big", hostile, ALL, { costUsd: 0.01 }), ...rowsFor("small", hostile, ALL, { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [], criteria: criteria(), source: SOURCE }));
    const worse = rows.map((r) => (r.model === "small" ? { ...r, score: 0 } : r));
    const report = checkRouting(document, { rows: worse, models: [], source: SOURCE }, OPTIONS);
    const xml = renderJunit(report, "routing.json");
    expect(xml).toMatch(/<testsuites name="modelpick check" tests="2" failures="1">/);
    expect(xml).toMatch(/<property name="alpha" value="0.05"\/>/);
    expect(xml).toMatch(/<property name="comparisons" value="2"\/>/);
    expect(xml).toMatch(/<skipped message=/); // its sensitive route: null (no self-hosted model), still null
    expect(xml).toContain('name="ex&lt;&quot;&amp;&apos;&gt; → small"');
    expect(xml).toMatch(/<failure message="quality fell 1\.000 → 0\.000 \(−1\.000 \[−1\.00, −1\.00\], paired on 30 items\)">/);
    expect(xml).not.toContain("\u0001");
  });

  it("writes a Markdown summary whose table cannot be broken by names, with the same verdicts", () => {
    const name = "a|b\n# heading";
    const rows = [...rowsFor("m|1", name, ALL, { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [], criteria: criteria(), source: SOURCE }));
    const md = renderCheckMarkdown(checkRouting(document, { rows, models: [], source: SOURCE }, OPTIONS), "routing.yaml");
    expect(md).toMatch(/^## modelpick check: ✅ every route holds/);
    expect(md).toMatch(/1 comparison: 1 regression, 0 against the best now, Holm family-wise α 0\.05; tolerance 0\.02/);
    const tableRows = md.split("\n").filter((l) => l.startsWith("| ✅"));
    expect(tableRows).toHaveLength(1);
    expect(tableRows[0]).toContain("a\\|b # heading");
    expect(tableRows[0]).toContain("m\\|1");
    const failing = renderCheckMarkdown(
      checkRouting(document, { rows: rows.map((r) => ({ ...r, score: 0 })), models: [], source: SOURCE }, OPTIONS),
      "routing.yaml",
    );
    expect(failing).toMatch(
      /^\| ❌ \| a\\\|b # heading \| m\\\|1 \| .* \| quality fell 1\.000 → 0\.000 .*; exact McNemar test, 30 right → wrong and 0 wrong → right: p &lt; 0\.0001/m,
    );
  });

  it("gives JSON with each route's verdict and reasons as data, with no English and no fresh recommendation", () => {
    const report = checkRouting(committed(), { rows: losing(baseline(), "small", "extraction", 12), models: models(), source: SOURCE }, OPTIONS);
    const json = JSON.parse(JSON.stringify(checkJson(report, "routing.yaml")));
    expect(json).toMatchObject({
      modelpickCheck: 1,
      file: "routing.yaml",
      ok: false,
      alpha: 0.05,
      tolerance: 0.02,
      failOnCheaper: false,
      family: { method: "holm", alpha: 0.05, comparisons: 4, regressions: 3, alternatives: 1, cheaper: 0 },
      committedRun: { runId: "run-test-1" },
      warnings: [],
      handEdit: null,
    });
    expect(json.fresh).toBeUndefined();
    const extraction = json.routes[0];
    expect(extraction).toMatchObject({ category: "extraction", sensitive: false, model: "small", verdict: "fails" });
    expect(extraction.failures.map((f: { kind: string }) => f.kind)).toEqual(["quality-fell", "below-best"]);
    expect(extraction.failures[0].comparison).toMatchObject({
      design: "paired",
      test: "exact-mcnemar",
      direction: "below",
      n: 30,
      losses: 12,
      gains: 0,
      margin: 0.02,
    });
    expect(extraction.failures[0].comparison.low).toBeLessThan(extraction.failures[0].comparison.high);
    expect(extraction.failures[1]).toMatchObject({ kind: "below-best", reference: "big", within: 0.02, comparison: { margin: 0.04 } });
    expect(JSON.stringify(json.routes)).not.toMatch(/quality fell|below today|paired on|significantly/);
  });
});
