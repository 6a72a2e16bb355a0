import type { Exclusion } from "./reasons.js";
import type { CandidateStats, ModelProfile, RoutingCriteria } from "./types.js";

/** Llama community licences require a separate licence from Meta above 700 million monthly active users. */
export const LLAMA_MAU_LIMIT = 700_000_000;

export function isLlamaCommunityLicense(license: string): boolean {
  return /llama/i.test(license);
}

/**
 * Reasons a model may not take a route whatever its quality: hosting (for sensitive data), latency, licence. Empty
 * when none.
 * Cloud models without a `license` are governed by their API terms and pass the licence rules; a self-hosted model
 * with no known licence does not pass `--allow-license`, since nobody checked what its weights allow.
 */
export function constraintExclusions(
  profile: ModelProfile,
  stats: Pick<CandidateStats, "p95LatencyMs">,
  selfHostedOnly: boolean,
  criteria: RoutingCriteria,
): Exclusion[] {
  const reasons: Exclusion[] = [];
  if (selfHostedOnly && profile.hosting !== "self-hosted") reasons.push({ kind: "cloud-hosted-sensitive" });
  if (criteria.maxP95Ms !== undefined) {
    if (stats.p95LatencyMs === null) reasons.push({ kind: "latency-unknown", maxP95Ms: criteria.maxP95Ms });
    else if (stats.p95LatencyMs > criteria.maxP95Ms) {
      reasons.push({ kind: "latency", p95Ms: stats.p95LatencyMs, maxP95Ms: criteria.maxP95Ms });
    }
  }
  reasons.push(...licenceExclusions(profile, criteria));
  return reasons;
}

function licenceExclusions(profile: ModelProfile, criteria: RoutingCriteria): Exclusion[] {
  const license = profile.license?.trim();
  const reasons: Exclusion[] = [];
  if (criteria.allowLicenses !== undefined) {
    const allowed = new Set(criteria.allowLicenses.map((l) => l.toLowerCase()));
    if (license) {
      if (!allowed.has(license.toLowerCase())) reasons.push({ kind: "licence-not-allowed", licence: license });
    } else if (profile.hosting === "self-hosted") {
      reasons.push({ kind: "licence-unknown" });
    }
  }
  if (license && criteria.orgMau !== undefined && isLlamaCommunityLicense(license) && criteria.orgMau > LLAMA_MAU_LIMIT) {
    reasons.push({ kind: "licence-mau", licence: license, orgMau: criteria.orgMau });
  }
  return reasons;
}
