import { InputError } from "../../errors.js";

export type LlamaCpp = typeof import("node-llama-cpp");

export const LLAMA_CPP_PACKAGE = "node-llama-cpp";

/**
 * node-llama-cpp is an optional peer dependency: modelpick installs without it on any platform, and only local GGUF
 * models (`provider: llama-cpp`, `models --local`, `bench-local`) load it. When it is not installed that is a usage
 * error (exit 2) naming the command that fixes it; any other failure to load it (a broken install) is passed on.
 */
export async function importLlamaCpp(): Promise<LlamaCpp> {
  try {
    return await import("node-llama-cpp");
  } catch (error) {
    if (isNotInstalled(LLAMA_CPP_PACKAGE, error)) {
      throw new InputError(`${LLAMA_CPP_PACKAGE} is not installed: npm i ${LLAMA_CPP_PACKAGE} to run local GGUF models`);
    }
    throw error;
  }
}

/**
 * True when the import failed because the package itself cannot be found, not one of its own dependencies: decided
 * on the error code and on resolving the package by name, never on the wording of the message.
 */
function isNotInstalled(name: string, error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code !== "ERR_MODULE_NOT_FOUND") return false;
  try {
    import.meta.resolve(name);
    return false;
  } catch {
    return true;
  }
}
