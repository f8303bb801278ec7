/** Runs once when the server starts: fail fast on bad configuration, with a message naming the variable. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseConfig, configWarnings, ConfigError } = await import("./lib/config");
  const { redactDatabaseUrl } = await import("./lib/database-url");
  try {
    const config = parseConfig(process.env);
    for (const warning of configWarnings(process.env, config)) console.warn(`[authcode-lab] warning: ${warning}`);
    console.log(`[authcode-lab] issuer ${config.issuer}, database ${redactDatabaseUrl(config.databaseUrl)}`);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(`[authcode-lab] ${error.message}\nThe server did not start. See "Configuration" in README.md.`);
    process.exit(1);
  }
}
