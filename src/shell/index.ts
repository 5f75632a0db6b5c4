export * from "./cmd.ts";
export * from "./render.ts";
