import { existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { readRows } from "../helpers/project.js";
import { useMockServer } from "../helpers/use-mock-server.js";

/** A folder like a user's project: no modelpick.yaml, no datasets. */
function emptyProject(): string {
  return mkdtempSync(path.join(tmpdir(), "modelpick-init-"));
}

const NO_KEYS = {
  ANTHROPIC_API_KEY: undefined,
  OPENAI_API_KEY: undefined,
  GEMINI_API_KEY: undefined,
  ANTHROPIC_BASE_URL: undefined,
  OPENAI_BASE_URL: undefined,
};

describe("a project without modelpick.yaml", () => {
  it("eval names init and --demo (exit 2)", async () => {
    const dir = emptyProject();
    const result = await runCli(["eval"], { cwd: dir, env: NO_KEYS });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: no modelpick.yaml in ${dir}: run modelpick init to write a starter config, or modelpick eval --demo to try ` +
        `the built-in example; or pass --config FILE\n`,
    );
  });

  it("eval --demo runs the built-in example shipped with modelpick, its results in ./reports of the working directory", async () => {
    const dir = emptyProject();
    const result = await runCli(["eval", "--demo", "--limit", "40", "--json", "--no-cache"], { cwd: dir, env: NO_KEYS });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.run.models).toHaveLength(9);
    expect(summary.run.items).toBe(40);
    const latest = path.join(dir, "reports", "latest");
    expect(readlinkSync(latest)).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(readRows(latest)).toHaveLength(9 * 40);
  });

  it("eval --demo with --config is a usage error (exit 2)", async () => {
    const result = await runCli(["eval", "--demo", "--config", "modelpick.yaml"], { cwd: emptyProject(), env: NO_KEYS });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/option '--demo' cannot be used with option '-c, --config <file>'/);
  });
});

describe("modelpick init", () => {
  const mock = useMockServer();

  it("with no API key: writes every cloud model, says so, and eval names the variables to set (exit 2)", async () => {
    const dir = emptyProject();
    const init = await runCli(["init"], { cwd: dir, env: NO_KEYS });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Wrote modelpick\.yaml \(models: claude, gpt, gemini\) and datasets\/starter\.yaml/);
    expect(init.stdout).toMatch(/No ANTHROPIC_API_KEY, OPENAI_API_KEY or GEMINI_API_KEY is set: set one \(and drop the other models\)/);
    const config = readFileSync(path.join(dir, "modelpick.yaml"), "utf8");
    expect(config).toMatch(/^ {2}- \{ id: claude, provider: anthropic, model: claude-sonnet-4-6 \}$/m);
    expect(config).toMatch(/^ {2}- \{ id: gpt, provider: openai, model: gpt-4\.1-mini \}$/m);
    expect(config).toMatch(/^ {2}- \{ id: gemini, provider: gemini, model: gemini-2\.5-flash \}$/m);
    expect(config).toMatch(/The key comes from ANTHROPIC_API_KEY \/ OPENAI_API_KEY \/ GEMINI_API_KEY/);
    expect(config).toMatch(/^ {2}# {3}provider: openai-compatible$/m);

    const evaluated = await runCli(["eval"], { cwd: dir, env: NO_KEYS });
    expect(evaluated.code).toBe(2);
    expect(evaluated.stderr).toMatch(
      /^error: missing API key: set ANTHROPIC_API_KEY \(model "claude"\), OPENAI_API_KEY \(model "gpt"\), GEMINI_API_KEY \(model "gemini"\)/,
    );
    expect(mock.requests).toHaveLength(0);
  });

  it("with ANTHROPIC_API_KEY set: claude is active, gpt commented out, and eval runs the starter dataset (sensitive item kept from the cloud)", async () => {
    const dir = emptyProject();
    const env = { ...NO_KEYS, ANTHROPIC_API_KEY: "test-key", ANTHROPIC_BASE_URL: mock.anthropicBaseURL };
    const init = await runCli(["init"], { cwd: dir, env });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Wrote modelpick\.yaml \(models: claude\)/);
    expect(init.stdout).not.toMatch(/is set/);
    const config = readFileSync(path.join(dir, "modelpick.yaml"), "utf8");
    expect(config).toMatch(/^ {2}# - \{ id: gpt, provider: openai, model: gpt-4\.1-mini \} +# set OPENAI_API_KEY, then uncomment$/m);

    const evaluated = await runCli(["eval", "--out", "run", "--no-cache", "--json"], { cwd: dir, env });
    expect(evaluated.stderr).toBe("run is outside ./reports, so reports/latest does not point at it: pass --results run to recommend, check and cost\n");
    expect(evaluated.code).toBe(0);
    const rows = readRows(path.join(dir, "run"));
    expect(rows.map((r) => r.itemId).sort()).toEqual(["chat-001", "classify-001", "extract-001", "reason-001", "redact-001"]);
    expect(new Set(rows.map((r) => r.category)).size).toBe(5);
    expect(rows.find((r) => r.itemId === "redact-001")!.skipped).toBe("sensitive");
    expect(rows.filter((r) => r.error)).toEqual([]);
    expect(mock.requests.map((r) => r.api)).toEqual(["anthropic", "anthropic", "anthropic", "anthropic"]);
    expect(mock.requests.some((r) => JSON.stringify(r.body).includes("harriet"))).toBe(false);
  });

  it("with GEMINI_API_KEY set: gemini (gemini-2.5-flash) is active, the others commented out, and the entry runs", async () => {
    const dir = emptyProject();
    const env = { ...NO_KEYS, GEMINI_API_KEY: "test-key" };
    const init = await runCli(["init"], { cwd: dir, env });
    expect(init.code).toBe(0);
    expect(init.stdout).toMatch(/^Wrote modelpick\.yaml \(models: gemini\)/);
    const file = path.join(dir, "modelpick.yaml");
    const config = readFileSync(file, "utf8");
    expect(config).toMatch(/^ {2}- \{ id: gemini, provider: gemini, model: gemini-2\.5-flash \}$/m);
    expect(config).toMatch(/^ {2}# - \{ id: claude, provider: anthropic, model: claude-sonnet-4-6 \} +# set ANTHROPIC_API_KEY, then uncomment$/m);
    expect(config).toMatch(/^ {2}# - \{ id: gpt, provider: openai, model: gpt-4\.1-mini \} +# set OPENAI_API_KEY, then uncomment$/m);

    // The entry as written, pointed at the mock server: a valid config that eval runs, priced from the catalog.
    writeFileSync(file, config.replace("model: gemini-2.5-flash }", `model: gemini-2.5-flash, baseURL: "${mock.geminiBaseURL}" }`));
    const evaluated = await runCli(["eval", "--out", "run", "--no-cache", "--json"], { cwd: dir, env });
    expect(evaluated.code).toBe(0);
    expect(readRows(path.join(dir, "run")).filter((r) => r.error)).toEqual([]);
    expect(mock.requests.map((r) => r.api)).toEqual(["gemini", "gemini", "gemini", "gemini"]);
    expect(JSON.parse(evaluated.stdout).run.models[0].price).toMatchObject({ source: expect.stringMatching(/built-in catalog/) });
  });

  it("refuses to overwrite either file (exit 2, files unchanged); --force overwrites", async () => {
    const dir = emptyProject();
    writeFileSync(path.join(dir, "modelpick.yaml"), "# mine\n");
    const refused = await runCli(["init"], { cwd: dir, env: NO_KEYS });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`error: modelpick.yaml already exists in ${dir}: keep it, or run modelpick init --force to overwrite\n`);
    expect(readFileSync(path.join(dir, "modelpick.yaml"), "utf8")).toBe("# mine\n");
    expect(existsSync(path.join(dir, "datasets"))).toBe(false);

    const forced = await runCli(["init", "--force"], { cwd: dir, env: NO_KEYS });
    expect(forced.code).toBe(0);
    expect(readFileSync(path.join(dir, "modelpick.yaml"), "utf8")).toMatch(/^# modelpick starter config/);
    const again = await runCli(["init"], { cwd: dir, env: NO_KEYS });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^error: modelpick\.yaml and datasets\/starter\.yaml already exist in /);
  });
});
