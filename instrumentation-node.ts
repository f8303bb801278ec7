/** The Node.js half of instrumentation.ts: fail fast on bad configuration, with a message naming the variable. */
import { configWarnings, ConfigError, parseConfig } from "./lib/config";
import { redactDatabaseUrl } from "./lib/database-url";

try {
  const config = parseConfig(process.env);
  for (const warning of configWarnings(process.env, config)) console.warn(`[authcode-lab] warning: ${warning}`);
  console.log(`[authcode-lab] issuer ${config.issuer}, database ${redactDatabaseUrl(config.databaseUrl)}`);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`[authcode-lab] ${error.message}\nThe server did not start. See "Configuration" in README.md.`);
  process.exit(1);
}
