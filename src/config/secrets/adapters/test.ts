// The adapter Kamal's own tests use: no CLI; each secret's value is its name reversed, with the words
// LPAREN/RPAREN turned into parentheses first.
import { defineAdapter, prefixedSecrets, type SecretsAdapter } from "./base.ts";

export function testAdapter(): SecretsAdapter {
  return defineAdapter({
    requiresAccount: true,
    checkDependencies: () => undefined,
    login: () => true,
    fetchSecrets(secrets, { from }) {
      const results: Record<string, string> = {};
      for (const s of prefixedSecrets(secrets, from)) {
        results[s] = Array.from(s.replaceAll("LPAREN", "(").replaceAll("RPAREN", ")")).reverse().join("");
      }
      return results;
    },
  });
}
