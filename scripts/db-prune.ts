/** `npm run db:prune`: deletes the dead rows of DATABASE_URL once (lib/records/prune.ts), as the server does periodically. */
import { getConfig } from "../lib/config";
import { openDatabase } from "../lib/db";
import { detachSqliteDirect } from "../lib/records/hot-sql";
import { pruneNow } from "../lib/prune-schedule";

async function main() {
  const config = getConfig();
  const db = await openDatabase(config.databaseUrl);
  try {
    const counts = await pruneNow(db, config);
    for (const [kind, count] of Object.entries(counts)) console.log(`${kind.padEnd(20)} ${count}`);
  } finally {
    detachSqliteDirect(db);
    await db.$disconnect();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
