import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { LOCK_FILE, lockDir } from "../../src/io/lock.js";

const fresh = () => mkdtempSync(path.join(tmpdir(), "modelpick-lock-"));

it("holds the directory until released, records who holds it, and refuses a second holder while it lives", () => {
  const dir = fresh();
  const lock = lockDir(dir, "modelpick eval");
  const holder = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), "utf8"));
  expect(holder).toMatchObject({ pid: process.pid, hostname: hostname(), command: "modelpick eval" });
  expect(Date.parse(holder.startedAt)).toBeGreaterThan(Date.now() - 60_000);
  expect(() => lockDir(dir, "modelpick import")).toThrow(InputError);
  expect(() => lockDir(dir, "modelpick import")).toThrow(/is in use by modelpick eval \(pid \d+, started \d\d:\d\d:\d\d UTC\)/);
  lock.release();
  lock.release();
  expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  lockDir(dir, "modelpick import").release();
});

it("removes its exit and signal listeners on release, so locks taken one after another do not pile up", () => {
  const dir = fresh();
  const before = ["exit", "SIGINT", "SIGTERM"].map((e) => process.listenerCount(e));
  for (let i = 0; i < 20; i++) lockDir(dir, "modelpick eval").release();
  expect(["exit", "SIGINT", "SIGTERM"].map((e) => process.listenerCount(e))).toEqual(before);
});

it("does not remove a lock that is no longer its own", () => {
  const dir = fresh();
  const lock = lockDir(dir, "modelpick eval");
  const file = path.join(dir, LOCK_FILE);
  // Someone cleared it by hand and another command took the directory meanwhile.
  writeFileSync(`${file}.other`, "x");
  renameSync(`${file}.other`, file);
  lock.release();
  expect(readFileSync(file, "utf8")).toBe("x");
});

it("takes over a lock whose process is gone, and says so", () => {
  const dir = fresh();
  writeFileSync(
    path.join(dir, LOCK_FILE),
    JSON.stringify({ pid: 2 ** 22 + 17, hostname: hostname(), startedAt: "2026-01-02T03:04:05.000Z", command: "modelpick eval", args: [] }),
  );
  const lock = lockDir(dir, "modelpick eval");
  expect(lock.note).toMatch(
    /took over .*\.modelpick\.lock, left by modelpick eval \(pid 4194321, started 2026-01-02 03:04:05 UTC\), which is no longer running/,
  );
  expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
  lock.release();
});

it("refuses an unreadable lock rather than guess", () => {
  const dir = fresh();
  writeFileSync(path.join(dir, LOCK_FILE), "");
  expect(() => lockDir(dir, "modelpick eval")).toThrow(/cannot be read; if no modelpick command is writing to .*, remove that file/);
});
