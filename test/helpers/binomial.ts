/** P(X ≥ k) for X ~ Binomial(n, p): C(n, i) p^i (1 − p)^(n − i) for i ≥ k, summed the slow, obvious way (a check on the fast tails). */
export function binomialTailBySum(k: number, n: number, p: number): number {
  let total = 0;
  for (let i = k; i <= n; i++) {
    let choose = 1;
    for (let j = 1; j <= i; j++) choose = (choose * (n - i + j)) / j;
    total += choose * p ** i * (1 - p) ** (n - i);
  }
  return total;
}
