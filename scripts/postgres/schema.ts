/**
 * The PostgreSQL schema is not written by hand: it is prisma/schema.prisma with two lines changed (the
 * datasource's provider and the generated client's folder). `npm run db:postgres` writes it, and
 * a unit test fails when the committed file differs from what this function makes of the SQLite one.
 */

export const SQLITE_CLIENT_OUTPUT = "../lib/generated/prisma";
/** Relative to prisma/postgres/schema.prisma. */
export const POSTGRES_CLIENT_OUTPUT = "../../lib/generated/prisma-pg";

const HEADER = `// GENERATED from prisma/schema.prisma by \`npm run db:postgres\`: do not edit. Change the SQLite
// schema and add its migration, then run that script: it writes this file and the PostgreSQL migration
// of the same name (docs/deployment.md, "PostgreSQL").
`;

/** prisma/schema.prisma → prisma/postgres/schema.prisma. Throws on anything that would not carry over. */
export function postgresSchemaFrom(sqliteSchema: string): string {
  // A native type (@db.X) belongs to one provider; the models must stay portable to mirror line for line.
  const native = /^[^/\n]*@db\.\w+/m.exec(sqliteSchema);
  if (native) throw new Error(`prisma/schema.prisma uses a provider-specific native type: ${native[0].trim()}`);
  let providers = 0;
  let outputs = 0;
  const schema = sqliteSchema
    .replace(/(datasource db \{[^}]*?provider\s*=\s*)"sqlite"/, (_, before: string) => (providers++, `${before}"postgresql"`))
    .replace(/(generator client \{[^}]*?output\s*=\s*)"([^"]*)"/, (_, before: string, output: string) => {
      if (output !== SQLITE_CLIENT_OUTPUT) throw new Error(`the SQLite client's output is ${output}, expected ${SQLITE_CLIENT_OUTPUT}`);
      outputs++;
      return `${before}"${POSTGRES_CLIENT_OUTPUT}"`;
    });
  if (providers !== 1) throw new Error('prisma/schema.prisma has no `datasource db { provider = "sqlite" }`');
  if (outputs !== 1) throw new Error("prisma/schema.prisma has no `generator client { output = ... }`");
  return `${HEADER}\n${schema}`;
}
