// Errors a user can cause. They print as one clear line (no stack trace unless -v) and exit non-zero.
// This module imports nothing so every layer may use it.

export class KamalError extends Error {
  /** Kamal prints `ERROR (<kind>): <message>`; kind mirrors Kamal's Ruby class names. */
  readonly kind: string;
  readonly exitCode: number;
  constructor(message: string, kind = "Kamal::Error", exitCode = 1) {
    super(message);
    this.name = new.target.name;
    this.kind = kind;
    this.exitCode = exitCode;
  }
}

export class ConfigurationError extends KamalError {
  constructor(message: string) { super(message, "Kamal::ConfigurationError"); }
}
export class ArgumentError extends KamalError {
  constructor(message: string) { super(message, "ArgumentError"); }
}
export class LockError extends KamalError {
  constructor(message: string) { super(message, "Kamal::Cli::LockError"); }
}
export class HookError extends KamalError {
  constructor(message: string) { super(message, "Kamal::Cli::HookError"); }
}
export class BootError extends KamalError {
  constructor(message: string) { super(message, "Kamal::Cli::BootError"); }
}
export class BuildError extends KamalError {
  constructor(message: string) { super(message, "Kamal::Cli::Build::BuildError"); }
}
export class DependencyError extends KamalError {
  constructor(message: string) { super(message, "Kamal::Cli::DependencyError"); }
}
export class NotImplementedYet extends KamalError {
  constructor(command: string) { super(`'kamal ${command}' is not implemented yet in this build`, "NotImplementedError"); }
}
