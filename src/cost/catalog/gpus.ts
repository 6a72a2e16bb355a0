import type { GpuOfferEntry, GpuPowerEntry } from "./types.js";

/**
 * On-demand GPU prices per GPU-hour, from pricing-facts.md §5 (per-GPU = instance price ÷ GPU count). The default
 * offer for each GPU name is a dated single-GPU on-demand rental from a source that states its date; set
 * `selfHosted.gpuHourlyUsd` to your own contract price, or `gpu: <offer id>` to pick another offer.
 */

const GPUAUDIT = 'github.com/gpuaudit/cli internal/pricing/gpu_specs.go ("as of Q1 2026")';
const TECHBYTES = "techbytes.app/posts/serverless-gpu-pricing-matrix-modal-replicate-lambda-2026 (verified 2026-05-07)";
const LILLYTECH = 'lillytechsystems.com/.../gpu-cost-optimization.html ("2025 prices")';

export const GPU_OFFERS: GpuOfferEntry[] = [
  // H100 80GB
  {
    id: "h100/lambda-sxm",
    gpu: "h100",
    offer: "Lambda 1× H100 SXM on demand",
    hourlyUsd: 3.78,
    isDefault: true,
    source: TECHBYTES,
    date: "2026-05-07",
  },
  { id: "h100/lambda-pcie", gpu: "h100", offer: "Lambda 1× H100 PCIe on demand", hourlyUsd: 2.86, source: TECHBYTES, date: "2026-05-07" },
  {
    id: "h100/runpod-secure-sxm",
    gpu: "h100",
    offer: "RunPod Secure Cloud H100 SXM5 (~)",
    hourlyUsd: 2.69,
    source: "spheron.network/blog/runpod-h100-pricing-2026",
    date: "2026-05-22",
    note: "community cloud 1.80–2.40",
  },
  {
    id: "h100/coreweave",
    gpu: "h100",
    offer: "CoreWeave H100",
    hourlyUsd: 2.23,
    source: "gridstackhub.ai/learn/reserved-vs-spot-vs-on-demand-gpu",
    date: "2026",
    unconfirmed: true,
    note: "official list price unconfirmed; disintermediate.global puts an 8-GPU node at 2.75–3.50 per GPU (Q1 2026)",
  },
  { id: "h100/modal", gpu: "h100", offer: "Modal serverless H100", hourlyUsd: 3.9492, source: TECHBYTES, date: "2026-05-07" },
  { id: "h100/replicate", gpu: "h100", offer: "Replicate serverless H100", hourlyUsd: 5.49, source: TECHBYTES, date: "2026-05-07" },
  {
    id: "h100/aws-p5",
    gpu: "h100",
    offer: "AWS p5.48xlarge (8 GPUs, $98.32/h) us-east-1",
    hourlyUsd: 12.29,
    source: GPUAUDIT,
    date: "2026-Q1",
    unconfirmed: true,
    note: "sources disagree on the current list price (a June 2025 cut of up to 45%; another claims $80.62/h)",
  },
  {
    id: "h100/aws-capacity-block",
    gpu: "h100",
    offer: "AWS EC2 Capacity Blocks p5.48xlarge ($39.33/h for 8)",
    hourlyUsd: 4.916,
    source: "AWS Capacity Blocks pricing page copy (rates scheduled to be updated on 2025-01-01)",
    date: "2025-01-01",
  },
  { id: "h100/gcp-a3", gpu: "h100", offer: "GCP a3-highgpu-8g per GPU", hourlyUsd: 8.68, source: LILLYTECH, date: "2025", unconfirmed: true },
  { id: "h100/azure-nd-v5", gpu: "h100", offer: "Azure ND H100 v5 per GPU", hourlyUsd: 7.35, source: LILLYTECH, date: "2025", unconfirmed: true },
  // A100
  {
    id: "a100/modal-80gb",
    gpu: "a100",
    offer: "Modal A100 80GB",
    hourlyUsd: 2.4984,
    isDefault: true,
    source: TECHBYTES,
    date: "2026-05-07",
  },
  { id: "a100/replicate-80gb", gpu: "a100", offer: "Replicate A100 80GB", hourlyUsd: 5.04, source: TECHBYTES, date: "2026-05-07" },
  { id: "a100/aws-p4de", gpu: "a100", offer: "AWS p4de.24xlarge (8× A100 80GB, $40.97/h)", hourlyUsd: 5.12, source: GPUAUDIT, date: "2026-Q1" },
  { id: "a100/gcp-a2-ultragpu", gpu: "a100", offer: "GCP a2-ultragpu per GPU", hourlyUsd: 5.07, source: LILLYTECH, date: "2025", unconfirmed: true },
  { id: "a100/azure-nc-v4", gpu: "a100", offer: "Azure NC A100 v4 per GPU", hourlyUsd: 4.6, source: LILLYTECH, date: "2025", unconfirmed: true },
  {
    id: "a100-40gb/lambda",
    gpu: "a100-40gb",
    offer: "Lambda 1× A100 40GB",
    hourlyUsd: 1.48,
    isDefault: true,
    source: TECHBYTES,
    date: "2026-05-07",
  },
  {
    id: "a100-40gb/aws-p4d",
    gpu: "a100-40gb",
    offer: "AWS p4d.24xlarge (8× A100 40GB, $32.77/h)",
    hourlyUsd: 4.1,
    source: `${GPUAUDIT}; usage.ai/blogs/finops/... (2026-06-24)`,
    date: "2026-Q1",
  },
  // L40S
  {
    id: "l40s/aws-g6e",
    gpu: "l40s",
    offer: "AWS g6e.xlarge (1× L40S)",
    hourlyUsd: 1.86,
    isDefault: true,
    source: `${GPUAUDIT}; modal.com/blog/nvidia-l40s-price-article ($1.861, 2025-08-12)`,
    date: "2026-Q1",
  },
  { id: "l40s/aws-g6e-48xl", gpu: "l40s", offer: "AWS g6e.48xlarge (8 GPUs, $36.72/h)", hourlyUsd: 4.59, source: GPUAUDIT, date: "2026-Q1" },
  { id: "l40s/coreweave", gpu: "l40s", offer: "CoreWeave L40S", hourlyUsd: 2.25, source: "modal.com/blog/nvidia-l40s-price-article", date: "2025-08-12" },
  { id: "l40s/modal", gpu: "l40s", offer: "Modal L40S", hourlyUsd: 1.9512, source: TECHBYTES, date: "2026-05-07" },
  { id: "l40s/replicate", gpu: "l40s", offer: "Replicate L40S", hourlyUsd: 3.51, source: TECHBYTES, date: "2026-05-07" },
  {
    id: "l40s/runpod",
    gpu: "l40s",
    offer: "RunPod L40S on demand",
    hourlyUsd: 0.86,
    source: "modal.com/blog/nvidia-l40s-price-article",
    date: "2025-08-12",
    unconfirmed: true,
  },
  // A10G / A10
  {
    id: "a10g/aws-g5",
    gpu: "a10g",
    offer: "AWS g5.xlarge (1× A10G)",
    hourlyUsd: 1.006,
    isDefault: true,
    source: `${GPUAUDIT}; amazon-ec2-on-demand-pricing article on amplifyapp (June 2026)`,
    date: "2026-Q1",
  },
  { id: "a10g/aws-g5-48xl", gpu: "a10g", offer: "AWS g5.48xlarge (8 GPUs, $16.288/h)", hourlyUsd: 2.036, source: GPUAUDIT, date: "2026-Q1" },
  { id: "a10/lambda", gpu: "a10", offer: "Lambda 1× A10", hourlyUsd: 0.86, isDefault: true, source: TECHBYTES, date: "2026-05-07" },
  // L4
  { id: "l4/aws-g6", gpu: "l4", offer: "AWS g6.xlarge (1× L4)", hourlyUsd: 0.8048, isDefault: true, source: GPUAUDIT, date: "2026-Q1" },
  { id: "l4/aws-g6-48xl", gpu: "l4", offer: "AWS g6.48xlarge (8 GPUs, $13.35/h)", hourlyUsd: 1.669, source: GPUAUDIT, date: "2026-Q1" },
  { id: "l4/modal", gpu: "l4", offer: "Modal L4", hourlyUsd: 0.7992, source: TECHBYTES, date: "2026-05-07" },
  { id: "l4/gcp-g2", gpu: "l4", offer: "GCP g2-standard per GPU (~)", hourlyUsd: 0.7, source: LILLYTECH, date: "2025", unconfirmed: true },
  // T4 (reference)
  { id: "t4/aws-g4dn", gpu: "t4", offer: "AWS g4dn.xlarge (1× T4)", hourlyUsd: 0.526, isDefault: true, source: GPUAUDIT, date: "2026-Q1" },
];

