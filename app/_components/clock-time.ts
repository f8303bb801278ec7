/** The time of day in UTC, the same on the server and in the browser (no locale). */
export const clockTime = (iso: string) => `${iso.slice(11, 19)} UTC`;
