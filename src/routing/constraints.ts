import type { CandidateStats, ModelProfile, RoutingCriteria } from "./types.js";

/** Llama community licences require a separate licence from Meta above 700 million monthly active users. */
export const LLAMA_MAU_LIMIT = 700_000_000;

export function isLlamaCommunityLicense(license: string): boolean {
  return /llama/i.test(license);
}

/**
 * Reasons a model may not take a route whatever its quality: data sensitivity, latency, licence. Empty when none.
 * Cloud models without a `license` are governed by their API terms and pass the licence rules; a self-hosted model
 * with no known licence does not pass `--allow-license`, since nobody checked what its weights allow.
 */
export function constraintExclusions(
  profile: ModelProfile,
  stats: Pick<CandidateStats, "p95LatencyMs">,
  sensitive: boolean,
  criteria: RoutingCriteria,
): string[] {
  const reasons: string[] = [];
  if (sensitive && profile.hosting !== "self-hosted") {
    reasons.push("cloud-hosted, and this category holds sensitive data, which never leaves self-hosted infrastructure");
  }
  if (criteria.maxP95Ms !== undefined) {
    if (stats.p95LatencyMs === null) reasons.push("no latency measured, so --max-p95-ms cannot be verified");
    else if (stats.p95LatencyMs > criteria.maxP95Ms) {
      reasons.push(`p95 latency ${Math.round(stats.p95LatencyMs)} ms is above --max-p95-ms ${criteria.maxP95Ms}`);
    }
  }
  reasons.push(...licenceExclusions(profile, criteria));
  return reasons;
}

function licenceExclusions(profile: ModelProfile, criteria: RoutingCriteria): string[] {
  const license = profile.license?.trim();
  const reasons: string[] = [];
  if (criteria.allowLicenses !== undefined) {
    const allowed = new Set(criteria.allowLicenses.map((l) => l.toLowerCase()));
    if (license) {
      if (!allowed.has(license.toLowerCase())) reasons.push(`licence "${license}" is not in --allow-license`);
    } else if (profile.hosting === "self-hosted") {
      reasons.push("licence unknown (set license: for this model in modelpick.yaml)");
    }
  }
  if (license && criteria.orgMau !== undefined && isLlamaCommunityLicense(license) && criteria.orgMau > LLAMA_MAU_LIMIT) {
    reasons.push(
      `licence "${license}": the Llama community licence needs a separate licence from Meta above 700M monthly active users (--org-mau ${criteria.orgMau})`,
    );
  }
  return reasons;
}
