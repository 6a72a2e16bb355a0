import { describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { formatUsd, formatVolume, parseNumber, parseVolume } from "../../src/cost/units.js";

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
  });
});
