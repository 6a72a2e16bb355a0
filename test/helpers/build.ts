import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/** End-to-end tests run the real bin/modelpick.js, so compile once before the suite (type errors fail `npm run typecheck`, not this). */
export default function setup(): void {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  try {
    execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "tsconfig.json"], { cwd: root, stdio: "pipe" });
  } catch {
    // tsc still emits JavaScript when it reports type errors; the tests then show what is broken.
  }
}
