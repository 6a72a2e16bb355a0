/**
 * `modelpick check` against routing files that were edited, cut short or made up: it regenerates a .ts file from the
 * data it embeds and compares byte for byte, and refuses YAML/JSON keys it does not know.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.js";
import {
  CHECK_MODELS as MODELS,
  checkResults as results,
  degradedCheckResults as degraded,
  rowsFor,
  runModel,
  tempDir,
  writeResultsDir,
} from "../routing/fixtures.js";

const ALL = "1".repeat(30);
const ROUTE_REQUEST_GUARD = "  if (dataSensitive === false) return MODEL_ROUTING[task];";

let dir: string;
let pristine: string;
let pristineYaml: string;

beforeAll(async () => {
  dir = tempDir("modelpick-check-file-");
  writeResultsDir(path.join(dir, "before"), results(), MODELS);
  writeResultsDir(path.join(dir, "after"), degraded(), MODELS);
  // Every optional criterion set, so that the document round-trips with all its fields.
  const criteria = ["--tokens-per-day", "10m", "--max-p95-ms", "5000", "--mix", "extraction=0.7,pii=0.3", "--within", "0.05", "--org-mau", "1000"];
  const [ts, yaml] = await Promise.all([
    runCli(["recommend", "--results", "before", ...criteria, "--format", "ts", "--out", "routing.ts"], { cwd: dir }),
    runCli(["recommend", "--results", "before", ...criteria, "--format", "yaml", "--out", "routing.yaml"], { cwd: dir }),
  ]);
  expect(ts.code, ts.stderr).toBe(0);
  expect(yaml.code, yaml.stderr).toBe(0);
  pristine = readFileSync(path.join(dir, "routing.ts"), "utf8");
  pristineYaml = readFileSync(path.join(dir, "routing.yaml"), "utf8");
  expect(pristine).toContain(ROUTE_REQUEST_GUARD);
});

async function check(name: string, text: string | Buffer, ...args: string[]): Promise<CliResult> {
  writeFileSync(path.join(dir, name), text);
  return runCli(["check", name, "--results", "before", ...args], { cwd: dir });
}

function lineOf(text: string, line: string): number {
  return text.split("\n").indexOf(line) + 1;
}

function expectNoCrash(result: CliResult): void {
  expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
}

describe("check on a hand-edited routing .ts file", () => {
  it("passes an untouched file (exit 0): the file is exactly what its data regenerates", async () => {
    const result = await check("untouched.ts", pristine);
    expectNoCrash(result);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/^modelpick check: every route in untouched\.ts still holds/);
    expect(result.stdout).not.toMatch(/edited by hand/);
  });

  it("a checkout with CRLF line endings is not an edit", async () => {
    const result = await check("crlf.ts", pristine.replace(/\n/g, "\r\n"));
    expectNoCrash(result);
    expect(result.code, result.stdout).toBe(0);
  });

  it("routeRequest edited to send sensitive data to a cloud model: exit 1 with the line, both versions and how to regenerate", async () => {
    const line = lineOf(pristine, ROUTE_REQUEST_GUARD);
    const result = await check("edited.ts", pristine.replace(ROUTE_REQUEST_GUARD, "  return MODEL_ROUTING[task];"));
    expectNoCrash(result);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^modelpick check: edited\.ts was edited by hand/);
    expect(result.stdout).toContain(`- ${line}: ${ROUTE_REQUEST_GUARD}`);
    expect(result.stdout).toContain(`+ ${line}:   return MODEL_ROUTING[task];`);
    expect(result.stdout).toContain("regenerate it with `modelpick check edited.ts --update`");
    // The routes in its data still hold, and the output says so rather than claiming the file is fine.
    expect(result.stdout).toMatch(/every route in the data of edited\.ts still holds/);
  });

  it("a file that no longer compiles is exit 1 with the stray line", async () => {
    const anchor = "/** The model for each task category, chosen on measured quality and cost. */";
    const result = await check("broken.ts", pristine.replace(anchor, `export const oops = ;\n${anchor}`));
    expectNoCrash(result);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`+ ${lineOf(pristine, anchor)}: export const oops = ;`);
  });

  it("an edited evidence comment or a missing final newline is an edit too", async () => {
    const comment = await check("comment.ts", pristine.replace('"extraction" → "small": quality 1.000', '"extraction" → "small": quality 0.999'));
    expect(comment.code).toBe(1);
    expect(comment.stdout).toMatch(/edited by hand/);
    const noNewline = await check("no-newline.ts", pristine.trimEnd());
    expectNoCrash(noNewline);
    expect(noNewline.code).toBe(1);
    expect(noNewline.stdout).toMatch(/^ {2}- \d+: \(end of file, after a final newline\)$/m);
  });

  it("an edit to the embedded data itself (a sensitive route declared cloud) is not a routing table modelpick wrote (exit 2)", async () => {
    const result = await check("data-edit.ts", pristine.replace(/"hosting": "self-hosted"/g, '"hosting": "cloud"'));
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data-edit\.ts: sensitiveRoutes\.pii\.hosting: a sensitive route must be self-hosted/);
  });

  it("the per-item outcomes in the embedded data are base64 and nothing else: code put in their place is refused (exit 2)", async () => {
    const ids = /"ids": "([A-Za-z0-9+/=]+)"/.exec(pristine)![1]!;
    const injected = pristine.replace(`"ids": "${ids}"`, '"ids": "*/ globalThis.pwned = 1; /*"');
    const result = await check("injected.ts", injected);
    expectNoCrash(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^error: injected\.ts: items\.extraction: not base64 \(injected\.ts is not a routing table written by modelpick recommend; regenerate it/,
    );
    const outcomes = /"data": "([A-Za-z0-9+/=]+)"/.exec(pristine)![1]!;
    const truncated = await check("outcomes.ts", pristine.replace(`"data": "${outcomes}"`, `"data": "${outcomes.slice(0, 4)}"`));
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(/outcomes\.ts: routes\.extraction\.evidence\.outcomes: \d+ byte\(s\) of outcomes for 30 items/);
  });

  it("keeps the diff short when every line differs, and escapes control characters", async () => {
    // Every line indented except the `export const` lines check reads the data after: all differ, all still parse.
    const shifted = pristine
      .split("\n")
      .map((l) => (l === "" || l.startsWith("export const ") ? l : ` ${l}`))
      .join("\n")
      .replace("// Model routing table", "// \u001b[2J\u0007Model\u202e routing\u2028table");
    const result = await check("shifted.ts", shifted);
    expectNoCrash(result);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u2028\u2029\u202a-\u202e]/);
    expect(result.stdout).toContain("\\x1b[2J\\x07Model\\u202e routing\\u2028table");
    const diffLines = result.stdout.split("\n").filter((l) => /^\s+[-+] \d+: /.test(l));
    expect(diffLines.length).toBeGreaterThan(4);
    expect(diffLines.length).toBeLessThanOrEqual(24);
    expect(result.stdout).toMatch(/… and \d+ more/);
    expect(Math.max(...result.stdout.split("\n").map((l) => l.length))).toBeLessThanOrEqual(260);
  });

  it("JUnit and the step summary report the hand edit as a failure", async () => {
    const summary = path.join(dir, "summary-edited.md");
    writeFileSync(path.join(dir, "edited2.ts"), pristine.replace(ROUTE_REQUEST_GUARD, "  return MODEL_ROUTING[task];"));
    const result = await runCli(["check", "edited2.ts", "--results", "before", "--junit", "edited2.xml"], {
      cwd: dir,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.code).toBe(1);
    expect(readFileSync(summary, "utf8")).toMatch(/^## modelpick check: ❌ edited2\.ts was edited by hand/);
    expect(readFileSync(summary, "utf8")).toContain("+ ");
    const junit = readFileSync(path.join(dir, "edited2.xml"), "utf8");
    expect(junit).toMatch(/<testcase classname="modelpick.routing" name="edited2.ts is as generated">\s*<failure message="edited by hand/);
    expect(junit).toMatch(/failures="1"/);
  });
});

describe("check on a routing .ts file with hostile names", () => {
  it("regenerates a table whose model and category names hold quotes, comment ends, line separators and control characters byte for byte", async () => {
    const category = 'x"; */ globalThis.pwned = 1; //\u2028`${1}`\u001b[2J';
    const model = '*/ "\\" \r\n// \u2029</script>\u0007';
    const hostile = tempDir("modelpick-check-names-");
    writeResultsDir(
      path.join(hostile, "run"),
      [...rowsFor(model, category, ALL, { costUsd: 0.001 }), ...rowsFor("big", category, ALL, { costUsd: 0.01 })],
      [runModel(model), runModel("big")],
    );
    const made = await runCli(["recommend", "--results", "run", "--format", "ts", "--out", "routing.ts"], { cwd: hostile });
    expect(made.code, made.stderr).toBe(0);
    expect(readFileSync(path.join(hostile, "routing.ts"), "utf8")).toContain("globalThis.pwned");
    const result = await runCli(["check", "routing.ts", "--results", "run"], { cwd: hostile });
    expectNoCrash(result);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).not.toMatch(/edited by hand/);
  });
});

