import { describe, expect, it } from "vitest";
import { StreamedAnswer, cutAnswer } from "../../src/providers/streamed-answer.js";

const NOT_ABORTED = new AbortController().signal;

describe("StreamedAnswer", () => {
  it("keeps the text up to maxChars, then cuts it, marks it truncated and drops the output count", () => {
    const answer = new StreamedAnswer(performance.now(), 10);
    answer.inputTokens = 5;
    answer.outputTokens = 1;
    answer.addText("abcdef");
    answer.addText("ghij");
    expect(answer.truncated).toBe(false);
    answer.addText("k");
    answer.addText("more");
    const result = answer.result(NOT_ABORTED, "unfinished");
    expect(result).toMatchObject({ output: "abcdefghij", inputTokens: 5, truncated: true });
    expect(result.outputTokens).toBeUndefined();
  });

  it("still requires the model's end of answer when nothing was cut", () => {
    const answer = new StreamedAnswer(performance.now(), 10);
    answer.addText("abc");
    expect(() => answer.result(NOT_ABORTED, "stream ended early")).toThrow("stream ended early");
  });
});

describe("cutAnswer", () => {
  it("never cuts inside a surrogate pair", () => {
    expect(cutAnswer("ab🌍cd", 3)).toBe("ab");
    expect(cutAnswer("ab🌍cd", 4)).toBe("ab🌍");
    expect(cutAnswer("abc", 5)).toBe("abc");
  });
});
