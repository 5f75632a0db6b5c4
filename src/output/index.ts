export * from "./color.ts";
export * from "./fatal.ts";
export * from "./file-log.ts";
export * from "./logger.ts";
export * from "./otel.ts";
export * from "./redactor.ts";
export * from "./summary.ts";
