import { InputError } from "../errors.js";
import { registerSecrets, urlSecrets } from "../io/secrets.js";
import { kindOf, type ModelOf } from "../config/provider-kinds.js";
import type { ModelKind } from "../config/schema.js";
import type { ResolvedModel } from "../config/types.js";
import type { Provider } from "./types.js";

/** Creates a provider for a model of its kind; `apiKey` is the value of the model's key variable, if it has one. */
export type ProviderFactory<Kind extends ModelKind> = (model: ModelOf<Kind>, apiKey: string | undefined) => Provider | Promise<Provider>;

/**
 * Each kind's module, imported (with its SDK) only for the kinds a run uses; gives its factory. The rest of what a
 * kind is lives in config/provider-kinds.ts; the compiler refuses a kind without a loader here.
 */
export const PROVIDER_MODULES: { [Kind in ModelKind]: () => Promise<ProviderFactory<Kind>> } = {
  anthropic: () => import("./anthropic.js").then(({ createAnthropicProvider }) => createAnthropicProvider),
  openai: () => import("./openai.js").then(({ createOpenAIProvider }) => createOpenAIProvider),
  "openai-compatible": () => import("./openai.js").then(({ createOpenAIProvider }) => createOpenAIProvider),
  gemini: () => import("./gemini.js").then(({ createGeminiProvider }) => createGeminiProvider),
  recorded: () => import("./recorded.js").then(({ createRecordedProvider }) => createRecordedProvider),
  "llama-cpp": () => import("./llama-cpp/index.js").then(({ createLlamaCppProvider }) => createLlamaCppProvider),
};

/** The environment variable holding a model's API key, or undefined when the provider needs none. */
export function apiKeyEnvOf(model: ResolvedModel): string | undefined {
  return ("apiKeyEnv" in model ? model.apiKeyEnv : undefined) ?? kindOf(model).apiKeyEnv ?? undefined;
}

/**
 * Checks every API key before any provider is created, so a run never starts half-configured, and registers the keys
 * (and any credentials in a model's baseURL) as secrets, so that they are redacted from anything the process writes or
 * prints.
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
  for (const model of models) registerSecrets(urlSecrets("baseURL" in model ? model.baseURL : undefined));
  if (missing.length > 0) {
    throw new InputError(`missing API key: set ${missing.join(", ")} in the environment, or set apiKeyEnv on the model in modelpick.yaml`);
  }
  return keys;
}

/** Loads a provider's module (its SDK) ahead of time, so a thread that will run it can warm up while others work. */
export async function preloadProvider(kind: ModelKind): Promise<void> {
  await PROVIDER_MODULES[kind]();
}

/** Creates one provider; SDKs and node-llama-cpp are imported only for the providers a run uses. */
export async function createProvider(model: ResolvedModel, apiKey: string | undefined): Promise<Provider> {
  // The model's own kind's factory, which the compiler cannot follow through a lookup by the model's `provider`.
  const load = PROVIDER_MODULES[model.provider] as () => Promise<ProviderFactory<ModelKind>>;
  return (await load())(model, apiKey);
}
