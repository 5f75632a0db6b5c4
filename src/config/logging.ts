// Container logging (configuration/logging.rb): driver + options, default `--log-opt max-size=10m`.
import { kamalArgumentize, kamalOptionize } from "./kamal-args.ts";
import { clearValueText } from "./env.ts";
import { deepMerge, hashOrEmpty, isPresent, optionalString, type RawHash } from "./values.ts";

export class LoggingConfig {
  readonly raw: RawHash;
  constructor(raw: unknown) { this.raw = hashOrEmpty(raw); }

  get driver(): string | undefined { return isPresent(this.raw.driver) ? optionalString(this.raw.driver) : undefined; }
  get options(): RawHash { return hashOrEmpty(this.raw.options); }

  /** Role logging = root.deep_merge(role). */
  merge(other: LoggingConfig): LoggingConfig { return new LoggingConfig(deepMerge(this.raw, other.raw)); }

  /** Structured docker flags: `--log-driver <d>` and one `--log-opt key=value` per option ("" value = bare key). */
  get dockerArgs(): { driver?: string; logOpts: Array<[string, string]> } {
    const driver = this.driver;
    const options = this.options;
    if (driver !== undefined || isPresent(options)) {
      return { driver, logOpts: Object.entries(options).map(([k, v]) => [k, clearValueText(v)]) };
    }
    return { logOpts: [["max-size", "10m"]] };
  }

  /** As Kamal prints them in `kamal config`: `["--log-opt", "max-size=\"10m\""]`. */
  get kamalArgs(): string[] {
    const driver = this.driver;
    const options = this.options;
    if (driver !== undefined || isPresent(options)) {
      return [...kamalOptionize(driver !== undefined ? { "log-driver": driver } : {}), ...kamalArgumentize("--log-opt", options)];
    }
    return kamalArgumentize("--log-opt", { "max-size": "10m" });
  }
}
