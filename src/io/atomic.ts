import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import { onFile } from "./fs-errors.js";

/**
 * Writes a whole file or nothing: the text goes to a temporary file beside it, which is then renamed over the target.
 * A run killed mid-write leaves the old file (or none), never a torn one. `durable` also flushes the data to disk
 * before the rename (power loss); many small files (cache entries) skip it, since a kill alone cannot tear them.
 * A filesystem error names the target file, not the temporary one.
 */
export function writeFileAtomic(file: string, text: string, { durable = true }: { durable?: boolean } = {}): void {
  onFile(file, "write", () => {
    const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now().toString(36)}.tmp`);
    const fd = openSync(tmp, "w");
    try {
      writeAll(fd, text);
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
  });
}

/** writeSync until every byte is out: a nearly full disk can take part of a write without an error. */
export function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let offset = 0; offset < bytes.length; ) {
    const written = writeSync(fd, bytes, offset, bytes.length - offset);
    // A device that takes nothing and reports no error would loop here forever.
    if (written === 0) throw Object.assign(new Error("write took no bytes"), { code: "EIO", syscall: "write" });
    offset += written;
  }
}
