import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * Writes a whole file or nothing: the text goes to a temporary file beside it, which is then renamed over the target.
 * A run killed mid-write leaves the old file (or none), never a torn one. `durable` also flushes the data to disk
 * before the rename (power loss); many small files (cache entries) skip it, since a kill alone cannot tear them.
 */
export function writeFileAtomic(file: string, text: string, { durable = true }: { durable?: boolean } = {}): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  const fd = openSync(tmp, "w");
  try {
    writeSync(fd, text);
    if (durable) fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}
