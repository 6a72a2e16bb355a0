import { describe, expect, it } from "vitest";
import { vendorCloudHost, vendorOfUrl } from "../../src/config/vendor-hosts.js";

describe("vendorCloudHost: where a model's requests really go", () => {
  it.each([
    [{ provider: "openai" }, "api.openai.com"],
    [{ provider: "anthropic" }, "api.anthropic.com"],
    [{ provider: "gemini" }, "generativelanguage.googleapis.com"],
    [{ provider: "openai", baseURL: "https://api.openai.com/v1" }, "api.openai.com"],
    [{ provider: "openai-compatible", baseURL: "https://api.groq.com/openai/v1" }, "api.groq.com"],
    [{ provider: "openai-compatible", baseURL: "https://API.TOGETHER.XYZ./v1" }, "api.together.xyz"],
    [{ provider: "openai-compatible", baseURL: "https://openrouter.ai/api/v1" }, "openrouter.ai"],
    [{ provider: "openai-compatible", baseURL: "https://generativelanguage.googleapis.com/v1beta/openai" }, "generativelanguage.googleapis.com"],
    [{ provider: "openai", baseURL: "https://contoso.openai.azure.com/openai/v1" }, "contoso.openai.azure.com"],
    [
      { provider: "openai-compatible", baseURL: "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/openapi" },
      "us-central1-aiplatform.googleapis.com",
    ],
    [
      { provider: "openai-compatible", baseURL: "https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi" },
      "aiplatform.googleapis.com",
    ],
    [{ provider: "openai-compatible", baseURL: "https://bedrock-runtime.us-west-2.amazonaws.com/openai/v1" }, "bedrock-runtime.us-west-2.amazonaws.com"],
    [{ provider: "openai-compatible", baseURL: "https://api.x.ai/v1" }, "api.x.ai"],
    [{ provider: "openai-compatible", baseURL: "https://router.huggingface.co/v1" }, "router.huggingface.co"],
    [{ provider: "openai-compatible", baseURL: "https://x1y2.us-east-1.aws.endpoints.huggingface.cloud/v1" }, "x1y2.us-east-1.aws.endpoints.huggingface.cloud"],
    [{ provider: "openai-compatible", baseURL: "https://api.cohere.ai/compatibility/v1" }, "api.cohere.ai"],
    [{ provider: "openai-compatible", baseURL: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" }, "dashscope-intl.aliyuncs.com"],
  ])("%j is a vendor's cloud (%s)", (model, host) => {
    expect(vendorCloudHost(model)).toBe(host);
  });

  it.each([
    { provider: "openai", baseURL: "http://localhost:8000/v1" },
    { provider: "anthropic", baseURL: "https://llm-gateway.internal.example/" },
    { provider: "openai-compatible", baseURL: "https://notgroq.com/v1" },
    { provider: "openai-compatible", baseURL: "https://api.openai.com.example.net/v1" },
    // Your own servers on a cloud's machines are yours: an EC2 instance or load balancer, a VM behind your domain.
    { provider: "openai-compatible", baseURL: "http://ec2-3-80-1-2.compute-1.amazonaws.com:8000/v1" },
    { provider: "openai-compatible", baseURL: "https://vllm-lb-123.us-east-1.elb.amazonaws.com/v1" },
    { provider: "openai-compatible", baseURL: "https://notaiplatform.googleapis.com.example/v1" },
    { provider: "openai-compatible", baseURL: "https://llm.mycorp.azure.example/v1" },
    { provider: "recorded" },
    { provider: "llama-cpp" },
  ])("%j is not", (model) => {
    expect(vendorCloudHost(model)).toBeUndefined();
  });

  it("names the vendor for price lookups, only on the vendor's own domain", () => {
    expect(vendorOfUrl("https://api.fireworks.ai/inference/v1")).toBe("fireworks");
    expect(vendorOfUrl("https://evilfireworks.ai/v1")).toBeUndefined();
    expect(vendorOfUrl("https://contoso.openai.azure.com/openai/v1")).toBe("azure");
    expect(vendorOfUrl("https://europe-west4-aiplatform.googleapis.com/v1")).toBe("vertex_ai");
    expect(vendorOfUrl("https://bedrock-runtime.eu-central-1.amazonaws.com/openai/v1")).toBe("bedrock");
    expect(vendorOfUrl("not a url")).toBeUndefined();
    expect(vendorOfUrl(undefined)).toBeUndefined();
  });
});
