// The Kamal version this build is compatible with; the build script injects the real build version.
declare const KAMAL_BUILD_VERSION: string | undefined;
export const KAMAL_COMPAT_VERSION = "2.12.0";
/** The kamal-proxy version the built-in proxy is compatible with, and the oldest one Kamal accepts on a host. */
export const PROXY_VERSION = "v0.9.2";
export const VERSION: string = typeof KAMAL_BUILD_VERSION === "string" ? KAMAL_BUILD_VERSION : KAMAL_COMPAT_VERSION;
