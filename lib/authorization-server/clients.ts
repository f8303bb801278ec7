import type { PrismaClient } from "../generated/prisma/client";

export type TokenEndpointAuthMethod = "client_secret_basic" | "client_secret_post" | "none";

/** A registered client (RFC 6749 §2), as the protocol code sees it. */
export type Client = {
  id: string;
  name: string;
  secretHash: string | null;
  authMethod: TokenEndpointAuthMethod;
  redirectUris: string[];
  allowedScopes: string[];
  /** RFC 6749 §2.1: a public client cannot keep a secret. */
  isPublic: boolean;
};

export async function findClient(db: PrismaClient, id: string): Promise<Client | null> {
  const row = await db.client.findUnique({ where: { id } });
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    secretHash: row.secretHash,
    authMethod: row.tokenEndpointAuthMethod as TokenEndpointAuthMethod,
    redirectUris: JSON.parse(row.redirectUris) as string[],
    allowedScopes: row.allowedScopes.split(" ").filter(Boolean),
    isPublic: row.tokenEndpointAuthMethod === "none",
  };
}
