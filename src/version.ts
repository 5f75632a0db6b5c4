// The Kamal version this build is compatible with; the build script injects the real build version.
declare const KAMAL_BUILD_VERSION: string | undefined;
export const KAMAL_COMPAT_VERSION = "2.12.0";
export const VERSION: string = typeof KAMAL_BUILD_VERSION === "string" ? KAMAL_BUILD_VERSION : KAMAL_COMPAT_VERSION;
