import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RoutingDocument } from "../../src/routing/document.js";
import type { ResultRow } from "../../src/results/row.js";
import { ROOT, runCli } from "../helpers/cli.js";
import { rowsFor, runModel, runModelpick, tempDir, writeResultsDir } from "../routing/fixtures.js";

function results(): ResultRow[] {
  const all = "1".repeat(30);
  return [
    ...rowsFor("sonnet", "extraction", all, { costUsd: 0.006, inputTokens: 1500, outputTokens: 500, latencyMs: 900 }),
    ...rowsFor("haiku", "extraction", all, { costUsd: 0.0008, inputTokens: 1500, outputTokens: 500, latencyMs: 400 }),
    ...rowsFor("qwen-local", "extraction", "0".repeat(10) + "1".repeat(20), { latencyMs: 1500 }),
    ...rowsFor("sonnet", "pii", "s".repeat(30)),
    ...rowsFor("haiku", "pii", "s".repeat(30)),
    ...rowsFor("qwen-local", "pii", all, { latencyMs: 1500 }),
  ];
}

const MODELS = [
  runModel("sonnet", { provider: "anthropic", model: "claude-sonnet-4-6" }),
  runModel("haiku", { provider: "anthropic", model: "claude-haiku-4-5" }),
  runModel("qwen-local", { provider: "openai-compatible", model: "qwen2.5-7b-instruct", hosting: "self-hosted", license: "apache-2.0" }),
];

