// The OTel shipper against a real HTTP server on loopback.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Logger, OtelShipper, Redactor, StringWriter } from "../../src/output/index.ts";

let server: Server;
let endpoint: string;
const bodies: { url: string; json: any }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let data = "";
    req.on("data", (c) => (data += c));
    req.on("end", () => {
      bodies.push({ url: req.url ?? "", json: JSON.parse(data) });
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const attr = (attrs: any[], key: string) => attrs.find((a) => a.key === key)?.value;

describe("OtelShipper", () => {
  test("records from the Logger (every level, host, stream, redacted) and events, in OTLP JSON", async () => {
    bodies.length = 0;
    const shipper = new OtelShipper({ endpoint: endpoint + "/", err: new StringWriter(),
      resource: { "service.version": "2.7.0", "kamal.run_id": "run-1", "service.namespace": "app", "kamal.performer": "me", "deployment.environment.name": undefined } });
    const logger = new Logger({ out: new StringWriter(), verbosity: "info", sinks: [shipper], redactor: new Redactor(["sup3r-secret"]) });
    shipper.event("kamal.start", { "kamal.command": "deploy", "deployment.id": "run-1", "deployment.name": "deploy app" });
    logger.commandStarted({ id: "ab12cd34", host: "vm1", command: "docker run app" });
    logger.commandOutput("ab12cd34", "stdout", "token sup3r-secret\n", "vm1");
    logger.commandFinished("ab12cd34", 0.5, 0, "info", "vm1");
    shipper.event("kamal.complete", { "kamal.command": "deploy", "kamal.runtime": 3, "deployment.status": "succeeded" });
    await shipper.close();

    expect(bodies.length).toBe(1);
    expect(bodies[0].url).toBe("/v1/logs");
    const rl = bodies[0].json.resourceLogs[0];
    expect(attr(rl.resource.attributes, "service.name")).toEqual({ stringValue: "kamal" });
    expect(attr(rl.resource.attributes, "kamal.run_id")).toEqual({ stringValue: "run-1" });
    expect(attr(rl.resource.attributes, "deployment.environment.name")).toBeUndefined();
    const recs = rl.scopeLogs[0].logRecords;
    expect(recs.map((r: any) => r.eventName ?? r.body.stringValue)).toEqual([
      "kamal.start", "Running docker run app on vm1", "Command: docker run app", "token [REDACTED]",
      "Finished in 0.500 seconds with exit status 0 (successful).", "kamal.complete",
    ]);
    expect(recs[1].severityText).toBe("INFO");
    expect(recs[2].severityNumber).toBe(5); // debug: shipped although not printed at info
    expect(attr(recs[3].attributes, "server.address")).toEqual({ stringValue: "vm1" });
    expect(attr(recs[3].attributes, "log.iostream")).toEqual({ stringValue: "stdout" });
    expect(attr(recs[5].attributes, "kamal.runtime")).toEqual({ doubleValue: 3 });
    expect(recs[1].timeUnixNano).toMatch(/^\d{19}$/);
  });

  test("batches of 100 are sent at once; the rest on close", async () => {
    bodies.length = 0;
    const shipper = new OtelShipper({ endpoint, err: new StringWriter(), resource: {}, flushIntervalMs: 60_000 });
    for (let i = 0; i < 130; i++) shipper.record({ timeMs: Date.now(), level: "info", message: `line ${i}` });
    await new Promise((r) => setTimeout(r, 100));
    expect(bodies.map((b) => b.json.resourceLogs[0].scopeLogs[0].logRecords.length)).toEqual([100]);
    await shipper.close();
    expect(bodies.map((b) => b.json.resourceLogs[0].scopeLogs[0].logRecords.length)).toEqual([100, 30]);
  });

  test("the timer flushes a partial batch", async () => {
    bodies.length = 0;
    const shipper = new OtelShipper({ endpoint, err: new StringWriter(), resource: {}, flushIntervalMs: 50 });
    shipper.record({ timeMs: Date.now(), level: "warn", message: "soon" });
    await new Promise((r) => setTimeout(r, 300));
    expect(bodies.length).toBe(1);
    await shipper.close();
  });

  test("failures are swallowed, reported once", async () => {
    const err = new StringWriter();
    const shipper = new OtelShipper({ endpoint: "http://127.0.0.1:1", err, resource: {}, batchSize: 1 });
    shipper.record({ timeMs: Date.now(), level: "info", message: "a" });
    shipper.record({ timeMs: Date.now(), level: "info", message: "b" });
    await shipper.close();
    expect(err.text.split("\n").filter(Boolean).length).toBe(1);
    expect(err.text).toStartWith("OTel log shipping failed: ");
  });
});
