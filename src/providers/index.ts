import { InputError } from "../errors.js";
import { registerSecrets } from "../io/secrets.js";
import type { ResolvedModel } from "../config/types.js";
import type { Provider } from "./types.js";

const DEFAULT_KEY_ENV: Record<string, string | undefined> = {
  anthropic: "ANTHROPIC_API_KEY",
  openai: "OPENAI_API_KEY",
  "openai-compatible": undefined,
};

/** The environment variable holding a model's API key, or undefined when the provider needs none. */
export function apiKeyEnvOf(model: ResolvedModel): string | undefined {
  if (model.provider !== "anthropic" && model.provider !== "openai" && model.provider !== "openai-compatible") {
    return undefined;
  }
  return model.apiKeyEnv ?? DEFAULT_KEY_ENV[model.provider];
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

/** Creates one provider; SDKs and node-llama-cpp are imported only for the providers a run uses. */
/** Loads a provider's module (its SDK) ahead of time, so a thread that will run it can warm up while others work. */
export async function preloadProvider(kind: ResolvedModel["provider"]): Promise<void> {
  if (kind === "anthropic") await import("./anthropic.js");
  else if (kind === "openai" || kind === "openai-compatible") await import("./openai.js");
}

export async function createProvider(model: ResolvedModel, apiKey: string | undefined): Promise<Provider> {
  switch (model.provider) {
    case "anthropic":
      return (await import("./anthropic.js")).createAnthropicProvider(model, apiKey!);
    case "openai":
    case "openai-compatible":
      return (await import("./openai.js")).createOpenAIProvider(model, apiKey);
    case "recorded":
      return (await import("./recorded.js")).createRecordedProvider(model);
    case "llama-cpp":
      return (await import("./llama-cpp/index.js")).createLlamaCppProvider(model);
  }
}
