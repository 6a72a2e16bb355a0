import type { Hosting, ModelConfig } from "./schema.js";

export type { Hosting, ModelConfig } from "./schema.js";

/** A validated config with paths resolved against the config file's folder and hosting decided for every model. */
export interface Config {
  file: string;
  dir: string;
  datasets: string[];
  models: ResolvedModel[];
  judge?: string;
  prices?: string;
  /** sha256 of the config file's bytes, for the run record. */
  hash: string;
}

export type ResolvedModel = ModelConfig & { hosting: Hosting };
