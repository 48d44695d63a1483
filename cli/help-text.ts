/**
 * Help text wrapped to the width commander wraps the options to (the terminal's, or 80 when the
 * output is not a terminal), so that no line is broken twice, once by hand and once by the terminal.
 */

/** Where the help goes, and how wide it may be. */
export interface HelpOutput {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** stdout's columns when it is a terminal. */
  readonly stdoutColumns?: number | undefined;
  readonly stdoutIsTty?: boolean;
}

/** Commander's default when the output is no terminal. */
const DEFAULT_HELP_WIDTH = 80;

export const helpWidthOf = (io: HelpOutput): number =>
  io.stdoutIsTty && io.stdoutColumns ? io.stdoutColumns : DEFAULT_HELP_WIDTH;

/** Text cut into lines of at most `width` characters at spaces; the lines after the first indented by `hang`. */
export function wrap(text: string, width: number, hang = 0): string {
  const indent = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = indent;
  for (const word of text.slice(indent.length).split(' ')) {
    const limit = lines.length === 0 ? width : width - hang;
    if (line.trim() && line.length + word.length + 1 > limit) {
      lines.push(line);
      line = word;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  return [...lines, line].map((text, index) => (index === 0 ? text : `${' '.repeat(hang)}${text}`)).join('\n');
}

/**
 * The text after the options: each line that starts with a letter is a paragraph, wrapped; an
 * indented line (an example command, a list item made by its caller) is kept as it is.
 */
export function wrapParagraphs(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => (/^[^\s]/.test(line) ? wrap(line, width) : line))
    .join('\n');
}
