import type { ModelKind } from "../config/schema.js";
import type { Hosting, ResolvedModel } from "../config/types.js";
import type { Provider } from "./types.js";

/** A resolved model of one provider kind. */
export type ModelOf<Kind extends ModelKind> = Extract<ResolvedModel, { provider: Kind }>;

/** Creates a provider for a model of its kind; `apiKey` is the value of the model's key variable, if it has one. */
export type ProviderFactory<Kind extends ModelKind> = (model: ModelOf<Kind>, apiKey: string | undefined) => Provider | Promise<Provider>;

/** The field names of a model whose values are strings (candidates for file paths). */
type StringField<Model> = { [Field in keyof Model]-?: Model[Field] extends string ? Field : never }[keyof Model];

/**
 * Everything modelpick needs to know about one provider kind, besides its config fields (the schema variant in
 * config/schema.ts): the key check, hosting, threads, price lookup and loading all read it. Plain data and a lazy
 * loader, so that this module costs nothing to import: no SDK and no zod (the CLI's start-up and every model thread
 * read it).
 */
export interface ProviderKindDescriptor<Kind extends ModelKind> {
  /**
   * The environment variable holding the API key when the model sets no `apiKeyEnv`; null when the kind needs no key
   * unless the model names one. A model whose key variable is unset stops the run before it starts.
   */
  apiKeyEnv: string | null;
  /** Hosting when the config says none; null when the config must say (the schema variant requires it). */
  defaultHosting: Hosting | null;
  /**
   * The vendor's cloud host that requests go to when the model sets no baseURL (hosting: self-hosted is refused
   * there); null when they never go to a vendor by default.
   */
  vendorHost: string | null;
  /**
   * Where its requests run. "own": the SDK spends most of a request's CPU, so with two or more such models each but
   * the first gets a worker thread. "main": the main thread (answers from memory). "main-only": the main thread, and
   * the model is loaded once per process (a local model), so as the judge it keeps every lane on the main thread.
   */
  thread: "own" | "main" | "main-only";
  /**
   * The provider name the price catalog uses; "vendor of baseURL": the vendor whose cloud serves the baseURL, if any;
   * null: prices are looked up by model name alone.
   */
  catalogProvider: string | "vendor of baseURL" | null;
  /** Config fields that name files, resolved against the config file's folder. */
  pathFields: ReadonlyArray<StringField<ModelOf<Kind>>>;
  /** Imports the provider's module, and so its SDK, only for the kinds a run uses; gives its factory. */
  load(): Promise<ProviderFactory<Kind>>;
}

/**
 * The provider kinds. Adding one takes its provider module, its schema variant in config/schema.ts and one entry here;
 * the compiler refuses an entry without a schema variant, a variant without an entry, and an entry without a field.
 */
export const PROVIDER_KINDS = {
  anthropic: {
    apiKeyEnv: "ANTHROPIC_API_KEY",
    defaultHosting: "cloud",
    vendorHost: "api.anthropic.com",
    thread: "own",
    catalogProvider: "anthropic",
    pathFields: [],
    load: () => import("./anthropic.js").then(({ createAnthropicProvider }) => createAnthropicProvider),
  },
  openai: {
    apiKeyEnv: "OPENAI_API_KEY",
    defaultHosting: "cloud",
    vendorHost: "api.openai.com",
    thread: "own",
    catalogProvider: "openai",
    pathFields: [],
    load: () => import("./openai.js").then(({ createOpenAIProvider }) => createOpenAIProvider),
  },
  "openai-compatible": {
    apiKeyEnv: null,
    defaultHosting: null,
    vendorHost: null,
    thread: "own",
    catalogProvider: "vendor of baseURL",
    pathFields: [],
    load: () => import("./openai.js").then(({ createOpenAIProvider }) => createOpenAIProvider),
  },
  gemini: {
    apiKeyEnv: "GEMINI_API_KEY",
    defaultHosting: "cloud",
    vendorHost: "generativelanguage.googleapis.com",
    thread: "own",
    catalogProvider: "google",
    pathFields: [],
    load: () => import("./gemini.js").then(({ createGeminiProvider }) => createGeminiProvider),
  },
  recorded: {
    apiKeyEnv: null,
    defaultHosting: "cloud",
    vendorHost: null,
    thread: "main",
    catalogProvider: null,
    pathFields: ["file"],
    load: () => import("./recorded.js").then(({ createRecordedProvider }) => createRecordedProvider),
  },
  "llama-cpp": {
    apiKeyEnv: null,
    defaultHosting: "self-hosted",
    vendorHost: null,
    thread: "main-only",
    catalogProvider: null,
    pathFields: ["path"],
    load: () => import("./llama-cpp/index.js").then(({ createLlamaCppProvider }) => createLlamaCppProvider),
  },
} satisfies { [Kind in ModelKind]: ProviderKindDescriptor<Kind> };

/**
 * The descriptor of a model's kind, typed for any model: the kind's fields and factory are the model's own, which the
 * compiler cannot follow through a lookup by the model's `provider`.
 */
export function kindOf<Model extends { provider: ModelKind }>(model: Model): ProviderKindDescriptor<Model["provider"]> {
  return PROVIDER_KINDS[model.provider] as ProviderKindDescriptor<ModelKind> as ProviderKindDescriptor<Model["provider"]>;
}

/** The descriptor named by a provider name from anywhere (a test, a file), or undefined for a name that is no kind. */
export function kindNamed(name: string): ProviderKindDescriptor<ModelKind> | undefined {
  return Object.hasOwn(PROVIDER_KINDS, name) ? (PROVIDER_KINDS[name as ModelKind] as ProviderKindDescriptor<ModelKind>) : undefined;
}
