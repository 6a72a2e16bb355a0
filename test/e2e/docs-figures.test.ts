/**
 * The figures docs/cost.md quotes in its worked example come from the command it shows: the command is read from the
 * doc, run through the bundle outside a project (as the doc says), and every quoted figure is looked for in the output.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers/cli.js";

const COST_DOC = readFileSync(path.join(ROOT, "docs", "cost.md"), "utf8");
const EXAMPLE = COST_DOC.slice(COST_DOC.indexOf("## Worked example"));

/** The arguments of the `$ modelpick cost …` line of the worked example, its `\` continuations joined. */
function exampleArgs(): string[] {
  const command = /^\$ modelpick (cost[\s\S]*?)\n```/m.exec(EXAMPLE)?.[1];
  if (!command) throw new Error("docs/cost.md: no `$ modelpick cost` command in the worked example");
  return command.replace(/\\\n/g, "").trim().split(/\s+/);
}

/** The rows of the worked example's table, as the doc prints them. */
function exampleRows(): string[] {
  return EXAMPLE.split("\n").filter((line) => /^\| [^-|]/.test(line) && !line.startsWith("| model |"));
}

function costOutsideAProject(args: string[]) {
  return runCli(args, { cwd: mkdtempSync(path.join(tmpdir(), "modelpick-docs-")) });
}

describe("docs/cost.md's worked example", () => {
  it("prints every row of the doc's table and the break-even volumes the doc quotes", async () => {
    const rows = exampleRows();
    expect(rows).toHaveLength(11);
    const result = await costOutsideAProject(exampleArgs());
    expect(result.code).toBe(0);
    for (const row of rows) expect(result.stdout).toContain(row);
    const breakEven = (api: string) => new RegExp(`^\\| llama-3\\.1-70b/vllm-0\\.5\\.4/2xh100-fp8 \\| ${api} \\| ([^ ]+) \\|`, "m").exec(result.stdout)?.[1];
    expect(["claude-fable-5-1", "gpt-6-astra", "gpt-5.5", "claude-opus-5-5", "claude-sonnet-4-6", "gpt-4o"].map(breakEven)).toEqual([
      "9.07m",
      "9.07m",
      "16.1m",
      "22.7m",
      "30.2m",
      "41.5m",
    ]);
    expect(["gpt-6-luna", "groq/llama-3.3-70b-versatile", "deepinfra/llama-3.3-70b-instruct-turbo"].map(breakEven)).toEqual(["never", "never", "never"]);
    expect(EXAMPLE).toContain(
      "9.07m tokens/day against Fable 5.1 / GPT-6 Astra, 16.1m against\nGPT-5.5, 22.7m against Opus 5.5, 30.2m against Sonnet 4.6 and 41.5m against GPT-4o",
    );
  });

  it("with --cache-hit-rate 0.3 --min-replicas 2, gives the figures of the doc's last bullet", async () => {
    const result = await costOutsideAProject([...exampleArgs(), "--cache-hit-rate", "0.3", "--min-replicas", "2"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\| claude-sonnet-4-6 \| api \| \$16,402 \|/m);
    expect(result.stdout).toMatch(/^\| claude-opus-5-5 \| api \| \$21,733 \|/m);
    expect(result.stdout).toMatch(/^\| llama-3\.1-70b\/vllm-0\.5\.4\/2xh100-fp8 \| self-hosted \| \$11,038 \| [^|]+ \| 4× h100 \| 8\.\d% /m);
    expect(result.stdout).toMatch(/^\| llama-3\.1-70b\/vllm-0\.5\.4\/2xh100-fp8 \| claude-sonnet-4-6 \| 67\.\dm \|/m);
    expect(EXAMPLE).toContain(
      "Sonnet 4.6 drops to $16,402, Opus 5.5 to $21,733, the self-hosted\n  fleet rises to $11,038 (4 H100, 8 % busy), and break-even moves to 67m tokens/day against Sonnet.",
    );
  });
});
