// Health of containers that do not run behind kamal-proxy (reference §5e): the docker status is polled with a linear
// back-off until it is `healthy`, or still `running` after the readiness delay; deploy_timeout bounds the wait.
import { containerHealthStatus } from "../../commands/app/index.ts";
import type { Context } from "../context.ts";
import { HealthcheckError } from "./barrier.ts";

export async function waitForHealthy(ctx: Context, host: string, containerName: string): Promise<void> {
  const { config, clock, logger } = ctx;
  const timeoutAt = clock.now().getTime() + config.deployTimeout * 1000;
  const status = async (): Promise<string> => (await ctx.runner.exec(host, containerHealthStatus(containerName), { level: "debug" })).stdout.trim();
  for (let attempt = 1; ; attempt++) {
    let current = await status();
    if (current === "running" && config.readinessDelay > 0) {
      logger.info(`Container is running, waiting for readiness delay of ${config.readinessDelay} seconds`);
      await clock.sleep(config.readinessDelay * 1000);
      current = await status();
    }
    if (current === "running" || current === "healthy") break;
    const timeLeft = timeoutAt - clock.now().getTime();
    if (timeLeft <= 0) throw new HealthcheckError(`container not ready after ${config.deployTimeout} seconds (${current || "not found"})`);
    await clock.sleep(Math.min(attempt * 1000, timeLeft));
  }
  logger.info("Container is healthy!");
}
