// Host and role selection (--hosts, --roles, --primary), exactly as Kamal's Commander/Specifics (§1.13).
import { ArgumentError } from "../errors.ts";
import { fnmatch, splitTopLevel } from "./fnmatch.ts";

export interface SelectableRole {
  readonly name: string;
  readonly hosts: readonly string[];
  /** Role runs behind kamal-proxy. */
  readonly proxy?: boolean;
}
export interface SelectableAccessory {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly proxy?: boolean;
}
/** What selection needs from the configuration. Roles in config order (Kamal: alphabetical by name). */
export interface SelectionInput<R extends SelectableRole = SelectableRole> {
  readonly roles: readonly R[];
  readonly primaryRole: string;
  readonly accessories?: readonly SelectableAccessory[];
}
export interface SelectionFilters {
  /** Host patterns (already split, e.g. by splitFilterList). */
  hosts?: readonly string[];
  roles?: readonly string[];
  /** -p: only the primary host. */
  primary?: boolean;
}

export interface Selection<R extends SelectableRole = SelectableRole> {
  /** Filtered roles, primary role first. */
  readonly roles: R[];
  /** Filtered hosts, primary-role hosts first. */
  readonly hosts: string[];
  readonly primaryHost: string | undefined;
  readonly primaryRole: R | undefined;
  readonly appHosts: string[];
  readonly proxyHosts: string[];
  readonly accessoryHosts: string[];
  rolesOn(host: string): R[];
}

const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];
const stableSort = <T>(xs: T[], key: (x: T) => number): T[] =>
  xs.map((x, i) => [x, i] as const).sort((a, b) => key(a[0]) - key(b[0]) || a[1] - b[1]).map(([x]) => x);

/** "a,b,{c,d}" -> ["a", "b", "{c,d}"] (commas inside braces are kept, unlike a plain split). */
export function splitFilterList(list: string): string[] {
  return splitTopLevel(list).map((s) => s.trim()).filter((s) => s !== "");
}

/** Kamal::Utils.filter_specific_items: items matching any pattern, in pattern order, deduplicated. */
export function filterSpecificItems<T>(patterns: readonly string[], items: readonly T[], name: (item: T) => string): T[] {
  const matches: T[] = [];
  for (const p of patterns) for (const item of items) if (fnmatch(p, name(item))) matches.push(item);
  return uniq(matches);
}

export function allHosts(input: SelectionInput): string[] {
  return uniq([...input.roles.flatMap((r) => r.hosts), ...(input.accessories ?? []).flatMap((a) => a.hosts)]);
}

export function select<R extends SelectableRole>(input: SelectionInput<R>, filters: SelectionFilters = {}): Selection<R> {
  const isPrimary = (r: R): boolean => r.name === input.primaryRole;
  const everyHost = allHosts(input);
  const configPrimaryRole = input.roles.find(isPrimary);
  const configPrimaryHost = configPrimaryRole?.hosts[0];

  let specificRoles: R[] | undefined;
  if (filters.roles && filters.roles.length > 0) {
    specificRoles = filterSpecificItems(filters.roles, input.roles, (r) => r.name);
    if (specificRoles.length === 0) throw new ArgumentError(`No --roles match for ${filters.roles.join(",")}`);
  }
  let specificHosts: string[] | undefined;
  if (filters.hosts && filters.hosts.length > 0) {
    specificHosts = filterSpecificItems(filters.hosts, everyHost, (h) => h);
    if (specificHosts.length === 0) throw new ArgumentError(`No --hosts match for ${filters.hosts.join(",")}`);
  }
  if (filters.primary) {
    const host = specificRoles ? specificRoles[0].hosts[0] : configPrimaryHost;
    specificHosts = host === undefined ? [] : [host];
  }

  const hostPool = specificHosts ?? everyHost;
  const specifiedRoles = (specificRoles ?? [...input.roles]).filter((r) => r.hosts.some((h) => hostPool.includes(h)));
  const specificRoleHosts = specificRoles?.flatMap((r) => r.hosts) ?? [];
  const specifiedHosts = specificRoleHosts.length > 0 ? hostPool.filter((h) => specificRoleHosts.includes(h)) : [...hostPool];

  const primaryOrFirst = (rs: R[]): R | undefined => rs.find(isPrimary) ?? rs[0];
  const roles = stableSort(specifiedRoles, (r) => (isPrimary(r) ? 0 : 1));
  const rolesOn = (host: string): R[] => roles.filter((r) => r.hosts.includes(host));
  const primaryHost = specificHosts?.[0] ?? (specifiedRoles.length > 0 ? primaryOrFirst(specifiedRoles)?.hosts[0] : undefined) ?? configPrimaryHost;
  const primaryRole = primaryHost === undefined ? undefined : primaryOrFirst(rolesOn(primaryHost));
  const primaryHostsFirst = (hs: string[]): string[] => stableSort(hs, (h) => (rolesOn(h).some(isPrimary) ? 0 : 1));

  const inSpecified = (h: string): boolean => specifiedHosts.includes(h);
  const configAppHosts = uniq(input.roles.flatMap((r) => r.hosts));
  const accessories = input.accessories ?? [];
  const configProxyHosts = uniq([
    ...input.roles.filter((r) => r.proxy).flatMap((r) => r.hosts),
    ...accessories.filter((a) => a.proxy).flatMap((a) => a.hosts),
  ]);

  return {
    roles,
    hosts: primaryHostsFirst(specifiedHosts),
    primaryHost,
    primaryRole,
    appHosts: primaryHostsFirst(configAppHosts.filter(inSpecified)),
    proxyHosts: configProxyHosts.filter(inSpecified),
    accessoryHosts: uniq(accessories.flatMap((a) => a.hosts)).filter(inSpecified),
    rolesOn,
  };
}
