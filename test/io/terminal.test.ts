import { describe, expect, it } from "vitest";
import { terminalSafe, terminalSafeJson } from "../../src/io/terminal.js";

describe("terminalSafe", () => {
  it("escapes C0 (but newline and tab), DEL, C1 and bidi controls", () => {
    expect(terminalSafe("a\u0000b\u0007c\u001b[2Jd\re\u007ff\u0085g\u009bh")).toBe("a\\x00b\\x07c\\x1b[2Jd\\x0de\\x7ff\\x85g\\x9bh");
    expect(terminalSafe("x\u202ey\u202az\u2066w\u2069")).toBe("x\\u202ey\\u202az\\u2066w\\u2069");
    expect(terminalSafe("line one\n\tline two")).toBe("line one\n\tline two");
  });

  it("escapes the line and paragraph separators, so one line of data is never shown as two", () => {
    expect(terminalSafe("one\u2028two\u2029three")).toBe("one\\u2028two\\u2029three");
  });

  it("leaves ordinary text alone, accents, CJK, emoji and right-to-left scripts included", () => {
    const text = "café 東京 🌍 مرحبا — “quoted” · 50 %";
    expect(terminalSafe(text)).toBe(text);
  });
});

describe("terminalSafeJson", () => {
  it("is JSON for the same value, with no control character left raw", () => {
    const value = { name: "a\u001b[31mb\u0000c\u007fd\u009be\u202ef\u2028g", n: 1 };
    const text = terminalSafeJson(value, 2);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
