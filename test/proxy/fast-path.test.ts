// The opt-in raw-socket fast path on the HTTP port (src/proxy/fast/, KAMAL_PROXY_FAST_PATH=true): upstream framings it has to relay itself, pooled
// connections, pipelining, backpressure, Latin-1 header bytes, and the hand-over of everything else to the full
// pipeline with the real peer address. Real proxy process, raw TCP upstreams and clients on loopback.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { connect, createServer, type Server, type Socket } from "node:net";
import { ProxyProcess } from "./support/harness.ts";

let proxy: ProxyProcess;
const servers: Server[] = [];

/** A raw upstream: `answer` gets each request head (text up to the blank line) and writes whatever it likes. */
async function rawUpstream(answer: (head: string, socket: Socket, index: number) => void): Promise<{ target: string; heads: string[]; rawHeads: Buffer[] }> {
  const heads: string[] = [];
  const rawHeads: Buffer[] = [];
  const server = createServer((socket) => {
    let buffered = Buffer.alloc(0);
    socket.on("data", (data) => {
      buffered = Buffer.concat([buffered, data as Buffer]);
      for (;;) {
        const end = buffered.indexOf("\r\n\r\n");
        if (end < 0) return;
        const raw = buffered.subarray(0, end);
        buffered = buffered.subarray(end + 4);
        rawHeads.push(raw);
        heads.push(raw.toString("latin1"));
        answer(raw.toString("latin1"), socket, heads.length - 1);
      }
    });
    socket.on("error", () => undefined);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { target: `127.0.0.1:${(server.address() as { port: number }).port}`, heads, rawHeads };
}

/** Health checks (GET /up) answered like any request: 200 with a length. */
function ok(socket: Socket, body = "ok"): void {
  socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
}

/** Sends raw bytes on one client connection and collects what comes back until `done(received)` or close. */
function rawExchange(bytes: Buffer | string, done: (received: Buffer) => boolean, onSocket?: (s: Socket) => void): Promise<{ received: Buffer; closed: boolean; localPort: number }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const socket = connect(proxy.httpPort, "127.0.0.1", () => {
      onSocket?.(socket);
      socket.write(bytes);
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`timed out; got ${received.toString("latin1").slice(0, 500)}`));
    }, 10_000);
    socket.on("data", (data) => {
      received = Buffer.concat([received, data as Buffer]);
      if (done(received)) {
        clearTimeout(timer);
        const localPort = socket.localPort!;
        socket.destroy();
        resolve({ received, closed: false, localPort });
      }
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ received, closed: true, localPort: 0 });
    });
    socket.on("error", reject);
  });
}

const count = (text: string, part: string) => text.split(part).length - 1;

beforeAll(async () => {
  proxy = await ProxyProcess.start({ serverEnv: { KAMAL_PROXY_FAST_PATH: "true" } });
});
afterAll(async () => {
  for (const server of servers) server.close();
  await proxy.cleanup();
});