describe("check on a routing .ts file it cannot read", () => {
  it("a file truncated mid-way is exit 2 naming the file and what is wrong", async () => {
    for (const share of [0.3, 0.6, 0.9, 0.995]) {
      const result = await check("truncated.ts", pristine.slice(0, Math.floor(pristine.length * share)));
      expectNoCrash(result);
      expect(result.code, `cut at ${share}: ${result.stdout}`).toBe(2);
      expect(result.stderr).toMatch(/^error: truncated\.ts(:\d+)?: /);
      expect(result.stderr).toMatch(/cut off|no `export const|not valid JSON/);
      expect(result.stderr).toMatch(/modelpick recommend --format ts --out truncated\.ts/);
    }
  });

  it("garbage, binary and empty files are exit 2", async () => {
    const garbage: Array<string | Buffer> = [
      "hello world\n",
      Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x00, 0x1b]),
      "",
      "export const MODEL_ROUTING = {not json};\n",
    ];
    for (const text of garbage) {
      const result = await check("garbage.ts", text);
      expectNoCrash(result);
      expect(result.code, String(text)).toBe(2);
      expect(result.stderr).toMatch(/^error: garbage\.ts(:\d+)?: /);
      expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    }
  });
});

describe("check --update", () => {
  it("says plainly that the file was rewritten and which routes changed; the rewritten file then checks clean", async () => {
    writeFileSync(path.join(dir, "update.ts"), pristine);
    const result = await runCli(["check", "update.ts", "--results", "after", "--update"], { cwd: dir });
    expectNoCrash(result);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/1 of 3 route\(s\) in update\.ts no longer hold/);
    expect(result.stdout).toMatch(/^update\.ts rewritten: 1 of 4 routes changed \(extraction: small → big\)$/m);
    expect(readFileSync(path.join(dir, "update.ts"), "utf8")).toMatch(/"extraction": \{\n {4}"id": "big"/);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const again = await runCli(["check", "update.ts", "--results", "after"], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
  });

  it("replaces hand edits and says so", async () => {
    const result = await check("handedit-update.ts", pristine.replace(ROUTE_REQUEST_GUARD, "  return MODEL_ROUTING[task];"), "--update");
    expectNoCrash(result);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^handedit-update\.ts rewritten: no route changed; hand edits replaced$/m);
    expect(readFileSync(path.join(dir, "handedit-update.ts"), "utf8")).toContain(ROUTE_REQUEST_GUARD);
    const again = await runCli(["check", "handedit-update.ts", "--results", "before"], { cwd: dir });
    expect(again.code, again.stdout).toBe(0);
  });
});

describe("check on YAML and JSON routing files", () => {
  it("an unknown key is exit 2 with the closest known key", async () => {
    const typo = pristineYaml.replace("  extraction:\n    id: small\n", "  extraction:\n    id: small\n    baseUrl: http://gpu-box:8000/v1\n");
    const yaml = await check("typo.yaml", typo);
    expectNoCrash(yaml);
    expect(yaml.code).toBe(2);
    expect(yaml.stderr).toMatch(/typo\.yaml: routes\.extraction: unknown key "baseUrl"; did you mean "baseURL"\?/);

    const document = JSON.parse(JSON.stringify((await import("yaml")).parse(pristineYaml)));
    document.generatedFrom.criteria.minQualty = 0.9;
    document.sensitveRoutes = {};
    const json = await check("typo.json", JSON.stringify(document, null, 2));
    expect(json.code).toBe(2);
    expect(json.stderr).toMatch(/typo\.json: generatedFrom\.criteria: unknown key "minQualty"; did you mean "minQuality"\?/);
    expect(json.stderr).toMatch(/typo\.json: \(top level\): unknown key "sensitveRoutes"; did you mean "sensitiveRoutes"\?/);
  });

  it("a sensitive route hand-edited to a cloud model fails (exit 1), and one declared cloud is not a routing table (exit 2)", async () => {
    const yaml = await import("yaml");
    const document = yaml.parse(pristineYaml);
    Object.assign(document.routes.pii, { id: "big", model: "big", hosting: "cloud" });
    // The file still says self-hosted, but "big" is a cloud model in the results.
    Object.assign(document.sensitiveRoutes.pii, { id: "big", model: "big" });
    const result = await check("cloudy.json", JSON.stringify(document, null, 2));
    expectNoCrash(result);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^✗ pii → big/m);
    expect(result.stdout).toMatch(/^✗ pii \(sensitive data\) → big/m);
    expect(result.stdout).toMatch(/sensitive data must stay self-hosted, but big is cloud/);

    const declared = yaml.parse(pristineYaml);
    Object.assign(declared.sensitiveRoutes.pii, { id: "big", model: "big", hosting: "cloud" });
    const refused = await check("cloudy2.json", JSON.stringify(declared, null, 2));
    expectNoCrash(refused);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/sensitiveRoutes\.pii\.hosting: a sensitive route must be self-hosted/);
  });
});

describe("hostile names in routing files (Trojan Source)", () => {
  // A bidi override, an isolate, a C1 CSI, ESC and a line separator: each changes what a reviewer sees.
  const CATEGORY = "pii\u202e\u2066\u009b31m\u001b[2J\u2028x";
  const MODEL = "small\u202egpt\u0085";
  const INVISIBLE = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

  it.each(["ts", "yaml", "json"])("recommend --format %s writes them as escapes, reads them back exactly, and check passes", async (format) => {
    const hostileDir = tempDir("modelpick-trojan-");
    const models = [runModel("big"), runModel(MODEL)];
    writeResultsDir(
      path.join(hostileDir, "res"),
      [...rowsFor("big", CATEGORY, ALL, { costUsd: 0.01 }), ...rowsFor(MODEL, CATEGORY, ALL, { costUsd: 0.001 })],
      models,
    );
    const made = await runCli(["recommend", "--results", "res", "--format", format, "--out", `routing.${format}`], { cwd: hostileDir });
    expect(made.code, made.stderr).toBe(0);
    const text = readFileSync(path.join(hostileDir, `routing.${format}`), "utf8");
    const found = INVISIBLE.exec(text);
    expect(found && JSON.stringify(text.slice(Math.max(0, found.index - 40), found.index + 20))).toBeNull();
    expect(text).toContain("\\u202e");
    const printed = await runCli(["recommend", "--results", "res", "--format", format], { cwd: hostileDir });
    expect(printed.stdout).toBe(text);

    const checked = await runCli(["check", `routing.${format}`, "--results", "res", "--format", "json"], { cwd: hostileDir });
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    const report = JSON.parse(checked.stdout);
    expect(JSON.stringify(report)).toContain(JSON.stringify(CATEGORY).slice(1, -1));
    expect(JSON.stringify(report)).toContain(JSON.stringify(MODEL).slice(1, -1));
  });
});
