// Rollout split (kamal-proxy §2.6): requests with a `kamal-rollout` cookie go to the rollout load balancer when
// the value is allow-listed or its FNV-1a 32-bit hash falls under the percentage split point.

export const ROLLOUT_COOKIE = "kamal-rollout";

export interface RolloutControllerState {
  percentage: number;
  percentage_split_point: number;
  allowlist: string[] | null;
}

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  const bytes = new TextEncoder().encode(text);
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The first non-empty value of the named cookie in a Cookie header, or "". */
export function cookieValue(header: string | null, name: string): string {
  if (!header) return "";
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim().replace(/^"(.*)"$/, "$1");
      if (value !== "") return value;
      return "";
    }
  }
  return "";
}

export class RolloutController {
  readonly percentage: number;
  readonly splitPoint: number;
  readonly allowlist: string[];

  constructor(percentage: number, allowlist: string[]) {
    this.percentage = percentage;
    this.splitPoint = Math.floor((0xffffffff * percentage) / 100);
    this.allowlist = allowlist;
  }

  static fromState(state: RolloutControllerState | null | undefined): RolloutController | null {
    if (!state) return null;
    return new RolloutController(state.percentage, state.allowlist ?? []);
  }

  matches(cookieHeader: string | null): boolean {
    const value = cookieValue(cookieHeader, ROLLOUT_COOKIE);
    if (value === "") return false;
    if (this.allowlist.includes(value)) return true;
    return fnv1a32(value) <= (0xffffffff * this.percentage) / 100;
  }

  toJSON(): RolloutControllerState {
    return { percentage: this.percentage, percentage_split_point: this.splitPoint, allowlist: this.allowlist };
  }
}
