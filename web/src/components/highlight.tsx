/**
 * A found name with the parts that matched the search marked: the server matches case- and
 * accent-insensitive word prefixes ("nomina oct" finds "Nómina octubre"), and so does this.
 */
import { fold } from '../format.ts';

const isWordChar = (c: string) => /[\p{L}\p{N}]/u.test(c);

/** The [start, end) ranges of `name` where a word of `q` starts a word of the name. */
export function matchRanges(name: string, q: string): [number, number][] {
  const chars = [...name];
  const folded = chars.map(fold);
  const words = q
    .split(/[^\p{L}\p{N}]+/u)
    .map(fold)
    .filter(Boolean);
  const marked = new Array<boolean>(chars.length).fill(false);
  for (let i = 0; i < chars.length; i++) {
    if (!isWordChar(chars[i]) || (i > 0 && isWordChar(chars[i - 1]))) continue;
    for (const w of words) {
      let j = i;
      let got = '';
      while (j < chars.length && got.length < w.length) got += folded[j++];
      if (got.startsWith(w)) for (let k = i; k < j; k++) marked[k] = true;
    }
  }
  const ranges: [number, number][] = [];
  let cu = 0; // index in UTF-16 units
  chars.forEach((c, i) => {
    if (marked[i]) {
      const last = ranges[ranges.length - 1];
      if (last && last[1] === cu) last[1] += c.length;
      else ranges.push([cu, cu + c.length]);
    }
    cu += c.length;
  });
  return ranges;
}

export function Highlight({ text, q }: { text: string; q: string }) {
  const parts = [];
  let at = 0;
  for (const [s, e] of matchRanges(text, q)) {
    if (s > at) parts.push(text.slice(at, s));
    parts.push(<mark key={s}>{text.slice(s, e)}</mark>);
    at = e;
  }
  if (at < text.length) parts.push(text.slice(at));
  return <>{parts}</>;
}
