import type { PrismaClient, User } from "../generated/prisma/client";

/** The users who sign in at the authorization server (User): the demo users, the self-check's, and test mode's. */

export type NewUser = Pick<User, "username" | "passwordHash" | "name" | "email" | "emailVerified">;

export function userByUsername(db: PrismaClient, username: string): Promise<User | null> {
  return db.user.findUnique({ where: { username } });
}

export function insertUser(db: PrismaClient, data: NewUser): Promise<User> {
  return db.user.create({ data });
}

/** What a user's profile shows (OpenID Connect Core §5.1): no password hash. */
export function userProfile(db: PrismaClient, id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, name: true, username: true, email: true, emailVerified: true } });
}

/** Usernames by id (the instructor's view names the users of the events it shows). */
export function usernames(db: PrismaClient, ids: string[]): Promise<{ id: string; username: string }[]> {
  return db.user.findMany({ where: { id: { in: ids } }, select: { id: true, username: true } });
}