/** Board power (TDP) per GPU, pricing-facts.md §6c. Electricity is charged at this power all month (an upper bound). */
export const GPU_POWER: GpuPowerEntry[] = [
  {
    id: "power/h100",
    gpu: "h100",
    watts: 700,
    source: "pricegpu.pages.dev/blog/h100-vs-a100-cloud-price (early 2026); aihardwareindex.com",
    date: "2025-12-31",
    note: "H100 SXM 80GB",
  },
  { id: "power/a100", gpu: "a100", watts: 400, source: "pricegpu.pages.dev; aihardwareindex.com", date: "2025-12-31", note: "A100 SXM 80GB" },
  { id: "power/a100-40gb", gpu: "a100-40gb", watts: 250, source: "hmc-tech.com/gpu/nvidia-l4-vs-nvidia-a100-40gb", date: "n.d.", note: "A100 40GB PCIe" },
  { id: "power/l40s", gpu: "l40s", watts: 350, source: "aihardwareindex.com; grokipedia.com/page/NVIDIA_L4_vs_L40S", date: "2025-12-31" },
  { id: "power/l4", gpu: "l4", watts: 72, source: "grokipedia.com; fpsbench.com; hmc-tech.com", date: "n.d." },
  { id: "power/t4", gpu: "t4", watts: 70, source: "itctshop.com inference-GPU guide", date: "2026-01-13" },
  { id: "power/a10g", gpu: "a10g", watts: 150, source: "not found in the facts corpus", date: "n.d.", unconfirmed: true },
  { id: "power/a10", gpu: "a10", watts: 150, source: "not found in the facts corpus", date: "n.d.", unconfirmed: true },
];
