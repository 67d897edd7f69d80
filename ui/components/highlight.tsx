/** Splits an API highlight fragment on its <mark> tags; every other character stays text. */
export function splitMarks(fragment: string): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  let marked = false;
  for (const piece of fragment.split(/(<\/?mark>)/)) {
    if (piece === '<mark>') marked = true;
    else if (piece === '</mark>') marked = false;
    else if (piece) parts.push({ text: piece, marked });
  }
  return parts;
}

/**
 * A highlight fragment rendered without innerHTML: the API's <mark> tags become <mark> elements and
 * the rest is text, so markup in a title or transcript shows as the characters it is.
 */
export function Highlighted({ fragment }: { fragment: string }) {
  return <>{splitMarks(fragment).map((p, i) => (p.marked ? <mark key={i}>{p.text}</mark> : p.text))}</>;
}