describe("fast path: upstream framings", () => {
  test("chunked, close-delimited and 1xx-preceded responses arrive whole; a malformed one is a 502", async () => {
    const upstream = await rawUpstream((head, socket) => {
      const path = head.split(" ")[1];
      if (path === "/chunked") socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
      else if (path === "/until-close") {
        socket.write("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nstreamed ");
        setTimeout(() => socket.end("until close"), 50);
      } else if (path === "/early-hints") socket.write("HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone");
      else if (path === "/garbage") socket.end("this is not HTTP\r\n\r\n");
      else ok(socket);
    });
    await proxy.ok("deploy", "framings", "--target", upstream.target, "--host", "framings.test");
    const chunked = await proxy.fetch("/chunked", { host: "framings.test" });
    expect([chunked.status, await chunked.text()]).toEqual([200, "hello, world"]);
    const untilClose = await proxy.fetch("/until-close", { host: "framings.test" });
    expect([untilClose.status, await untilClose.text()]).toEqual([200, "streamed until close"]);
    const hints = await proxy.fetch("/early-hints", { host: "framings.test" });
    expect([hints.status, await hints.text()]).toEqual([201, "done"]);
    const garbage = await proxy.fetch("/garbage", { host: "framings.test" });
    expect(garbage.status).toBe(502);
    expect(await garbage.text()).toContain("502");
  });

  test("a pooled connection the upstream closed meanwhile is replaced without an error", async () => {
    const upstream = await rawUpstream((head, socket) => {
      ok(socket, "first");
      if (!head.startsWith("GET /up ")) setTimeout(() => socket.end(), 20); // keep-alive answer, then close
    });
    await proxy.ok("deploy", "pooled", "--target", upstream.target, "--host", "pooled.test");
    for (let i = 0; i < 5; i++) {
      const res = await proxy.fetch(`/again/${i}`, { host: "pooled.test" });
      expect([res.status, await res.text()]).toEqual([200, "first"]);
      await Bun.sleep(60);
    }
  });

  test("a target that went away: 502 with the error page, and the next request still gets one", async () => {
    const sockets: Socket[] = [];
    const upstream = await rawUpstream((_head, socket) => {
      sockets.push(socket);
      ok(socket);
    });
    await proxy.ok("deploy", "gone", "--target", upstream.target, "--host", "gone.test");
    expect((await proxy.fetch("/", { host: "gone.test" })).status).toBe(200);
    const server = servers.at(-1)!;
    server.close();
    for (const socket of sockets) socket.destroy();
    await Bun.sleep(50);
    for (let i = 0; i < 2; i++) {
      const res = await proxy.fetch("/", { host: "gone.test" });
      expect(res.status).toBe(502);
      expect(await res.text()).toContain("502");
    }
    expect(await proxy.waitForLog(`"Error while proxying","target":"${upstream.target}"`)).toContain('"error":"Failed to connect"');
  });

  test("no response head within --target-timeout: 504", async () => {
    const upstream = await rawUpstream((head, socket) => {
      if (head.startsWith("GET /up ")) ok(socket);
    });
    await proxy.ok("deploy", "silent", "--target", upstream.target, "--host", "silent.test", "--target-timeout", "1s");
    const started = Date.now();
    const res = await proxy.fetch("/hangs", { host: "silent.test" });
    expect(res.status).toBe(504);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe("fast path: client side", () => {
  let target = "";
  beforeAll(async () => {
    const upstream = await rawUpstream((head, socket) => {
      const path = head.split(" ")[1]!;
      if (path.startsWith("/big")) {
        const body = Buffer.alloc(8 * 1024 * 1024, "abcdefghijklmnopqrstuvwxyz");
        socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`);
        socket.write(body);
      } else ok(socket, path);
    });
    target = upstream.target;
    await proxy.ok("deploy", "client", "--target", target, "--host", "client.test");
  });

  test("pipelined requests on one connection are answered in order", async () => {
    const two = "GET /one HTTP/1.1\r\nHost: client.test\r\n\r\nGET /two HTTP/1.1\r\nHost: client.test\r\n\r\n";
    const { received } = await rawExchange(two, (r) => r.toString("latin1").includes("/two"));
    const text = received.toString("latin1");
    expect(count(text, "HTTP/1.1 200 OK")).toBe(2);
    expect(text.indexOf("/one")).toBeLessThan(text.indexOf("/two"));
  });

  test("Connection: close is honoured: the answer says so and the connection closes", async () => {
    const { received, closed } = await rawExchange("GET /bye HTTP/1.1\r\nHost: client.test\r\nConnection: close\r\n\r\n", () => false);
    expect(closed).toBe(true);
    expect(received.toString("latin1")).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*Connection: close\r\n[\s\S]*\/bye$/);
  });

  test("a slow reader gets an 8 MB body intact (backpressure, nothing lost)", async () => {
    const expected = createHash("sha256");
    expected.update(Buffer.alloc(8 * 1024 * 1024, "abcdefghijklmnopqrstuvwxyz"));
    const { received } = await rawExchange("GET /big HTTP/1.1\r\nHost: client.test\r\n\r\n", (r) => r.length >= 8 * 1024 * 1024 + 38, (socket) => {
      socket.pause();
      setTimeout(() => socket.resume(), 500);
    });
    const bodyStart = received.indexOf("\r\n\r\n") + 4;
    expect(received.length - bodyStart).toBe(8 * 1024 * 1024);
    expect(createHash("sha256").update(received.subarray(bodyStart)).digest("hex")).toBe(expected.digest("hex"));
  });

  test("Latin-1 header bytes reach the upstream unchanged", async () => {
    const upstream = await rawUpstream((_head, socket) => ok(socket));
    await proxy.ok("deploy", "latin1", "--target", upstream.target, "--host", "latin1.test");
    const request = Buffer.concat([Buffer.from("GET /x HTTP/1.1\r\nHost: latin1.test\r\nX-Name: caf", "latin1"), Buffer.from([0xe9]), Buffer.from("\r\n\r\n")]);
    await rawExchange(request, (r) => r.toString("latin1").endsWith("ok"));
    const sent = upstream.rawHeads.find((h) => h.includes("X-Name"))!;
    const line = sent.subarray(sent.indexOf("X-Name"));
    expect([...line.subarray(0, line.indexOf("\r\n"))].slice(-4)).toEqual([0x63, 0x61, 0x66, 0xe9]);
  });

  test("a request the fast path doesn't take moves the connection to the full pipeline, with the real peer", async () => {
    // One request at a time: Bun.serve, which answers handed-over connections, does not take pipelined requests.
    const socket = connect(proxy.httpPort, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    let received = "";
    socket.on("data", (d) => (received += d.toString("latin1")));
    const send = async (request: string, until: string) => {
      socket.write(request);
      const deadline = Date.now() + 10_000;
      while (!received.endsWith(until) && Date.now() < deadline) await Bun.sleep(5);
    };
    await send("GET /first HTTP/1.1\r\nHost: client.test\r\n\r\n", "/first");
    await send("POST /second HTTP/1.1\r\nHost: client.test\r\nContent-Length: 5\r\n\r\nhello", "/second");
    await send("GET /third HTTP/1.1\r\nHost: client.test\r\n\r\n", "/third");
    const localPort = socket.localPort;
    socket.destroy();
    expect(count(received, "HTTP/1.1 200")).toBe(3);
    expect(received).toEndWith("/third");
    const line = await proxy.waitForLog('"path":"/second"');
    expect(JSON.parse(line)).toMatchObject({ method: "POST", status: 200, client_addr: "127.0.0.1", client_port: String(localPort) });
  });

  test("HTTP/1.0 and absolute-form requests are answered by the full pipeline", async () => {
    const old = await rawExchange("GET /old HTTP/1.0\r\nHost: client.test\r\n\r\n", () => false);
    expect(old.received.toString("latin1")).toMatch(/^HTTP\/1\.[01] 200[\s\S]*\/old$/);
    const absolute = await rawExchange(`GET http://client.test/abs HTTP/1.1\r\nHost: client.test\r\n\r\n`, (r) => r.toString("latin1").endsWith("/abs"));
    expect(absolute.received.toString("latin1")).toStartWith("HTTP/1.1 200");
  });
});
