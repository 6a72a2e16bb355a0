import { describe, expect, it } from "vitest";
import { checkRouting } from "../../src/routing/check.js";
import { renderCheckMarkdown, renderCheckText, renderJunit } from "../../src/routing/check-report.js";
import { toDocument } from "../../src/routing/document.js";
import { emitRouting } from "../../src/routing/emit.js";
import { parseRouting } from "../../src/routing/parse.js";
import { recommend } from "../../src/routing/select.js";
import type { ModelProfile, RoutingCriteria } from "../../src/routing/types.js";
import type { ResultRow } from "../../src/results/row.js";
import { SOURCE, criteria, profile, rowsFor } from "./fixtures.js";

const ALL = "1".repeat(30);

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
  return [
    profile("big", overrides.big),
    profile("small", overrides.small),
    profile("local", { hosting: "self-hosted", ...overrides.local }),
  ];
}

function committed(rows = baseline(), extra: Partial<RoutingCriteria> = {}) {
  return toDocument(recommend({ rows, models: models(), criteria: criteria({ tokensPerDay: 10_000_000, budgetUsd: 500, ...extra }), source: SOURCE }));
}

describe("modelpick check (core)", () => {
  it("passes on the results the table was made from, read back from every format", () => {
    const document = committed();
    expect(document.routes.extraction?.id).toBe("small");
    expect(document.routes.pii?.id).toBe("local");
    for (const format of ["ts", "yaml", "json"] as const) {
      const reread = parseRouting(emitRouting(document, format), format, `routing.${format}`);
      const report = checkRouting(reread, { rows: baseline(), models: models(), source: SOURCE }, 0.02);
      expect(report.ok).toBe(true);
      expect(report.routes.map((r) => [r.category, r.sensitive, r.status])).toEqual([
        ["extraction", false, "holds"],
        ["pii", false, "holds"],
        ["extraction", true, "holds"],
        ["pii", true, "holds"],
      ]);
      expect(report.budget).toMatchObject({ budgetUsd: 500, ok: true });
    }
  });

  it("fails, with the per-category diff, when the routed model got worse", () => {
    const degraded = baseline().map((r) =>
      r.model === "small" && r.category === "extraction" && Number(r.itemId.split("-")[1]) < 12 ? { ...r, score: 0, passed: false } : r,
    );
    const report = checkRouting(committed(), { rows: degraded, models: models(), source: SOURCE }, 0.02);
    expect(report.ok).toBe(false);
    const extraction = report.routes.find((r) => r.category === "extraction")!;
    expect(extraction.status).toBe("fails");
    expect(extraction.fresh?.mean).toBeCloseTo(18 / 30, 12);
    expect(extraction.problems).toHaveLength(1);
    expect(extraction.problems[0]).toMatch(
      /^quality significantly below the bar even with tolerance 0\.02: bar 0\.980 \(best big − 0\.02\); small is −0\.380 \[−0\.[0-9]{3}, −0\.[0-9]{3}\] from it over 30 paired items$/,
    );
    expect(extraction.notes).toEqual(["recommend would now choose big"]);
    expect(report.routes.find((r) => r.category === "pii")!.status).toBe("holds");
    const text = renderCheckText(report, "routing.ts");
    expect(text).toMatch(/^modelpick check: 1 of 4 route\(s\) in routing\.ts no longer hold/);
    expect(text).toMatch(/✗ extraction → small: quality 1\.000 → 0\.600 \[0\.423, 0\.754\] n=30, bar 0\.980 \(best big − 0\.02\), \$\/1k \$1\.00 → \$1\.00/);
    expect(text).toMatch(/✓ pii → local/);
    expect(text).toMatch(/✓ pii \(sensitive data\) → local/);
  });

  it("tolerates a drop that is within the tolerance but not one beyond it", () => {
    // 5 of 30 items lost: the paired interval's top end is a little below 0; only the tolerance lets it pass.
    const slightly = baseline().map((r) =>
      r.model === "small" && r.category === "extraction" && Number(r.itemId.split("-")[1]) < 5 ? { ...r, score: 0, passed: false } : r,
    );
    const document = committed(baseline(), { within: 0 });
    const strict = checkRouting(document, { rows: slightly, models: models(), source: SOURCE }, 0);
    const lenient = checkRouting(document, { rows: slightly, models: models(), source: SOURCE }, 0.05);
    const high = strict.routes.find((r) => r.category === "extraction")!.fresh!.vsBar.high;
    expect(high).toBeLessThan(0);
    expect(high).toBeGreaterThan(-0.05);
    expect(strict.ok).toBe(false);
    expect(lenient.ok).toBe(true);
  });

  it("fails when the routed model is gone from the results (deprecated or renamed)", () => {
    const report = checkRouting(committed(), { rows: baseline().filter((r) => r.model !== "small"), models: models(), source: SOURCE }, 0.02);
    const extraction = report.routes.find((r) => r.category === "extraction")!;
    expect(extraction.status).toBe("fails");
    expect(extraction.problems).toEqual(["small has no scored result in this category (deprecated, renamed, or every request failed?)"]);
  });

  it("fails when a sensitive route's model is no longer self-hosted", () => {
    const report = checkRouting(committed(), { rows: baseline(), models: models({ local: { hosting: "cloud" } }), source: SOURCE }, 0.02);
    const pii = report.routes.find((r) => r.category === "pii" && r.sensitive)!;
    expect(pii.status).toBe("fails");
    expect(pii.problems).toContain("sensitive data must stay self-hosted, but local is cloud");
    expect(report.routes.find((r) => r.category === "extraction" && r.sensitive)!.status).toBe("fails");
    // pii's ordinary traffic may take a cloud model; its items are all sensitive, so it has none.
    expect(report.routes.find((r) => r.category === "pii" && !r.sensitive)!.status).toBe("holds");
  });

  it("fails when the route of a declared-sensitive category is no longer self-hosted", () => {
    const document = committed(baseline(), { sensitiveCategories: ["pii"] });
    expect(document.sensitiveCategories).toEqual(["pii"]);
    const report = checkRouting(document, { rows: baseline(), models: models({ local: { hosting: "cloud" } }), source: SOURCE }, 0.02);
    const pii = report.routes.filter((r) => r.category === "pii");
    expect(pii).toHaveLength(1); // its route is its sensitive route, checked once
    expect(pii[0]!.problems).toContain("sensitive data must stay self-hosted, but local is cloud");
  });

  it("fails when a price rise takes the table over its monthly budget", () => {
    // At 10m tokens/day, small costs $1 per 1k requests of 1,000 tokens = $1e-6/token → ~$152/month for half the traffic.
    const pricier = baseline().map((r) => (r.model === "small" ? { ...r, costUsd: 0.01 } : r));
    const report = checkRouting(committed(), { rows: pricier, models: models(), source: SOURCE }, 0.02);
    expect(report.ok).toBe(false);
    expect(report.routes.every((r) => r.status === "holds")).toBe(true);
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
    const report = checkRouting(document, { rows: fresh, models: models(), source: SOURCE }, 0.02);
    expect(report.ok).toBe(true);
    const secret = report.routes.find((r) => r.category === "secret")!;
    expect(secret.status).toBe("no-route");
    expect(secret.notes).toEqual(["local now qualifies; run check --update to route this category"]);
    expect(report.warnings).toEqual([
      'category "summaries" is in the results but has no route in the file; run check --update to add it',
    ]);
  });
});

