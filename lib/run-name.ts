/**
 * A run's short name, the same on every page that shows it (the walkthrough, /app, the instructor's
 * cards), so that "I'm stuck on run kDa74o" finds the run: the first six characters of its correlation
 * id. The whole id names the run's events and records at /api/flow-events and /api/flow-state (reading
 * them takes a proof as well), and a projector shows only this much (64^6 names: no two runs of a room share one).
 */
export const runName = (correlationId: string) => correlationId.slice(0, 6);
