/** Chapter text: `backticks` become code, everything else stays text. */
export function Prose({ text }: { text: string }) {
  return text.split(/(`[^`]+`)/).map((part, i) =>
    part.startsWith("`") && part.endsWith("`") && part.length > 1 ? (
      <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.95em] text-slate-900">
        {part.slice(1, -1)}
      </code>
    ) : (
      part
    ),
  );
}
