// `kamal init`: config/deploy.yml, .kamal/secrets and .kamal/hooks/*.sample from the built-in templates.
// Existing files are never overwritten. Returns the lines to print.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { KamalError } from "../errors.ts";
import { DEPLOY_YML_TEMPLATE, SAMPLE_HOOKS, SECRETS_TEMPLATE } from "../templates/index.ts";

export interface InitOptions {
  cwd: string;
  /** `--bundle`: add the kamal gem to the Gemfile and create bin/kamal, as Kamal does. */
  bundle?: boolean;
  /** Runs a local program for --bundle (default: execFileSync with inherited stdio). */
  runLocal?: (argv: string[]) => void;
  /** Called with each message as soon as it is known (the same lines are also returned). */
  print?: (line: string) => void;
}

const runInherited = (cwd: string) => (argv: string[]): void => {
  const [file, ...args] = argv;
  try {
    execFileSync(file!, args, { cwd, stdio: "inherit" });
  } catch (error) {
    const status = (error as { status?: number | null }).status;
    const why = status === undefined || status === null ? (error as Error).message : `exit status ${status}`;
    throw new KamalError(`\`${argv.join(" ")}\` failed (${why})`);
  }
};

export function initApp(options: InitOptions): string[] {
  const { cwd } = options;
  const messages: string[] = [];
  const say = (line: string): void => {
    messages.push(line);
    options.print?.(line);
  };

  const deployFile = join(cwd, "config/deploy.yml");
  if (existsSync(deployFile)) {
    say("Config file already exists in config/deploy.yml (remove first to create a new one)");
  } else {
    mkdirSync(dirname(deployFile), { recursive: true });
    writeFileSync(deployFile, DEPLOY_YML_TEMPLATE);
    say("Created configuration file in config/deploy.yml");
  }

  const secretsFile = join(cwd, ".kamal/secrets");
  if (!existsSync(secretsFile)) {
    mkdirSync(dirname(secretsFile), { recursive: true });
    writeFileSync(secretsFile, SECRETS_TEMPLATE);
    say("Created .kamal/secrets file");
  }

  const hooksDir = join(cwd, ".kamal/hooks");
  if (!existsSync(hooksDir)) {
    mkdirSync(hooksDir, { recursive: true });
    for (const [name, script] of Object.entries(SAMPLE_HOOKS)) {
      const path = join(hooksDir, `${name}.sample`);
      writeFileSync(path, script, { mode: 0o755 });
      chmodSync(path, 0o755); // the umask may have masked the mode above
    }
    say("Created sample hooks in .kamal/hooks");
  }

  if (options.bundle) {
    if (existsSync(join(cwd, "bin/kamal"))) {
      say("Binstub already exists in bin/kamal (remove first to create a new one)");
    } else {
      say("Adding Kamal to Gemfile and bundle...");
      const run = options.runLocal ?? runInherited(cwd);
      run(["bundle", "add", "kamal"]);
      run(["bundle", "binstubs", "kamal"]);
      say("Created binstub file in bin/kamal");
    }
  }
  return messages;
}
