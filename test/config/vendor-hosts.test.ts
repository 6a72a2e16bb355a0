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
  ])("%j is a vendor's cloud (%s)", (model, host) => {
    expect(vendorCloudHost(model)).toBe(host);
  });

  it.each([
    { provider: "openai", baseURL: "http://localhost:8000/v1" },
    { provider: "anthropic", baseURL: "https://llm-gateway.internal.example/" },
    { provider: "openai-compatible", baseURL: "https://notgroq.com/v1" },
    { provider: "openai-compatible", baseURL: "https://api.openai.com.example.net/v1" },
    { provider: "recorded" },
    { provider: "llama-cpp" },
  ])("%j is not", (model) => {
    expect(vendorCloudHost(model)).toBeUndefined();
  });

  it("names the vendor for price lookups, only on the vendor's own domain", () => {
    expect(vendorOfUrl("https://api.fireworks.ai/inference/v1")).toBe("fireworks");
    expect(vendorOfUrl("https://evilfireworks.ai/v1")).toBeUndefined();
    expect(vendorOfUrl("not a url")).toBeUndefined();
    expect(vendorOfUrl(undefined)).toBeUndefined();
  });
});