describe("modelpick recommend (CLI)", () => {
  it("prints the table and writes a routing file that is byte-identical when regenerated", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS, { runId: "run-2026-11-20" });
    const first = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--out", "routing.ts"], { cwd: dir });
    expect(first.stderr).toBe("Results: run (run run-2026-11-20, finished 2026-11-20 10:00 UTC)\n");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /│ extraction\s+│ haiku\s+│ 1\.000 \[0\.886, 1\.000\] n=30 │ \$0\.8000\s+│ \$60\.83\s+│ sonnet: costs more: \$6\.00 vs \$0\.8000 per 1k requests/,
    );
    // pii: every item is sensitive, so its sensitive route carries its traffic; the cloud models never saw it.
    expect(first.stdout).toMatch(/│ pii \(30 of 30 items sensitive\)\s+│ qwen-local .*│ haiku, sonnet: cloud-hosted, never sent sensitive/);
    expect(first.stdout).toMatch(/│ pii\s+│ qwen-local\s+│ 1\.000 \[0\.886, 1\.000\] n=30 │ same model as the route\s+│ unknown\s+│ —/);
    expect(first.stdout).toMatch(/│ extraction\s+│ qwen-local\s+│ 0\.667 \[0\.488, 0\.808\] n=30 │ −0\.333 \[−0\.500, −0\.167\] vs haiku ⚠/);
    expect(first.stdout).toMatch(/best single model \(haiku\), in-sample/);
    expect(first.stdout).toMatch(/│ this routing table, cross-fitted, 5 folds\s+│ 1\.000 \[1\.000, 1\.000\]/);
    expect(first.stdout).toMatch(/Routing table written to routing\.ts/);
    const text = readFileSync(path.join(dir, "routing.ts"), "utf8");
    expect(text).toMatch(/export const MODEL_ROUTING: Record<TaskCategory, ModelRoute> = \{/);
    expect(text).toMatch(/"model": "claude-haiku-4-5"/);
    const again = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--out", "again.ts"], { cwd: dir });
    expect(again.code).toBe(0);
    expect(readFileSync(path.join(dir, "again.ts"), "utf8")).toBe(text);
  });

  it("creates the folder --out names when it does not exist yet (src/routing.ts in a new project)", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS, { runId: "run-2026-11-20" });
    const made = await runModelpick(["recommend", "--results", "run", "--out", "src/routing/table.ts"], { cwd: dir });
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "src", "routing", "table.ts"), "utf8")).toMatch(/export function routeRequest/);
  });

  it("prints only the routing file on stdout with --format and no --out, and takes route settings from --config", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS);
    writeFileSync(
      path.join(dir, "models.yaml"),
      [
        "dataset: tasks.jsonl",
        "models:",
        "  - { id: haiku, provider: anthropic, model: claude-haiku-4-5, maxTokens: 2048, temperature: 0.3 }",
        "  - { id: qwen-local, provider: openai-compatible, model: qwen2.5-7b-instruct, hosting: self-hosted, baseURL: 'http://user:secret@gpu-box:8000/v1' }",
        "",
      ].join("\n"),
    );
    const result = await runModelpick(["recommend", "--results", "run", "--format", "json", "--config", "models.yaml"], { cwd: dir });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RoutingDocument;
    expect(document.routes.extraction).toMatchObject({ id: "haiku", maxTokens: 2048, temperature: 0.3 });
    expect(document.routes.pii).toMatchObject({ id: "qwen-local", hosting: "self-hosted", baseURL: "http://gpu-box:8000/v1" });
    expect(result.stdout).not.toContain("secret");
    expect(result.stderr).toMatch(/│ extraction/);
  });

  it("costs a self-hosted model with a selfHosted: block as its GPU fleet, in the table and the routing file's evidence", async () => {
    const dir = tempDir();
    const tokens = { inputTokens: 800, outputTokens: 200 };
    const rows = results().map((r) => (r.model === "qwen-local" ? { ...r, ...tokens } : r));
    writeResultsDir(path.join(dir, "run"), rows, MODELS);
    const config = (selfHosted: string) =>
      [
        "dataset: tasks.jsonl",
        "models:",
        "  - { id: qwen-local, provider: openai-compatible, model: qwen2.5-7b-instruct, hosting: self-hosted, baseURL: 'http://gpu-box:8000/v1',",
        `      selfHosted: ${selfHosted} }`,
        "",
      ].join("\n");
    writeFileSync(path.join(dir, "models.yaml"), config("{ gpu: h100, gpuHourlyUsd: 2, tokensPerSecond: 1000, utilization: 0.5 }"));
    const args = ["recommend", "--results", "run", "--config", "models.yaml", "--tokens-per-day", "100m"];
    const result = await runModelpick([...args, "--out", "routing.json"], { cwd: dir });
    expect(result.code).toBe(0);
    // pii is half the items: 50m tokens/day; a replica carries 1,000 × 86,400 × 0.5 / 2 = 21.6m → 3 replicas × $2 × 730 h
    // = $4,380 a month for 50m × 730/24 tokens = $2.88 per million, × 1,000 tokens per request = $2.88 per 1k.
    // pii's items are all sensitive: its sensitive route carries its 50m tokens/day, extraction's sensitive data none.
    expect(result.stdout).toMatch(/│ pii\s+│ qwen-local\s+│ [^│]+│ [^│]+│ \$2\.88 ~\s+│ \$4,380\s+│/);
    expect(result.stdout).toMatch(/note: Self-hosted models with a selfHosted: deployment are ranked as a GPU fleet/);
    // One fleet for all its routes: pii's route (no ordinary traffic) and the sensitive data of both categories.
    expect(result.stdout).toMatch(
      /^ {2}qwen-local \(self-hosted fleet: 3× h100, 3 replicas, utilisation 19%\): \$4,380 — pii; sensitive data of extraction, pii$/m,
    );
    const document = JSON.parse(readFileSync(path.join(dir, "routing.json"), "utf8")) as RoutingDocument;
    const pii = document.sensitiveRoutes.pii!;
    expect(pii.evidence.costPer1kUsd).toBe(2.88);
    expect(pii.evidence.monthlyUsd).toBe(4380);
    expect(pii.evidence.costBasis).toMatch(/^self-hosted fleet: 3× h100 \(3 replicas of 1\) for 50m tokens\/day, its 50% share of 100m tokens\/day/);
    expect(document.monthly?.fleets).toEqual([
      expect.objectContaining({ model: "qwen-local", replicas: 3, monthlyUsd: 4380, sensitiveCategories: ["extraction", "pii"] }),
    ]);
    expect(document.generatedFrom.prices).toContainEqual(
      expect.objectContaining({ model: "qwen-local", source: expect.stringMatching(/^self-hosted fleet: GPU models\.yaml/) }),
    );
    const check = await runModelpick(["check", "routing.json", "--results", "run", "--config", "models.yaml"], { cwd: dir });
    expect(check.code).toBe(0);

    writeFileSync(path.join(dir, "models.yaml"), config("{ catalogProfile: no-such-profile }"));
    const broken = await runModelpick(args, { cwd: dir });
    expect(broken.code).toBe(0);
    expect(broken.stdout).toMatch(
      /note: qwen-local is not costed as a self-hosted fleet: models\.yaml: models\[0\] \(qwen-local\)\.selfHosted\.catalogProfile: "no-such-profile" is not a catalog throughput profile/,
    );
  });

  it("exits 1 when the cheapest qualifying table is over --budget, or when the budget cannot be verified", async () => {
    const dir = tempDir();
    const priced = MODELS.map((m) =>
      m.id === "qwen-local" ? { ...m, price: { inputPerMTok: 0.2, outputPerMTok: 0.2, source: "own GPU estimate", date: "2026-11" } } : m,
    );
    writeResultsDir(path.join(dir, "run"), results(), priced);
    // haiku: $4e-7/token on 5m tokens/day; qwen-local: $2e-7/token (price only) on pii's 5m (all sensitive); 730/24 days.
    const monthly = (5e6 * 4e-7 + 5e6 * 2e-7) * (730 / 24);
    const over = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--budget", "80"], { cwd: dir });
    expect(over.code).toBe(1);
    expect(over.stdout).toContain(`: $${monthly.toFixed(2)} — OVER the budget of $80.00`);
    expect(over.stdout).toMatch(/^ {2}qwen-local \(self-hosted, priced per token\): \$30\.42 ~ — sensitive data of pii$/m);
    const within = await runModelpick(["recommend", "--results", "run", "--tokens-per-day", "10m", "--budget", "100"], { cwd: dir });
    expect(within.code).toBe(0);
    expect(within.stdout).toMatch(/within the budget of \$100/);

    writeResultsDir(path.join(dir, "unpriced"), results(), MODELS);
    const unknown = await runModelpick(["recommend", "--results", "unpriced", "--tokens-per-day", "10m", "--budget", "100"], { cwd: dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/cannot verify --budget: no cost or price for pii \(sensitive data\) → qwen-local/);
  });

  it("rejects bad input with exit 2 and a message that says what to fix", async () => {
    const dir = tempDir();
    writeResultsDir(path.join(dir, "run"), results(), MODELS);
    const cases: Array<[string[], RegExp]> = [
      [["--min-quality", "1.5"], /--min-quality: expected a number between 0 and 1, got "1\.5"/],
      [["--min-quality", "0.8", "--within", "0.02"], /cannot be used with option '--within/],
      [["--budget", "100"], /--budget needs --tokens-per-day/],
      [["--tokens-per-day", "lots"], /--tokens-per-day: "lots" is not a positive volume/],
      [["--human-review", "legal"], /--human-review: unknown category "legal"; known: .* \(the categories in run\)/],
      [["--results", "nowhere"], /nowhere: no results\.jsonl here/],
      [["--out", "routing.txt"], /routing\.txt: unknown routing file type/],
      [["--out", "routing.ts", "--format", "yaml"], /--out routing\.ts is a ts file but --format is yaml/],
      [["--folds", "1"], /--folds: expected a whole number from 2 to 100, got "1"/],
      [["--holdout", "1"], /--holdout: expected a share of the items between 0 and 1 \(exclusive\), e\.g\. 0\.2, got "1"/],
      [["--folds", "3", "--holdout", "0.2"], /cannot be used with option '--holdout/],
      [["--sensitive-min-quality", "2"], /--sensitive-min-quality: expected a number between 0 and 1, got "2"/],
    ];
    for (const [args, message] of cases) {
      const result = await runModelpick(["recommend", "--results", "run", ...args], { cwd: dir });
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("modelpick recommend (CLI): rules, evaluation, sensitive routes and the bill", () => {
  it("routes a category's ordinary traffic on all its items though one is sensitive, and its sensitive data separately", async () => {
    // The issue's case: 10 items, 1 marked sensitive. With --min-items 5 the whole category once went to the
    // self-hosted model (0.7) while the cloud model was right on all 9 items it saw.
    const dir = tempDir();
    const rows = [
      ...rowsFor("cloud", "contracts", "s111111111", { costUsd: 0.002, inputTokens: 900, outputTokens: 100 }),
      ...rowsFor("local", "contracts", "1110111011"),
    ];
    writeResultsDir(path.join(dir, "run"), rows, [runModel("cloud"), runModel("local", { hosting: "self-hosted" })]);
    const result = await runModelpick(["recommend", "--results", "run", "--min-items", "5", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as RoutingDocument;
    expect(document.routes.contracts).toMatchObject({ id: "cloud", evidence: { n: 9, trafficShare: 0.9 } });
    expect(document.sensitiveRoutes.contracts).toMatchObject({
      id: "local",
      hosting: "self-hosted",
      evidence: { n: 10, trafficShare: 0.1, vsRoute: { model: "cloud", pairedN: 9, large: true } },
    });
    expect(result.stderr).toMatch(/│ contracts \(1 of 10 items sensitive\) │ cloud/);
    expect(result.stderr).toMatch(
      /note: Sensitive data gets markedly worse answers \(more than 0\.1 below the category's route\) in: contracts local −0\.222 vs cloud\./,
    );
  });

  it("holds out folds (--folds) or one share (--holdout), and leaves a sensitive route null below --sensitive-min-quality", async () => {
    const dir = tempDir();
    const rows = [
      ...rowsFor("cloud", "a", "1".repeat(50), { costUsd: 0.002 }),
      ...rowsFor("local", "a", "1".repeat(45) + "0".repeat(5)),
      ...rowsFor("cloud", "b", "1".repeat(50), { costUsd: 0.002 }),
      ...rowsFor("local", "b", "1".repeat(20) + "0".repeat(30)),
    ];
    writeResultsDir(path.join(dir, "run"), rows, [runModel("cloud"), runModel("local", { hosting: "self-hosted" })]);
    const folds = await runModelpick(["recommend", "--results", "run", "--folds", "4", "--sensitive-min-quality", "0.7", "--format", "json"], { cwd: dir });
    expect(folds.code).toBe(0);
    const document = JSON.parse(folds.stdout) as RoutingDocument;
    expect(document.evaluation.crossValidated).toMatchObject({ method: "k-fold", folds: 4, holdout: null, n: 100, quality: 1 });
    expect(document.generatedFrom.criteria).toMatchObject({ folds: 4, sensitiveMinQuality: 0.7 });
    expect(document.sensitiveRoutes.a).toMatchObject({ id: "local" });
    expect(document.sensitiveRoutes.b).toBeNull();
    expect(document.noSensitiveRoute.b).toMatchObject({ kind: "none-qualifies", message: expect.stringMatching(/below --sensitive-min-quality 0\.7/) });
    expect(folds.stderr).toMatch(/│ b\s+│ — none\s+│.*│ no self-hosted model qualifies for sensitive\s+│/);
    expect(folds.stderr).toMatch(/note: No sensitive route for b: routeRequest\(category, true\) throws there/);
    const holdout = await runModelpick(["recommend", "--results", "run", "--holdout", "0.2", "--format", "json"], { cwd: dir });
    expect(holdout.code).toBe(0);
    expect((JSON.parse(holdout.stdout) as RoutingDocument).evaluation.crossValidated).toMatchObject({ method: "holdout", folds: 1, holdout: 0.2, n: 20 });
    expect(holdout.stderr).toMatch(/│ this routing table, held out, 20% of each category\s+│ 1\.000 \[1\.000, 1\.000\]/);
  });
});

/** The figures the README's routing story states, read from its text. */
function readmeStory(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf("### From measurement to a routing table");
  const story = readme.slice(start, readme.indexOf("## Commands", start));
  return story.replace(/\s+/g, " ");
}

function figure(text: string, pattern: RegExp, what: string): RegExpExecArray {
  const match = pattern.exec(text);
  if (!match) throw new Error(`README: no ${what} (${pattern}) in: ${text}`);
  return match;
}

function close(readme: string, live: number | null | undefined, what: string): void {
  expect(live, what).not.toBeNull();
  // The README shows three decimals of what the table prints; the JSON keeps four: at most half a unit apart.
  expect(Math.abs(Number(readme.replace("−", "-")) - live!), `${what}: README ${readme}, live ${live}`).toBeLessThanOrEqual(0.0005 + 1e-9);
}

describe("modelpick recommend on the built-in default", () => {
  let document: RoutingDocument;
  let table: string;

  beforeAll(async () => {
    const out = path.join(tempDir("modelpick-default-routing-"), "run");
    const evaluated = await runCli(["eval", "--no-cache", "--out", out], { cwd: ROOT, env: { OPENAI_API_KEY: undefined, ANTHROPIC_API_KEY: undefined } });
    expect(evaluated.code).toBe(0);
    const routed = await runCli(["recommend", "--results", out, "--tokens-per-day", "100m", "--format", "json"], { cwd: ROOT });
    expect(routed.stderr).not.toMatch(/\n\s+at /);
    expect(routed.code).toBe(0);
    document = JSON.parse(routed.stdout) as RoutingDocument;
    table = routed.stderr;
  }, 120_000);

  it("says its non-inferiority rule, cross-fits the table, gives every category a self-hosted sensitive route, and costs each fleet once", () => {
    expect(document.rule.routes).toMatch(
      /with 95 % confidence, at most 0\.02 below the category's best model \(the lower end of the paired 95 % bootstrap interval of model − best is ≥ −0\.02\)/,
    );
    expect(table).toContain(`Rule: ${document.rule.routes}`);
    expect(document.evaluation.crossValidated).toMatchObject({ method: "k-fold", folds: 5, n: 12032 });
    const cv = document.evaluation.crossValidated!;
    expect(cv.ciLow!).toBeLessThanOrEqual(cv.quality!);
    expect(cv.ciHigh!).toBeGreaterThanOrEqual(cv.quality!);
    expect(Object.keys(document.sensitiveRoutes)).toHaveLength(14);
    for (const [category, route] of Object.entries(document.sensitiveRoutes)) {
      expect(route?.hosting, category).toBe("self-hosted");
      expect(route?.evidence.vsRoute, category).not.toBeNull();
    }
    const bill = document.monthly!;
    expect(bill.fleets.length).toBeGreaterThan(0);
    expect(new Set(bill.fleets.map((f) => f.model)).size).toBe(bill.fleets.length);
    const sensitiveModels = new Set(Object.values(document.sensitiveRoutes).map((r) => r!.id));
    for (const model of sensitiveModels) {
      const fleet = bill.fleets.find((f) => f.model === model)!;
      expect(fleet.sensitiveCategories.length + fleet.categories.length).toBeGreaterThan(0);
      expect(fleet.monthlyUsd).toBeGreaterThan(0);
    }
    const parts = [...bill.apis.map((a) => a.monthlyUsd), ...bill.fleets.map((f) => f.monthlyUsd)].reduce((a, b) => a + b, 0);
    expect(bill.unpriced).toEqual([]);
    expect(bill.totalUsd).toBeCloseTo(parts, 1);
    // The table's own cost beside the best single model's: every routed answer is costed (a few empty replies too).
    expect(document.evaluation.inSample.costPer1kUsd).toEqual(expect.any(Number));
    // …marked ~ like every cost computed from the recorded runs' estimated tokens.
    expect(table).toMatch(/this routing table, in-sample \(routes chosen on these items\) +│ 0\.\d{3} +│ \$[\d.]+ ~ +│/);
    expect(table).toMatch(/best single model \(gpt-4o\), in-sample +│ 0\.\d{3} +│ \$[\d.]+ ~ +│/);
    expect(table).toMatch(/\$\d{1,3}(,\d{3})+/); // thousands separators
    expect(table).not.toMatch(/\$\d{4,}/);
  });

  it("is what the README's routing story says, figure by figure", () => {
    const story = readmeStory();
    // Routes: "routes N subjects to MODEL (a, b, …) and N to MODEL (…)".
    const byModel = new Map<string, string[]>();
    for (const [category, route] of Object.entries(document.routes)) byModel.set(route!.id, [...(byModel.get(route!.id) ?? []), category]);
    const stated = [...story.matchAll(/(\d+) (?:subjects )?to ([\w.-]+) \(([^)]+)\)/g)].map((m) => ({
      count: Number(m[1]),
      model: m[2]!,
      categories: m[3]!.split(", "),
    }));
    expect(stated.length).toBeGreaterThan(0);
    expect(new Map(stated.map((s) => [s.model, s.categories]))).toEqual(byModel);
    for (const s of stated) expect(s.categories).toHaveLength(s.count);

    const e = document.evaluation;
    const inSample = figure(story, /the table scores (0\.\d{3}) against (0\.\d{3}) for the best single model \(([\w.-]+)\)/, "in-sample figures");
    close(inSample[1]!, e.inSample.quality, "in-sample quality");
    close(inSample[2]!, e.bestSingleModel.quality, "best single model");
    expect(inSample[3]).toBe(e.bestSingleModel.model);
    const cv = figure(
      story,
      /cross-fitted over (\d+) folds .*? it scores (0\.\d{3}) \[(0\.\d{3}), (0\.\d{3})\], ([+−]0\.\d{3}) \[([+−]0\.\d{3}), ([+−]0\.\d{3})\] over the best single model/,
      "cross-fitted figures",
    );
    expect(Number(cv[1])).toBe(e.crossValidated!.folds);
    close(cv[2]!, e.crossValidated!.quality, "cross-fitted quality");
    close(cv[3]!, e.crossValidated!.ciLow, "cross-fitted lower end");
    close(cv[4]!, e.crossValidated!.ciHigh, "cross-fitted upper end");
    close(cv[5]!, e.crossValidated!.vsBestSingle!.diff, "cross-fitted gain over the best single model");
    close(cv[6]!, e.crossValidated!.vsBestSingle!.low, "its lower end");
    close(cv[7]!, e.crossValidated!.vsBestSingle!.high, "its upper end");
    close(figure(story, /oracle would reach (0\.\d{3})/, "oracle")[1]!, e.oracle.quality, "oracle");

    const sensitive = figure(
      story,
      /Sensitive data of every subject goes to ([\w.-]+), self-hosted, (0\.\d{3}) to (0\.\d{3}) below the subject's route \((\d+) subjects more than 0\.1 below/,
      "sensitive routes",
    );
    const routes = Object.values(document.sensitiveRoutes).map((r) => r!);
    expect(new Set(routes.map((r) => r.id))).toEqual(new Set([sensitive[1]]));
    const gaps = routes.map((r) => -r.evidence.vsRoute!.diff);
    close(sensitive[2]!, Math.min(...gaps), "smallest sensitive gap");
    close(sensitive[3]!, Math.max(...gaps), "largest sensitive gap");
    expect(Number(sensitive[4])).toBe(routes.filter((r) => r.evidence.vsRoute!.large).length);

    const fleet = figure(story, /runs on standby \((\d+)× ([\w-]+), \$([\d,]+)\/month\)/, "standby fleet");
    const billed = document.monthly!.fleets.find((f) => f.model === sensitive[1])!;
    expect(billed).toMatchObject({ standby: true, gpus: Number(fleet[1]), gpu: fleet[2] });
    expect(Number(fleet[3]!.replaceAll(",", ""))).toBe(Math.round(billed.monthlyUsd));
    const total = figure(story, /the monthly total is (unknown|\$[\d,]+)/, "monthly total")[1]!;
    if (total === "unknown") expect(document.monthly!.totalUsd).toBeNull();
    else expect(Number(total.slice(1).replaceAll(",", ""))).toBe(Math.round(document.monthly!.totalUsd!));
    // "(gpt-4o $14,297, gemini-1.5-pro $4,701, …)": each API's part of the bill.
    const apis = figure(story, /the monthly total is [^(]*\(([^)]*)\)/, "each API's part")[1]!;
    const parts = [...apis.matchAll(/([\w.-]+) \$([\d,]+)/g)].map((m) => [m[1], Number(m[2]!.replaceAll(",", ""))]);
    expect(parts).toEqual(document.monthly!.apis.map((api) => [api.model, Math.round(api.monthlyUsd)]).sort((a, b) => Number(b[1]) - Number(a[1])));
  });

  it("states the same rules in docs/routing.md's recommend section as in its output", () => {
    const readme = readFileSync(path.join(ROOT, "docs", "routing.md"), "utf8").replace(/\n> /g, "\n");
    expect(readme).toContain(document.rule.routes);
    expect(readme).toContain(document.rule.sensitiveRoutes);
  });
});
