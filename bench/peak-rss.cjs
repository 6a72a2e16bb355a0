// Preloaded into a benchmarked process: when it exits, writes its peak RSS (kB) and the CPU time of all its threads
// (user + system, ms) to $MODELPICK_BENCH_RSS_FILE, as "<peak kB> <cpu ms>".
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const file = process.env.MODELPICK_BENCH_RSS_FILE;
  if (!file) return;
  const usage = process.resourceUsage();
  writeFileSync(file, `${usage.maxRSS} ${(usage.userCPUTime + usage.systemCPUTime) / 1000}`);
});
