import { kindNamed } from "./provider-kinds.js";

/**
 * Hosts of vendors' cloud APIs (a host is theirs when it is the domain or one of its subdomains), with the name the
 * price catalog uses for the vendor. The one list that decides both "this endpoint is a vendor's cloud" (a model
 * talking to it can never be self-hosted) and which vendor's prices an OpenAI-compatible endpoint is billed at.
 */
export const VENDOR_HOSTS: ReadonlyArray<readonly [domain: string, vendor: string]> = [
  ["api.openai.com", "openai"],
  ["api.anthropic.com", "anthropic"],
  ["generativelanguage.googleapis.com", "google"],
  ["together.xyz", "together"],
  ["together.ai", "together"],
  ["fireworks.ai", "fireworks"],
  ["groq.com", "groq"],
  ["deepinfra.com", "deepinfra"],
  ["openrouter.ai", "openrouter"],
  ["mistral.ai", "mistral"],
  ["deepseek.com", "deepseek"],
  ["cerebras.ai", "cerebras"],
  ["lambdalabs.com", "lambda"],
  ["lambda.ai", "lambda"],
  ["hyperbolic.xyz", "hyperbolic"],
  ["openai.azure.com", "azure"],
  ["cognitiveservices.azure.com", "azure"],
  ["services.ai.azure.com", "azure_ai"],
  ["models.inference.ai.azure.com", "azure_ai"],
  ["models.github.ai", "github"],
  ["x.ai", "xai"],
  ["cohere.com", "cohere"],
  ["cohere.ai", "cohere"],
  ["perplexity.ai", "perplexity"],
  ["ai21.com", "ai21"],
  ["sambanova.ai", "sambanova"],
  ["nebius.com", "nebius"],
  ["nebius.ai", "nebius"],
  ["novita.ai", "novita"],
  ["huggingface.co", "huggingface"],
  ["endpoints.huggingface.cloud", "huggingface"],
  ["replicate.com", "replicate"],
  ["baseten.co", "baseten"],
  ["scaleway.ai", "scaleway"],
  ["ai-gateway.vercel.sh", "vercel"],
  ["api.cloudflare.com", "cloudflare"],
  ["gateway.ai.cloudflare.com", "cloudflare"],
  ["moonshot.ai", "moonshot"],
  ["moonshot.cn", "moonshot"],
  ["dashscope.aliyuncs.com", "dashscope"],
  ["dashscope-intl.aliyuncs.com", "dashscope"],
  ["z.ai", "zai"],
  ["bigmodel.cn", "zai"],
  ["minimax.io", "minimax"],
  ["minimaxi.com", "minimax"],
];

/** Vendor hosts named per region, which a domain suffix cannot express (us-central1-aiplatform.googleapis.com). */
const VENDOR_HOST_PATTERNS: ReadonlyArray<readonly [host: RegExp, vendor: string]> = [
  [/(^|[.-])aiplatform\.googleapis\.com$/, "vertex_ai"],
  [/^bedrock(-runtime|-agent-runtime)?(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/, "bedrock"],
];

/** The vendor whose cloud serves this URL, or undefined (your own server, or not a URL). */
export function vendorOfUrl(url: string | undefined): string | undefined {
  const host = hostOf(url);
  return host === undefined ? undefined : vendorOfHost(host);
}

function vendorOfHost(host: string): string | undefined {
  return (
    VENDOR_HOSTS.find(([domain]) => host === domain || host.endsWith(`.${domain}`))?.[1] ?? VENDOR_HOST_PATTERNS.find(([pattern]) => pattern.test(host))?.[1]
  );
}

/**
 * The host of a vendor's cloud API that a model's requests go to (with no baseURL, the host its kind's SDK talks to),
 * or undefined when they go elsewhere (your own server, a local model, recorded answers).
 */
export function vendorCloudHost(model: { provider: string; baseURL?: string }): string | undefined {
  if (model.baseURL === undefined) return kindNamed(model.provider)?.vendorHost ?? undefined;
  const host = hostOf(model.baseURL);
  return host !== undefined && vendorOfHost(host) !== undefined ? host : undefined;
}

function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    // Without the trailing dots of a fully qualified name (api.openai.com. is api.openai.com; so, to be safe, is
    // api.openai.com.., which some resolvers accept).
    return new URL(url).hostname.toLowerCase().replace(/\.+$/, "");
  } catch {
    return undefined;
  }
}
