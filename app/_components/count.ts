/** "1 run", "3 runs": a number and its noun, singular or plural as a person writes it. */
export const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
