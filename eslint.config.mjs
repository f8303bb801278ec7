import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  // The authorization server imports nothing of the other roles or the workshop features (issue 13): the
  // lab's weakened client is data (lib/authorization-server/client-policy.ts), not code it calls.
  {
    files: ["lib/authorization-server/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/lab/*", "**/instructor/*", "**/learn/*", "**/client/*", "**/resource-server/*"],
              message: "The authorization server imports no other role and no workshop feature (issue 13).",
            },
          ],
        },
      ],
    },
  },
  // The resource server and the clients import no other role and no workshop feature: they meet the
  // authorization server through HTTP, configuration, the database and lib/oauth/ only (issue 13). Tests
  // that run a whole flow through every role's handlers may import them.
  ...[
    ["lib/resource-server/**", ["**/authorization-server/*", "**/client/*", "**/workshop/**"]],
    ["lib/client/**", ["**/authorization-server/*", "**/resource-server/*", "**/workshop/**"]],
    // The client's protocol code serves the walkthrough, the lab and next-auth alike, so it imports none of them.
    ["lib/client/core/**", ["**/authorization-server/*", "**/resource-server/*", "**/workshop/**", "**/walkthrough/**", "**/nextauth/**"]],
    // The workshop features stand on the roles, but never reach into the authorization server's code, and
    // they use the client's protocol code (lib/client/core/), never the walkthrough's runs and page.
    ["lib/workshop/**", ["**/authorization-server/*", "**/client/walkthrough/**"]],
    ["app/(workshop)/**", ["**/client/walkthrough/**"]],
  ].map(([files, roles]) => ({
    files: [files],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: roles,
              message:
                "Across the layers only what lib/oauth/ shares: no role imports another role or the workshop, the workshop imports no authorization server code, and the client's protocol code is lib/client/core/, which imports no client and which the workshop uses instead of the walkthrough (issue 13).",
            },
          ],
        },
      ],
    },
  })),
  // What the roles share imports no role.
  {
    files: ["lib/oauth/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/authorization-server/*", "**/resource-server/*", "**/client/*", "**/lab/*", "**/instructor/*", "**/learn/*"],
              message: "lib/oauth/ is what the three roles share: it imports none of them (issue 13).",
            },
          ],
        },
      ],
    },
  },
  // Playwright fixtures call their callback `use`, which is not React's hook.
  { files: ["e2e/**"], rules: { "react-hooks/rules-of-hooks": "off" } },
  {
    ignores: [".next/**", ".next-*/**", "node_modules/**", "lib/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
];

export default config;
