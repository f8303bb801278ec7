/**
 * The Node.js half of instrumentation.ts: fail fast on bad configuration, with a message naming the
 * variable; then start the periodic purge.
 */
import { subscribe } from "node:diagnostics_channel";
import { networkInterfaces } from "node:os";
import { addressWarnings } from "./lib/app-address";
import { authSecret } from "./lib/client/nextauth/session-cookie";
import { configWarnings, ConfigError, parseConfig } from "./lib/config";
import { redactDatabaseUrl } from "./lib/database-url";
import { getDb } from "./lib/db";
import { refuseOversizedActions } from "./lib/oversized-actions";
import { recordPeerAddresses } from "./lib/peer-address";
import { startPruning } from "./lib/prune-schedule";

try {
  const config = parseConfig(process.env);
  // The socket's address of each request, for the per-IP limits (lib/peer-address.ts); and server
  // actions too large to read, answered 413 before Next.js reads them (lib/oversized-actions.ts).
  recordPeerAddresses(subscribe);
  refuseOversizedActions(subscribe);
  const localAddresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((i) => (i ? [i.address] : []));
  const warnings = [...configWarnings(process.env, config), ...addressWarnings(config.issuer, config.port, localAddresses)];
  for (const warning of warnings) console.warn(`[authcode-lab] warning: ${warning}`);
  console.log(`[authcode-lab] issuer ${config.issuer}, database ${redactDatabaseUrl(config.databaseUrl)}`);
  // next-auth's session secret: when AUTH_SECRET is unset, made now, on the first start, and kept.
  authSecret(config);
  // The periodic purge of dead rows (lib/prune.ts), on one unref'd timer.
  startPruning(config, getDb);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`[authcode-lab] ${error.message}\nThe server did not start. See docs/configuration.md.`);
  process.exit(1);
}
