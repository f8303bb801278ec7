/** The demo data, idempotent (lib/seed.ts): users alice and bob, the demo clients, a first signing key. */
import { getConfig } from "../lib/config";
import { openDatabase } from "../lib/db";
import { DEMO_CLIENTS, DEMO_USERS } from "../lib/demo";
import { seedDemoData } from "../lib/seed";

async function main() {
  const config = getConfig();
  const db = await openDatabase(config.databaseUrl);
  await seedDemoData(db, config);
  console.log(
    `Seeded ${DEMO_USERS.length} users and ${DEMO_CLIENTS(config.demoClientUrl).length} clients with redirect URIs on ${config.demoClientUrl}.`,
  );
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
