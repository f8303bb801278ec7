/** `npm run keys:rotate`: sign with a new key from now on; keep the old public key until its tokens expire. */
import { rotateSigningKey } from "../lib/authorization-server/keys";
import { getConfig } from "../lib/config";
import { openDatabase } from "../lib/db";

async function main() {
  const config = getConfig();
  const db = await openDatabase(config.databaseUrl);
  const publishFor = Math.max(config.accessTokenTtl, config.idTokenTtl) + 60;
  const { kid, activatesAt } = await rotateSigningKey(db, publishFor);
  console.log(`New signing key ${kid}: published in the JWKS now, signing from ${activatesAt.toISOString()}.`);
  console.log(`The old key signs until then and stays published ${publishFor} s more, until every token it signed has expired.`);
  await db.$disconnect();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
