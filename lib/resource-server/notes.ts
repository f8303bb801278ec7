import { z } from "zod";
import type { Resource } from "./context";
import { invalidRequest, invalidToken } from "./errors";
import { readJsonBody } from "./json-body";
import { errorBody, OAuthError } from "../oauth/errors";
import { insertNote, noteOf, notesOf } from "../records/note";

export const MAX_NOTE_LENGTH = 1000;
const LIST_LIMIT = 100;

/** The body of POST /api/notes: exactly {"text": string}, 1 to 1000 characters (code points), not blank. */
const NoteInput = z.strictObject(
  {
    text: z
      .string({
        error: (issue) => (issue.input === undefined ? "text is required: a string of 1 to 1000 characters." : "text must be a string."),
      })
      .refine((text) => text.trim() !== "", "text must not be empty or blank.")
      .refine((text) => [...text].length <= MAX_NOTE_LENGTH, `text must be at most ${MAX_NOTE_LENGTH} characters.`),
  },
  {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `Unknown field ${issue.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(", ")}: the body is {"text": string}.`
        : 'The body must be a JSON object: {"text": string}.',
  },
);

/**
 * The notes API, scoped to the token's user: every query filters on the token's `sub`, so a user's
 * token never reads or writes another user's notes.
 */
export const listNotes: Resource = {
  name: "List the user's notes",
  scope: "notes:read",
  async serve({ claims }, _request, ctx) {
    const notes = await notesOf(ctx.db, claims.sub, LIST_LIMIT);
    return { status: 200, body: { notes } };
  },
};

export const createNote: Resource = {
  name: "Create a note",
  scope: "notes:write",
  async serve({ claims }, request, ctx) {
    const parsed = NoteInput.safeParse(await readJsonBody(request));
    if (!parsed.success) throw invalidRequest("request", parsed.error.issues[0].message);
    const note = await insertNote(ctx.db, claims.sub, parsed.data.text).catch((error: unknown) => {
      // P2003, a foreign key violation: the token's user was deleted after the token was issued.
      if ((error as { code?: string }).code === "P2003") throw invalidToken("user", "The token's user no longer exists.");
      throw error;
    });
    return { status: 201, body: note, headers: { Location: `${new URL(request.url).pathname.replace(/\/$/, "")}/${note.id}` } };
  },
};

/** One note by id; another user's note is answered exactly like a missing one (404), so ids reveal nothing. */
export const readNote = (id: string): Resource => ({
  name: "Read one note",
  scope: "notes:read",
  async serve({ claims }, _request, ctx) {
    const note = id.length <= 64 ? await noteOf(ctx.db, claims.sub, id) : null;
    if (!note) return { status: 404, body: errorBody(new OAuthError("not_found", "There is no note with this id among your notes.")) };
    return { status: 200, body: note };
  },
});
