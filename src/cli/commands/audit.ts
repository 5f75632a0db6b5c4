// `kamal audit`: the last 50 lines of the audit log on every selected host.
import { defineCommand } from "../define.ts";

export const auditCommand = defineCommand({
  name: "audit",
  desc: "Show audit log from servers",
  run: async (_input, ctx) => {
    const [{ withContext }, flows] = await Promise.all([import("../../flows/context.ts"), import("../../flows/audit.ts")]);
    await withContext(ctx, flows.auditCommand);
  },
});
