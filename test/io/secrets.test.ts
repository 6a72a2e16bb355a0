import { describe, expect, it } from "vitest";
import { redactOutputStreams, redactSecrets, registerSecrets, secretFreeJson } from "../../src/io/secrets.js";

const KEY = "sk-proj-Q1w2E3r4T5y6U7i8O9p0";
const OTHER = "tok-ABCDEFGH-9876";

/** Every 8-character piece of `secret` found in `text`. */
function pieces(text: string, secret: string): string[] {
  const found: string[] = [];
  for (let i = 0; i + 8 <= secret.length; i++) if (text.includes(secret.slice(i, i + 8))) found.push(secret.slice(i, i + 8));
  return found;
}

// The registry is process-wide: these tests run in order, the first before any secret is registered.
describe("secret redaction", () => {
  it("does nothing while no secret is registered, and keys under 8 characters are no secrets", () => {
    const text = `key ${KEY} and x`;
    expect(redactSecrets(text)).toBe(text);
    registerSecrets(["x", "short12", "", undefined]);
    expect(redactSecrets("a max of x, short12, short123")).toBe("a max of x, short12, short123");
  });

  it("replaces every whole secret", () => {
    registerSecrets([KEY, OTHER]);
    expect(redactSecrets(`key ${KEY} and again ${KEY}; other ${OTHER}.`)).toBe("key *** and again ***; other ***.");
    expect(redactSecrets(`Authorization: Bearer ${KEY}`)).toBe("Authorization: Bearer ***");
  });

  it("replaces any piece of 8 characters or more, anywhere, and keeps pieces of 7", () => {
    expect(redactSecrets(`head ${KEY.slice(0, 8)} middle ${KEY.slice(9, 20)} tail ${KEY.slice(-8)}`)).toBe("head *** middle *** tail ***");
    expect(redactSecrets(`${KEY.slice(0, 7)} ${KEY.slice(5, 12)}`)).toBe(`${KEY.slice(0, 7)} ${KEY.slice(5, 12)}`);
    // Glued to other text, or two secrets side by side: one span.
    expect(redactSecrets(`abc${KEY.slice(3)}${OTHER}xyz`)).toBe("abc***xyz");
    for (let cut = 8; cut <= KEY.length; cut++) {
      const redacted = redactSecrets(`"${KEY.slice(0, cut)}"`);
      expect(pieces(redacted, KEY), `first ${cut} characters`).toEqual([]);
    }
  });

  it("a piece cut anywhere after redaction is never recognisable", () => {
    const text = `${"m".repeat(285)}${KEY}${"z".repeat(40)}`;
    const redacted = redactSecrets(text);
    for (let cut = 0; cut <= redacted.length; cut++) expect(pieces(redacted.slice(0, cut), KEY)).toEqual([]);
  });

  it("writes JSON whose strings are redacted and which stays valid whatever the secret holds", () => {
    const awkward = 'pa"ss\\word-0123456789';
    registerSecrets([awkward]);
    const value = { output: `say ${awkward} and ${KEY}`, nested: [{ error: OTHER }], n: 12345678 };
    const text = secretFreeJson(value, 2);
    expect(JSON.parse(text)).toEqual({ output: "say *** and ***", nested: [{ error: "***" }], n: 12345678 });
    expect(pieces(text, KEY)).toEqual([]);
    // A piece with a quote and a backslash in it, which JSON escapes, is found all the same.
    expect(JSON.parse(secretFreeJson({ only: `x${awkward.slice(1, 12)}y` }))).toEqual({ only: "x***y" });
  });

  it("finds a key at the end of a megabyte of text, and near misses do not match", () => {
    // Text made of near misses: every 7-character prefix of the key, which starts many windows that never match.
    const nearMisses = `${KEY.slice(0, 7)}.`.repeat(50_000);
    expect(redactSecrets(nearMisses)).toBe(nearMisses);
    const long = `${"lorem ipsum ".repeat(100_000)}${KEY}`;
    expect(redactSecrets(long).endsWith("lorem ipsum ***")).toBe(true);
  });

  it("agrees with a naive search of every 8-character window, on random text near the secrets", () => {
    // A small alphabet makes windows that almost match, and runs broken by characters no secret has (" ", ".").
    const alphabet = "ab12 .";
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const randomText = (length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    const secrets = [randomText(20).replaceAll(" ", "a").replaceAll(".", "b"), randomText(12).replaceAll(" ", "1").replaceAll(".", "2")];
    registerSecrets(secrets);
    const known = [KEY, OTHER, 'pa"ss\\word-0123456789', ...secrets];
    const naive = (text: string) => {
      const covered = new Array<boolean>(text.length).fill(false);
      for (let i = 0; i + 8 <= text.length; i++) {
        if (known.some((secret) => secret.includes(text.slice(i, i + 8)))) covered.fill(true, i, i + 8);
      }
      return text.replace(/[\s\S]/g, (char, i: number) => (covered[i] ? "\u0000" : char)).replace(/\u0000+/g, "***");
    };
    for (let round = 0; round < 300; round++) {
      const text = Array.from({ length: 6 }, () =>
        random() < 0.5
          ? randomText(Math.floor(random() * 12))
          : secrets[Math.floor(random() * 2)]!.slice(Math.floor(random() * 6), 8 + Math.floor(random() * 12)),
      ).join("");
      expect(redactSecrets(text), JSON.stringify(text)).toBe(naive(text));
    }
  });

  it("redacts strings and bytes written to stdout and stderr", () => {
    const written: unknown[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: unknown) => {
      written.push(chunk);
      return true;
    }) as typeof process.stderr.write;
    try {
      redactOutputStreams();
      process.stderr.write(`error: ${KEY}\n`);
      process.stderr.write(Buffer.from(`headers: { authorization: 'Bearer ${KEY}' }\n`));
      process.stderr.write(new Uint8Array([0xff, 0x00, 0x41]));
    } finally {
      process.stderr.write = original;
    }
    expect(written[0]).toBe("error: ***\n");
    expect(Buffer.from(written[1] as Uint8Array).toString()).toBe("headers: { authorization: 'Bearer ***' }\n");
    expect([...(written[2] as Uint8Array)]).toEqual([0xff, 0x00, 0x41]);
  });
});
