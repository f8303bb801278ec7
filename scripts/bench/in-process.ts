/**
 * `npx tsx --conditions=react-server scripts/bench/in-process.ts [grants]`: the token endpoint's own
 * cost, without Next.js or HTTP: CPU time per authorization code grant (client_secret_basic, PKCE;
 * access, refresh and ID token; its flow event), calling handleToken directly, 10 at a time as the
 * bench's connections do, on a fresh SQLite file. Codes are inserted as the authorization endpoint
 * stores them. `npm run bench` measures the server as users meet it; this says how much of its
 * token request is the protocol and database work, the part issue 6 compares with an in-memory server.
 */
import { randomToken, hashToken } from "../../lib/crypto";
import { getKeys } from "../../lib/authorization-server/keys";
import { insertAuthorizationCode } from "../../lib/records/authorization-code";
import { handleToken } from "../../lib/authorization-server/token-endpoint";
import { groupCommits } from "../../lib/records/hot-sql";
import { basicAuth, createTestDatabase, pkcePair, seedClient, seedUser, testContext, tokenRequest } from "../../test/support/db";

const grants = Number(process.argv[2] ?? 5000);
const WARM_UP = 500;
const CONCURRENCY = 10;
const REDIRECT_URI = "http://localhost/cb";

async function main() {
  const t = await createTestDatabase();
  try {
    const user = await seedUser(t.db);
    await seedClient(t.db, {
      id: "bench",
      secret: "bench-secret",
      authMethod: "client_secret_basic",
      redirectUris: [REDIRECT_URI],
      scopes: ["openid", "offline_access", "notes:read"],
    });
    await getKeys(t.db);
    const codes: { code: string; verifier: string }[] = [];
    for (let i = 0; i < grants + WARM_UP; i++) {
      const { verifier, challenge } = pkcePair();
      const code = randomToken();
      const now = new Date();
      await insertAuthorizationCode(t.db, {
        codeHash: hashToken(code),
        correlationId: randomToken(8),
        clientId: "bench",
        userId: user.id,
        redirectUri: REDIRECT_URI,
        scope: "openid offline_access notes:read",
        codeChallenge: challenge,
        nonce: null,
        authTime: now,
        expiresAt: new Date(now.getTime() + 600_000),
        createdAt: now,
      });
      codes.push({ code, verifier });
    }
    const authorization = basicAuth("bench", "bench-secret");
    const redeem = async () => {
      const { code, verifier } = codes.shift()!;
      const response = await handleToken(
        tokenRequest({ grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI }, { authorization }),
        testContext(t.db),
      );
      const body = (await response.json()) as { access_token?: string; refresh_token?: string; id_token?: string };
      if (response.status !== 200 || !body.access_token || !body.refresh_token || !body.id_token)
        throw new Error(`unexpected response ${response.status}`);
    };
    for (let i = 0; i < WARM_UP; i++) await redeem();
    const commitsBefore = groupCommits(t.db);
    const cpu = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        for (let i = 0; i < grants / CONCURRENCY; i++) await redeem();
      }),
    );
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - started;
    console.log(
      `${grants} code grants in process: ${((used.user + used.system) / 1000 / grants).toFixed(3)} ms of CPU each, ${Math.round((grants * 1000) / ms)} per second.`,
    );
    const commitsAfter = groupCommits(t.db);
    if (commitsBefore && commitsAfter && commitsAfter.groups > commitsBefore.groups) {
      const [groups, writes] = [commitsAfter.groups - commitsBefore.groups, commitsAfter.writes - commitsBefore.writes];
      console.log(
        `SQLite: ${writes} writes in ${groups} commits (${(writes / groups).toFixed(1)} per commit, ${(groups / grants).toFixed(2)} commits per grant).`,
      );
    }
  } finally {
    await t.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
