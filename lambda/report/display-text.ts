/**
 * Text that came from AWS, made safe to show wherever the janitor renders it: the terminal's table
 * and log lines, the Markdown, the HTML page, the chat card and the digest. A member account
 * controls some of what a row says (its name, who called what from where, the words of AWS's
 * errors, which quote request parameters), and a row is read by the people who decide about it.
 *
 * Each renderer calls this once on such text, before its own escaping (escapeHtml, markdownCell,
 * chatText, subjectLine, the table's cells, the digest's lines): the report itself keeps what AWS
 * said (`--output json` and the run store are data, not something a person reads as rendered).
 */

/**
 * The bidirectional controls that reorder what a reader sees without changing what the text is
 * (Trojan Source, CVE-2021-42574): the embeddings and overrides LRE, RLE, PDF, LRO, RLO
 * (U+202A–U+202E) and the isolates LRI, RLI, FSI, PDI (U+2066–U+2069).
 */
export const BIDI_CONTROLS: readonly string[] = [
  '\u202a',
  '\u202b',
  '\u202c',
  '\u202d',
  '\u202e',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];

const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
/** C0 (line breaks, tab, a terminal's ESC), DEL and C1 control characters. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]+/g;
// eslint-disable-next-line no-control-regex
const ANY_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * The text with its bidirectional controls removed, and each run of control characters (a line
 * break, a terminal's escape sequence's ESC) as one space: it reads in the order it is stored and
 * stays on its line. Text without either is returned as it is.
 */
export function displayText(text: string): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(BIDI, '').replace(CONTROLS, ' ');
}
