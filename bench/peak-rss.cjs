// Preloaded into a benchmarked process: writes its peak RSS (kB) to $MODELPICK_BENCH_RSS_FILE when it exits.
const { writeFileSync } = require("node:fs");
process.on("exit", () => {
  const file = process.env.MODELPICK_BENCH_RSS_FILE;
  if (file) writeFileSync(file, String(process.resourceUsage().maxRSS));
});
