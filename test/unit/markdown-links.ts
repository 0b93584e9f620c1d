import GithubSlugger from 'github-slugger';

export interface MarkdownLink {
  readonly target: string;
  /** 1-based line of the link in its file. */
  readonly line: number;
}

const FENCE = /^\s*(```|~~~)/;
// [text](target) or [text](target "title"); `![alt](src)` images match too, on purpose.
const INLINE_LINK = /\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
const CODE_SPAN = /`[^`]*`/g;

/** Lines outside fenced code blocks, with their 1-based numbers. */
function proseLines(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  let fenced = false;
  text.split('\n').forEach((line, i) => {
    if (FENCE.test(line)) fenced = !fenced;
    else if (!fenced) out.push([line, i + 1]);
  });
  return out;
}

/** The inline links of a markdown text, outside code blocks and code spans; link text may wrap. */
export function markdownLinks(text: string): MarkdownLink[] {
  const lines = text.split('\n');
  const prose = new Set(proseLines(text).map(([, number]) => number));
  const kept = lines.map((line, i) => (prose.has(i + 1) ? line : '')).join('\n');
  // Code spans become blanks of the same length, so positions (and line numbers) stay put.
  const blanked = kept.replace(CODE_SPAN, (span) => span.replace(/[^\n]/g, ' '));
  const links: MarkdownLink[] = [];
  for (const match of blanked.matchAll(INLINE_LINK)) {
    const line = blanked.slice(0, match.index).split('\n').length;
    links.push({ target: match[1]!, line });
  }
  return links;
}

/** The anchors GitHub gives a markdown text's headings (a repeated heading gets -1, -2, …). */
export function headingAnchors(text: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set<string>();
  for (const [line] of proseLines(text)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) anchors.add(slugger.slug(heading[1]!.replace(/`/g, '')));
  }
  return anchors;
}
