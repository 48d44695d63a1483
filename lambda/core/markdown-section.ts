/**
 * A generated section of a hand-written document: the lines between two marker comments are made
 * again from a table of the code (`npm run docs`), and a test compares the file with what they
 * would be. Pure.
 */
export function withGeneratedSection(
  markdown: string,
  markers: { readonly start: string; readonly end: string },
  body: readonly string[],
): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === markers.start);
  const end = lines.findIndex((line, index) => index > start && line.trim() === markers.end);
  if (start < 0 || end < 0) throw new Error(`the markers of a generated section are missing: ${markers.start}`);
  const indent = /^\s*/.exec(lines[start] ?? '')?.[0] ?? '';
  return [...lines.slice(0, start + 1), '', ...body.map((line) => `${indent}${line}`), '', ...lines.slice(end)].join(
    '\n',
  );
}

/** A table cell: pipes escaped. */
export const cell = (text: string) => text.replace(/\|/g, '\\|');
