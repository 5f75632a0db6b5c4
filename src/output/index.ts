export * from "./color.ts";
export * from "./logger.ts";
export * from "./redactor.ts";
