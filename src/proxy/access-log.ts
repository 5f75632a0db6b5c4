// Hot-path writer for the `Request` access-log line: the same bytes as request-log.ts's requestLogLine, built by
// string concatenation with the timestamp cached per millisecond (about 4x cheaper per request).
import { formatLogTime, headerLogKey, requestLogLine, type RequestLogEntry } from "./request-log.ts";

const SAFE = /^[\x20-\x7e]*$/;

function str(value: string): string {
  return SAFE.test(value) && !value.includes('"') && !value.includes("\\") ? `"${value}"` : JSON.stringify(value);
}

export class AccessLogFormatter {
  private lastMs = -1;
  private lastTime = "";
  private readonly requestKeys = new Map<string, string>();

  private requestKey(name: string): string {
    let key = this.requestKeys.get(name);
    if (key === undefined) {
      key = str(headerLogKey("req", name));
      this.requestKeys.set(name, key);
    }
    return key;
  }

  private time(now: number): string {
    if (now !== this.lastMs) {
      this.lastMs = now;
      this.lastTime = formatLogTime(new Date(now));
    }
    return this.lastTime;
  }

  line(e: RequestLogEntry, now = Date.now()): string {
    if (e.logRequestHeaders?.some((h) => h.toLowerCase() === "set-cookie") || e.logResponseHeaders?.length) {
      return requestLogLine(e, new Date(now));
    }
    let out = `{"time":"${this.time(now)}","level":"INFO","msg":"Request","host":${str(e.host)},"port":${e.port},"path":${str(e.path)}` +
      `,"request_id":${str(e.requestId)},"status":${e.status},"service":${str(e.service)},"target":${str(e.target)}` +
      `,"duration":${Math.round(e.durationNs)},"method":${str(e.method)},"req_content_length":${e.reqContentLength}` +
      `,"req_content_type":${str(e.reqContentType)},"resp_content_length":${e.respContentLength}` +
      `,"resp_content_type":${str(e.respContentType)},"client_addr":${str(e.clientAddr)},"client_port":${str(e.clientPort)}` +
      `,"remote_addr":${str(e.remoteAddr)},"user_agent":${str(e.userAgent)},"proto":${str(e.proto)},"scheme":"${e.scheme}"` +
      `,"query":${str(e.query)}`;
    if (e.logRequestHeaders) {
      for (const name of e.logRequestHeaders) out += `,${this.requestKey(name)}:${str(e.requestHeaders?.get(name) ?? "")}`;
    }
    return out + "}\n";
  }
}
