import type { ModelKind } from "./schema.js";
import type { Hosting, ResolvedModel } from "./types.js";

/**
 * More tokens than any model's context holds (the largest trained contexts are 10M tokens): the bound for context
 * sizes in the config and in GGUF metadata, and for the token counts a provider reports for one request.
 */
export const MAX_CONTEXT_TOKENS = 2 ** 24;

/** A resolved model of one provider kind. */
export type ModelOf<Kind extends ModelKind> = Extract<ResolvedModel, { provider: Kind }>;

/** The field names of a model whose values are strings (candidates for file paths). */
type StringField<Model> = { [Field in keyof Model]-?: Model[Field] extends string ? Field : never }[keyof Model];

/**
 * Everything modelpick needs to know about one provider kind, besides its config fields (the schema variant in
 * config/schema.ts) and its module (loaded by providers/index.ts): the config loader, the key check, threads and the
 * price lookup read it. Plain data, so that this module costs nothing to import: no SDK and no zod (the CLI's
 * start-up and every model thread read it). It lives with the config, below the providers, because the config
 * loader needs it and the providers are built from the config.
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
}

/**
 * The provider kinds. Adding one takes its provider module with its loader in providers/index.ts, its schema variant in
 * config/schema.ts and one entry here; the compiler refuses an entry without a schema variant, a variant without an
 * entry or a loader, and an entry without a field.
 */
export const PROVIDER_KINDS = {
  anthropic: {
    apiKeyEnv: "ANTHROPIC_API_KEY",
    defaultHosting: "cloud",
    vendorHost: "api.anthropic.com",
    thread: "own",
    catalogProvider: "anthropic",
    pathFields: [],
  },
  openai: {
    apiKeyEnv: "OPENAI_API_KEY",
    defaultHosting: "cloud",
    vendorHost: "api.openai.com",
    thread: "own",
    catalogProvider: "openai",
    pathFields: [],
  },
  "openai-compatible": {
    apiKeyEnv: null,
    defaultHosting: null,
    vendorHost: null,
    thread: "own",
    catalogProvider: "vendor of baseURL",
    pathFields: [],
  },
  gemini: {
    apiKeyEnv: "GEMINI_API_KEY",
    defaultHosting: "cloud",
    vendorHost: "generativelanguage.googleapis.com",
    thread: "own",
    catalogProvider: "google",
    pathFields: [],
  },
  recorded: {
    apiKeyEnv: null,
    defaultHosting: "cloud",
    vendorHost: null,
    thread: "main",
    catalogProvider: null,
    pathFields: ["file"],
  },
  "llama-cpp": {
    apiKeyEnv: null,
    defaultHosting: "self-hosted",
    vendorHost: null,
    thread: "main-only",
    catalogProvider: null,
    pathFields: ["path"],
  },
} satisfies { [Kind in ModelKind]: ProviderKindDescriptor<Kind> };

/**
 * The descriptor of a model's kind, typed for any model: the kind's fields are the model's own, which the
 * compiler cannot follow through a lookup by the model's `provider`.
 */
export function kindOf<Model extends { provider: ModelKind }>(model: Model): ProviderKindDescriptor<Model["provider"]> {
  return PROVIDER_KINDS[model.provider] as ProviderKindDescriptor<ModelKind> as ProviderKindDescriptor<Model["provider"]>;
}

/** The descriptor named by a provider name from anywhere (a test, a file), or undefined for a name that is no kind. */
export function kindNamed(name: string): ProviderKindDescriptor<ModelKind> | undefined {
  return Object.hasOwn(PROVIDER_KINDS, name) ? (PROVIDER_KINDS[name as ModelKind] as ProviderKindDescriptor<ModelKind>) : undefined;
}
