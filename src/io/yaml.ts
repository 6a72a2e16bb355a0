import { InputError, errorMessage } from "../errors.js";

/**
 * Expands a parsed YAML document or node into plain values. The yaml package refuses an alias bomb (a few lines whose
 * *aliases expand to millions of nodes) by throwing; that is the file's fault, so it is an InputError naming it.
 */
export function expandYaml(expand: () => unknown, where: string): unknown {
  try {
    return expand();
  } catch (error) {
    throw new InputError(`${where}: cannot expand the YAML: ${errorMessage(error).split("\n")[0]}; use fewer *aliases`);
  }
}
