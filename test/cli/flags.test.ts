import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { addFlags, nonEmptyList, numberIn, volume, type FlagTable } from "../../src/cli/flags.js";
import { InputError } from "../../src/errors.js";

interface Options {
  cwd: string;
  tokensPerDay?: number;
  pricesFile?: string;
  models?: string[];
  files?: string[];
  batch?: boolean;
  share?: number;
}

const TABLE: FlagTable<Options> = {
  cwd: null,
  tokensPerDay: { flag: "--tokens-per-day <n>", description: "volume", parse: volume },
  pricesFile: { flag: "--prices <file>", description: "prices" },
  models: { flag: "-m, --models <list>", description: "models", parse: nonEmptyList("model names") },
  files: { flag: "--file <file...>", description: "files" },
  batch: { flag: "--batch", description: "batch" },
  share: { flag: "--share <x>", description: "a share", parse: numberIn({ min: 0, max: 1 }) },
};

function parse(args: string[]): Partial<Options> {
  const command = new Command("test").exitOverride();
  const options = addFlags(command, TABLE);
  let parsed: Partial<Options> = {};
  command.action((flags: Record<string, unknown>) => {
    parsed = options(flags);
  });
  command.parse(args, { from: "user" });
  return parsed;
}

describe("a flag table", () => {
  it("reads each flag back as the option it sets, parsed, and leaves out the flags not given", () => {
    expect(parse(["--tokens-per-day", "100m", "--prices", "p.json", "-m", "a, b", "--file", "x", "y", "--batch"])).toEqual({
      tokensPerDay: 100e6,
      pricesFile: "p.json",
      models: ["a", "b"],
      files: ["x", "y"],
      batch: true,
    });
    expect(parse([])).toEqual({});
  });

  it("gives no flag to an option decided flagless", () => {
    expect(() => parse(["--cwd", "/"])).toThrow(/unknown option '--cwd'/);
  });

  it.each([
    [["--tokens-per-day", "lots"], /^--tokens-per-day: "lots" is not a positive volume/],
    [["--share", "2"], /^--share: "2" is not valid; expected a number at least 0 and at most 1$/],
    [["--models", " , "], /^--models: expected a comma-separated list of model names$/],
  ])("refuses %j with an InputError naming the flag", (args, message) => {
    expect(() => parse(args)).toThrow(InputError);
    expect(() => parse(args)).toThrow(message);
  });

  it("is checked by the compiler: every option needs a decision, and a parser where commander gives no such value", () => {
    // @ts-expect-error: `share` has no flag decision
    const missing: FlagTable<{ share?: number; cwd: string }> = { cwd: null };
    // @ts-expect-error: a number needs a parser
    const unparsed: FlagTable<{ share?: number }> = { share: { flag: "--share <x>", description: "a share" } };
    // @ts-expect-error: a list of strings from one value needs a parser (or a variadic flag)
    const list: FlagTable<{ models?: string[] }> = { models: { flag: "--models <list>", description: "models" } };
    expect([missing, unparsed, list]).toHaveLength(3);
  });
});
