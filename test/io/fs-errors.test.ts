import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { writeFileAtomic } from "../../src/io/atomic.js";
import { ensureDir } from "../../src/io/dirs.js";
import { annotateFsError, describeFsError, fsErrorData, fsErrorFromData, isFsError } from "../../src/io/fs-errors.js";
import { readJsonFile } from "../../src/io/json-file.js";

const fresh = () => mkdtempSync(path.join(tmpdir(), "modelpick-fs-"));

function thrown(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

it("decides on the error code: fs and gzip errors are the user's, anything else is not", () => {
  expect(isFsError(Object.assign(new Error("x"), { code: "ENOSPC" }))).toBe(true);
  expect(isFsError(thrown(() => gunzipSync(Buffer.from("not gzip"))))).toBe(true);
  expect(isFsError(Object.assign(new Error("ENOSPC: no space left on device"), { code: "ERR_INVALID_ARG_TYPE" }))).toBe(false);
  expect(isFsError(new TypeError("ENOENT"))).toBe(false);
});

it("names the file the user gave, not a temporary one, with the OS reason and any hint", () => {
  const dir = fresh();
  mkdirSync(path.join(dir, "target"));
  const error = thrown(() => writeFileAtomic(path.join(dir, "target"), "x"));
  expect(isFsError(error) && describeFsError(error, dir)).toBe("cannot write target: it is a directory");
  expect(readdirSync(dir)).toEqual(["target"]); // the temporary file is gone
  annotateFsError(error, { hint: "try elsewhere" });
  expect(isFsError(error) && describeFsError(error, dir)).toBe("cannot write target: it is a directory; try elsewhere");
});

it("keeps its words across a worker thread", () => {
  const dir = fresh();
  writeFileSync(path.join(dir, "file"), "x");
  const error = thrown(() => ensureDir(path.join(dir, "file", "sub")));
  if (!isFsError(error)) throw error;
  const rebuilt = fsErrorFromData(structuredClone(fsErrorData(error)));
  expect(isFsError(rebuilt)).toBe(true);
  expect(describeFsError(rebuilt)).toBe(describeFsError(error));
  expect(describeFsError(rebuilt)).toMatch(/^cannot create directory .*file\/sub: a part of the path is not a directory$/);
});

it("ensureDir creates missing parents, accepts an existing directory, and fails at once where mkdir cannot succeed", () => {
  const dir = fresh();
  ensureDir(path.join(dir, "a", "b", "c"));
  ensureDir(path.join(dir, "a", "b", "c"));
  expect(existsSync(path.join(dir, "a", "b", "c"))).toBe(true);
  if (existsSync("/proc/self")) expect((thrown(() => ensureDir("/proc/modelpick-nope/x")) as { code: string }).code).toBe("ENOENT");
});

it("readJsonFile: a torn file is an InputError naming it and what to do", () => {
  const dir = fresh();
  const file = path.join(dir, "summary.json");
  writeFileSync(file, '{"run": {"id": "x"');
  const error = thrown(() => readJsonFile(file, { ours: true, remedy: "delete it" }));
  expect(error).toBeInstanceOf(InputError);
  expect((error as Error).message).toMatch(/summary\.json is not valid JSON \(torn by an interrupted write\?\): .*; delete it$/);
});
