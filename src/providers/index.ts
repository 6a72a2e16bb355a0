import { InputError } from "../errors.js";
import { registerSecrets } from "../io/secrets.js";
import type { ModelKind } from "../config/schema.js";
import type { ResolvedModel } from "../config/types.js";
import { PROVIDER_KINDS, kindOf } from "./registry.js";
import type { Provider } from "./types.js";

/** The environment variable holding a model's API key, or undefined when the provider needs none. */
export function apiKeyEnvOf(model: ResolvedModel): string | undefined {
  return ("apiKeyEnv" in model ? model.apiKeyEnv : undefined) ?? kindOf(model).apiKeyEnv ?? undefined;
}

/**
 * Checks every API key before any provider is created, so a run never starts half-configured, and registers the keys
 * as secrets, so that they are redacted from anything the process writes or prints.
 */
export function collectApiKeys(models: ResolvedModel[], env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const keys = new Map<string, string>();
  const missing: string[] = [];
  for (const model of models) {
    const name = apiKeyEnvOf(model);
    if (!name) continue;
    const value = env[name];
    if (value) keys.set(model.id, value);
    else missing.push(`${name} (model "${model.id}")`);
  }
  registerSecrets(keys.values());
  if (missing.length > 0) {
    throw new InputError(
      `missing API key: set ${missing.join(", ")} in the environment, or set apiKeyEnv on the model in modelpick.yaml`,
    );
  }
  return keys;
}

/** Loads a provider's module (its SDK) ahead of time, so a thread that will run it can warm up while others work. */
export async function preloadProvider(kind: ModelKind): Promise<void> {
  await PROVIDER_KINDS[kind].load();
}

/** Creates one provider; SDKs and node-llama-cpp are imported only for the providers a run uses. */
export async function createProvider(model: ResolvedModel, apiKey: string | undefined): Promise<Provider> {
  const create = await kindOf(model).load();
  return create(model, apiKey);
}
