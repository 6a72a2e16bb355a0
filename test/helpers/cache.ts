import { existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The response cache's entry files (two-level fan-out: ab/cdef….json), regular files only. */
export function cacheEntries(cacheDir: string): string[] {
  if (!existsSync(cacheDir)) return [];
  return readdirSync(cacheDir)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) =>
      readdirSync(path.join(cacheDir, d))
        .filter((f) => /^[0-9a-f]{62}\.json$/.test(f))
        .map((f) => path.join(cacheDir, d, f)),
    )
    .filter((file) => lstatSync(file).isFile());
}

/** Back-dates an entry by rewriting the date stored in it, as if its answer had been received `ageMs` ago. */
export function backdate(file: string, ageMs: number): void {
  const entry = JSON.parse(readFileSync(file, "utf8")) as { receivedAt?: unknown };
  if (typeof entry.receivedAt !== "string") throw new Error(`${file} has no receivedAt date`);
  entry.receivedAt = new Date(Date.now() - ageMs).toISOString();
  writeFileSync(file, JSON.stringify(entry));
}
