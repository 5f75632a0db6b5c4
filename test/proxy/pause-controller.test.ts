import { expect, test } from "bun:test";
import { PauseController, PauseState } from "../../src/proxy/pause-controller.ts";

test("running by default: proceed at once", () => {
  expect(new PauseController().wait()).toBe("proceed");
});

test("paused waits until resume", async () => {
  const p = new PauseController();
  p.pause(5e9);
  const waiting = p.wait();
  p.resume();
  expect(await waiting).toBe("proceed");
});

test("paused waits can time out", async () => {
  const p = new PauseController();
  p.pause(10e6);
  expect(await p.wait()).toBe("timed-out");
});

test("stop fails queued requests at once and keeps the message", async () => {
  const p = new PauseController();
  p.pause(5e9);
  const waiting = p.wait();
  p.stop("Back in 15 mins!");
  expect(await waiting).toBe("stopped");
  expect(p.wait()).toBe("stopped");
  expect(p.toJSON()).toEqual({ state: PauseState.Stopped, stop_message: "Back in 15 mins!", fail_after: 5e9 });
  const restored = new PauseController();
  restored.restore(p.toJSON());
  expect(restored.state).toBe(PauseState.Stopped);
});
