import { readFileSync } from "node:fs";
import { Command } from "commander";
import { redactOutputStreams } from "../io/secrets.js";
import { exitCodeFor, guardProcess, takeExitCode } from "./exit.js";

/** Command modules are light: each imports the core lazily inside its action, so `--help` stays fast. */
const COMMANDS: Array<() => Promise<Command>> = [
  async () => (await import("./init.js")).initCommand(),
  async () => (await import("./eval.js")).evalCommand(),
  async () => (await import("./cost.js")).costCommand(),
  async () => (await import("./models.js")).modelsCommand(),
  async () => (await import("./recommend.js")).recommendCommand(),
  async () => (await import("./check.js")).checkCommand(),
  async () => (await import("./import.js")).importCommand(),
  async () => (await import("./bench-local.js")).benchLocalCommand(),
  async () => (await import("./cache.js")).cacheCommand(),
];

export async function main(argv: string[]): Promise<number> {
  // API keys, once a command registers them, never reach the terminal or a log (NODE_DEBUG output included).
  redactOutputStreams();
  guardProcess();
  const program = new Command("modelpick")
    .description("Decide, with evidence, which LLM to use for which job.")
    .version(packageVersion(), "-V, --version")
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");
  for (const make of COMMANDS) program.addCommand((await make()).exitOverride());
  try {
    await program.parseAsync(argv);
    return takeExitCode();
  } catch (error) {
    return exitCodeFor(error);
  }
}

function packageVersion(): string {
  // Relative to the bundle, dist/main.js (see scripts/build.js).
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
