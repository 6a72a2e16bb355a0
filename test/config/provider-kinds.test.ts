/**
 * The provider registry is the one place a provider kind is described: these tests hold every kind to every field,
 * and the config, key check, threads, price lookup and vendor-host check to what the registry says.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { PROVIDERS, modelSchema, type ModelKind } from "../../src/config/schema.js";
import type { ResolvedModel } from "../../src/config/types.js";
import { providerHint } from "../../src/cost/prices.js";
import { InputError } from "../../src/errors.js";
import { PROVIDER_KINDS, type ProviderKindDescriptor } from "../../src/config/provider-kinds.js";
import { PROVIDER_MODULES, apiKeyEnvOf, collectApiKeys } from "../../src/providers/index.js";
import { vendorCloudHost, vendorOfUrl } from "../../src/config/vendor-hosts.js";
import { threadedModels } from "../../src/runner/lane.js";

/** The fields of a descriptor (the compiler checks them too; this holds what the module really exports). */
const DESCRIPTOR_FIELDS = ["apiKeyEnv", "catalogProvider", "defaultHosting", "pathFields", "thread", "vendorHost"];

/** The least config each kind accepts: a new kind without one here fails the tests below, which is the point. */
const MINIMAL: Record<string, Record<string, unknown>> = {
  anthropic: { model: "claude-x" },
  openai: { model: "gpt-x" },
  "openai-compatible": { model: "x", baseURL: "http://127.0.0.1:9/v1", hosting: "self-hosted" },
  gemini: { model: "gemini-x" },
  recorded: { file: "answers.jsonl" },
  "llama-cpp": { path: "model.gguf" },
};

const KINDS = Object.entries(PROVIDER_KINDS) as Array<[ModelKind, ProviderKindDescriptor<ModelKind>]>;

function minimalModel(kind: string, id = `m-${kind}`): Record<string, unknown> {
  const fields = MINIMAL[kind];
  if (!fields) throw new Error(`no minimal config for provider kind "${kind}" in this test`);
  return { id, provider: kind, ...fields };
}

function loadModels(models: Array<Record<string, unknown>>): ResolvedModel[] {
  const dir = mkdtempSync(path.join(tmpdir(), "modelpick-registry-"));
  writeFileSync(path.join(dir, "modelpick.yaml"), stringify({ dataset: "tasks.jsonl", models }));
  return loadConfig(undefined, dir).models;
}

function loadError(models: Array<Record<string, unknown>>): string {
  try {
    loadModels(models);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as Error).message;
  }
  throw new Error("expected an InputError");
}

describe("the provider registry", () => {
  it.each(KINDS)("%s has every descriptor field, each of its type, and a module that gives its factory", async (kind, descriptor) => {
    expect(Object.keys(descriptor).sort()).toEqual(DESCRIPTOR_FIELDS);
    expect(descriptor.apiKeyEnv === null || /^[A-Z][A-Z0-9_]*$/.test(descriptor.apiKeyEnv)).toBe(true);
    expect([null, "cloud", "self-hosted"]).toContain(descriptor.defaultHosting);
    expect(["own", "main", "main-only"]).toContain(descriptor.thread);
    expect(descriptor.catalogProvider === null || typeof descriptor.catalogProvider === "string").toBe(true);
    expect(Array.isArray(descriptor.pathFields)).toBe(true);
    // A vendor host is one the vendor list knows, so a baseURL on it is refused as self-hosted too.
    if (descriptor.vendorHost !== null) expect(vendorOfUrl(`https://${descriptor.vendorHost}/`)).toBeDefined();
    expect(typeof (await PROVIDER_MODULES[kind]())).toBe("function");
  });

  it("the config schema and the provider modules take exactly the registry's kinds, in its order", () => {
    expect(PROVIDERS).toEqual(Object.keys(PROVIDER_KINDS));
    expect(Object.keys(PROVIDER_MODULES)).toEqual(Object.keys(PROVIDER_KINDS));
    for (const [kind] of KINDS) expect(modelSchema.parse(minimalModel(kind)).provider).toBe(kind);
  });

  it.each(KINDS)("%s: the config loader takes hosting and file paths from the registry", (kind, descriptor) => {
    const [model] = loadModels([minimalModel(kind)]);
    expect(model!.hosting).toBe(descriptor.defaultHosting ?? MINIMAL[kind]!.hosting);
    for (const field of descriptor.pathFields) {
      expect(path.isAbsolute((model as unknown as Record<string, string>)[field]!)).toBe(true);
    }
  });

  it.each(KINDS)("%s: the key check reads the registry's key variable", (kind, descriptor) => {
    const [model] = loadModels([minimalModel(kind)]);
    expect(apiKeyEnvOf(model!)).toBe(descriptor.apiKeyEnv ?? undefined);
    if (descriptor.apiKeyEnv === null) {
      expect(collectApiKeys([model!], {}).size).toBe(0);
    } else {
      expect(() => collectApiKeys([model!], {})).toThrow(`missing API key: set ${descriptor.apiKeyEnv} (model "m-${kind}")`);
      expect(collectApiKeys([model!], { [descriptor.apiKeyEnv]: "k-123456" }).get(model!.id)).toBe("k-123456");
    }
  });

  it.each(KINDS)("%s: threads follow the registry", (kind, descriptor) => {
    const models = loadModels([minimalModel(kind, "first"), minimalModel(kind, "second")]);
    expect(threadedModels(models, undefined).map((m) => m.id)).toEqual(descriptor.thread === "own" ? ["second"] : []);
    const apiModels = loadModels([minimalModel("openai", "a"), minimalModel("openai", "b"), minimalModel(kind, "judge")]);
    const judge = apiModels[2]!;
    expect(threadedModels(apiModels.slice(0, 2), judge).map((m) => m.id)).toEqual(descriptor.thread === "main-only" ? [] : ["b"]);
  });

  it.each(KINDS)("%s: the price lookup uses the registry's catalog name", (kind, descriptor) => {
    const [model] = loadModels([minimalModel(kind)]);
    const expected = descriptor.catalogProvider === "vendor of baseURL" ? undefined : (descriptor.catalogProvider ?? undefined);
    expect(providerHint(model!)).toBe(expected);
  });

  it("an OpenAI-compatible endpoint on a vendor's cloud is priced as that vendor", () => {
    const [model] = loadModels([{ ...minimalModel("openai-compatible"), baseURL: "https://api.groq.com/openai/v1", hosting: "cloud" }]);
    expect(providerHint(model!)).toBe("groq");
  });

  it.each(KINDS)("%s: the vendor cloud host and the self-hosted refusal follow the registry", (kind, descriptor) => {
    expect(vendorCloudHost({ provider: kind })).toBe(descriptor.vendorHost ?? undefined);
    if (descriptor.vendorHost === null || !modelSchema.safeParse({ ...minimalModel(kind), hosting: "self-hosted" }).success) return;
    expect(loadError([{ ...minimalModel(kind), hosting: "self-hosted" }])).toBe(
      `modelpick.yaml:6: models[0].hosting: self-hosted, but with no baseURL, ${kind} requests go to ${descriptor.vendorHost}: ` +
        "sensitive items would leave your infrastructure. Set baseURL to your own server, or hosting: cloud",
    );
  });
});
