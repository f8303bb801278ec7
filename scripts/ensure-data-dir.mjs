// SQLite creates the database file but not its folder: make the folder of DATABASE_URL's file.
import { mkdirSync } from "node:fs";
import path from "node:path";

const url = process.env.DATABASE_URL ?? "file:./data/authcode-lab.db";
if (url.startsWith("file:")) mkdirSync(path.dirname(path.resolve(url.slice(5).split("?")[0])), { recursive: true });
