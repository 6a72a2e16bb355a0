import { readFileSync } from "node:fs";
import { InputError, errorMessage } from "../errors.js";
import { onFile, shownPath } from "./fs-errors.js";

export interface JsonFileKind {
  /** Written by modelpick itself, so invalid JSON most likely means a write was interrupted. */
  ours: boolean;
  /** What the user can do, e.g. "rerun the command that wrote it, or delete it: results.jsonl alone is enough". */
  remedy: string;
}

/**
 * A file's whole text, without the byte-order mark some editors put first; a filesystem error names the file (a read
 * of a directory, for one, would not).
 */
export function readTextFile(file: string): string {
  return withoutBom(onFile(file, "read", () => readFileSync(file, "utf8")));
}

/** `text` without a leading U+FEFF (the UTF-8 byte-order mark Windows editors and Excel write), which no parser skips. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads and parses a JSON file; invalid JSON is an InputError (exit 2) naming the file and what to do. */
export function readJsonFile(file: string, kind: JsonFileKind): unknown {
  return parseJsonText(readTextFile(file), file, kind);
}

export function parseJsonText(text: string, file: string, kind: JsonFileKind): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw notJson(shownPath(file), kind, error);
  }
}

/** The same, for one line of a JSON Lines file. */
export function parseJsonLine(line: string, file: string, lineNo: number, kind: JsonFileKind): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw notJson(`${shownPath(file)}:${lineNo}`, kind, error);
  }
}

function notJson(where: string, kind: JsonFileKind, error: unknown): InputError {
  const why = kind.ours ? " (torn by an interrupted write?)" : "";
  return new InputError(`${where} is not valid JSON${why}: ${errorMessage(error).split("\n")[0]}; ${kind.remedy}`);
}