describe("check reports", () => {
  it("writes JUnit XML with one case per route, escaped", () => {
    const hostile = 'ex<"&\'>\u0001';
    const rows = [...rowsFor("big", hostile, ALL, { costUsd: 0.01 }), ...rowsFor("small", hostile, ALL, { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [], criteria: criteria(), source: SOURCE }));
    const worse = rows.map((r) => (r.model === "small" ? { ...r, score: 0 } : r));
    const report = checkRouting(document, { rows: worse, models: [], source: SOURCE }, 0.02);
    const xml = renderJunit(report, "routing.json");
    expect(xml).toMatch(/<testsuites name="modelpick check" tests="2" failures="1">/);
    expect(xml).toMatch(/<skipped message=/); // its sensitive route: null (no self-hosted model), still null
    expect(xml).toContain('name="ex&lt;&quot;&amp;&apos;&gt; → small"');
    expect(xml).toMatch(/<failure message="quality significantly below the bar/);
    expect(xml).not.toContain("\u0001");
  });

  it("writes a Markdown summary whose table cannot be broken by names", () => {
    const name = "a|b\n# heading";
    const rows = [...rowsFor("m|1", name, ALL, { costUsd: 0.001 })];
    const document = toDocument(recommend({ rows, models: [], criteria: criteria(), source: SOURCE }));
    const md = renderCheckMarkdown(checkRouting(document, { rows, models: [], source: SOURCE }, 0.02), "routing.yaml");
    expect(md).toMatch(/^## modelpick check: ✅ every route holds/);
    const tableRows = md.split("\n").filter((l) => l.startsWith("| ✅"));
    expect(tableRows).toHaveLength(1);
    expect(tableRows[0]).toContain("a\\|b # heading");
    expect(tableRows[0]).toContain("m\\|1");
  });
});
