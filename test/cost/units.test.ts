import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { formatPerMTok, formatSigned, formatUsd, formatUsdRate, formatUsdSmall, formatVolume, parseNumber, parseVolume } from "../../src/cost/units.js";

describe("parseVolume", () => {
  it.each([
    ["250k", 250_000],
    ["100m", 100_000_000],
    ["100M", 100_000_000],
    ["1.5b", 1_500_000_000],
    ["2000", 2000],
    ["1_000_000", 1_000_000],
    [" 3k ", 3000],
  ])("reads %s as %d", (text, expected) => {
    expect(parseVolume(text, "--tokens-per-day")).toBe(expected);
  });

  it.each(["-5m", "0", "0k", "abc", "1.2.3m", "5x", ""])("rejects %j with an InputError naming the flag", (text) => {
    expect(() => parseVolume(text, "--tokens-per-day")).toThrow(InputError);
    expect(() => parseVolume(text, "--tokens-per-day")).toThrow(/--tokens-per-day/);
  });
});

describe("parseNumber", () => {
  it("accepts numbers inside the range and rejects the rest", () => {
    expect(parseNumber("0.3", "--cache-hit-rate", { min: 0, max: 1 })).toBe(0.3);
    expect(() => parseNumber("1.2", "--cache-hit-rate", { min: 0, max: 1 })).toThrow(/at most 1/);
    expect(() => parseNumber("0", "--utilization", { min: 0, max: 1, exclusiveMin: true })).toThrow(/more than 0/);
    expect(() => parseNumber("2.5", "--min-replicas", { min: 1, integer: true })).toThrow(/whole number/);
    expect(() => parseNumber("x", "--peak-factor", { min: 1 })).toThrow(InputError);
  });
});

describe("formatting", () => {
  it("writes volumes with k/m/b and dollars with separators", () => {
    expect(formatVolume(100_000_000)).toBe("100m");
    expect(formatVolume(1_500_000_000)).toBe("1.5b");
    expect(formatVolume(30_241_000)).toBe("30.2m");
    expect(formatVolume(250_000)).toBe("250k");
    expect(formatUsd(18_250)).toBe("$18,250");
    expect(formatUsd(12.5)).toBe("$12.50");
    expect(formatUsd(99.996)).toBe("$100");
    expect(formatUsd(99.994)).toBe("$99.99");
  });
});

describe("money", () => {
  it("formatUsd: whole dollars with separators from $100, cents below", () => {
    expect(formatUsd(5519.4)).toBe("$5,519");
    expect(formatUsd(1_234_567)).toBe("$1,234,567");
    expect(formatUsd(99.5)).toBe("$99.50");
    expect(formatUsd(-2759)).toBe("-$2,759");
  });

  it("formatUsdSmall: fractions of a cent for per-request costs, else as formatUsd", () => {
    expect(formatUsdSmall(0.0042)).toBe("$0.0042");
    expect(formatUsdSmall(0.42)).toBe("$0.4200");
    expect(formatUsdSmall(4.38)).toBe("$4.38");
    // Rounds up to a dollar: printed as dollars, not "$1.0000".
    expect(formatUsdSmall(0.99999)).toBe("$1.00");
    expect(formatUsdSmall(0.99994)).toBe("$0.9999");
    expect(formatUsdSmall(5519)).toBe("$5,519");
    expect(formatUsdSmall(0)).toBe("$0.0000");
    expect(formatUsdSmall(0.00001)).toBe("<$0.0001");
  });

  it("formatPerMTok: separators on large effective prices too", () => {
    expect(formatPerMTok(90_727.3)).toBe("$90,727.30");
    expect(formatPerMTok(1.8138)).toBe("$1.81");
    expect(formatPerMTok(0.195)).toBe("$0.195");
  });
});

describe("formatSigned: the one signed difference of every report", () => {
  it.each([
    [0.0224, 3, "+0.022"],
    [-0.18, 3, "−0.180"],
    [0, 3, "+0.000"],
    [-0.0001, 3, "+0.000"], // rounds to zero: no "−0.000"
    [-0.004, 2, "+0.00"],
    [-0.23, 2, "−0.23"],
    [Number.POSITIVE_INFINITY, 2, "+∞"],
    [Number.NEGATIVE_INFINITY, 3, "−∞"],
  ])("%d to %d places is %s", (value, decimals, expected) => {
    expect(formatSigned(value, decimals)).toBe(expected);
  });
});

describe("formatUsdRate: a rate as its source states it", () => {
  it.each([
    [3.78, "$3.78"],
    [2.4984, "$2.4984"],
    [1234.5, "$1,234.5"],
    [0.1 + 0.2, "$0.3"],
  ])("%d is %s", (value, expected) => {
    expect(formatUsdRate(value)).toBe(expected);
  });
});
