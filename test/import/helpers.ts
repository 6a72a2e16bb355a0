import { fileURLToPath } from "node:url";
import { importResults, type ImportRequest } from "../../src/import/index.js";
import { readResultsDir } from "../../src/results/store.js";
import { tempDir } from "../routing/fixtures.js";

export const FIXTURES = fileURLToPath(new URL("../fixtures/routing/", import.meta.url));

/** Imports a fixture into a fresh directory and reads the directory back as recommend would. */
export async function importFixture(name: string, request: Partial<ImportRequest> & Pick<ImportRequest, "format">) {
  return importInto({ file: `${FIXTURES}${name}`, ...request });
}

/** Imports a file or directory into a fresh directory (the request's defaults: no options) and reads it back. */
export async function importInto(request: Partial<ImportRequest> & Pick<ImportRequest, "file" | "format">) {
  const outDir = tempDir("modelpick-import-");
  const outcome = await importResults({
    outDir,
    columns: {},
    scoreScale: 1,
    selfHosted: [],
    sensitiveCategories: [],
    force: false,
    ...request,
  });
  const { rows, summary } = await readResultsDir(outDir);
  return { outcome, rows, summary: summary!, outDir };
}
