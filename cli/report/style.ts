import { styleText } from 'node:util';
import type { AttentionGroupKey } from '../../lambda/core/statuses';
import type { AttentionGroup } from '../../lambda/report/attention';

/**
 * Colour for the CLI's table, by Node's own rules (its tty getColorDepth): FORCE_COLOR wins (on for
 * an empty value, 1, 2, 3 or true; off for anything else, such as 0 or false); then NO_COLOR or
 * NODE_DISABLE_COLORS (set at all) and TERM=dumb turn it off; else colour only on a terminal.
 * Node's util.styleText does the styling; whether to style is decided here, once, so that piped
 * output and tests are the same on every Node version.
 */
export function colorWanted(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  const force = env['FORCE_COLOR'];
  if (force !== undefined) return ['', '1', '2', '3', 'true'].includes(force.trim().toLowerCase());
  if (env['NO_COLOR'] !== undefined || env['NODE_DISABLE_COLORS'] !== undefined || env['TERM'] === 'dumb') {
    return false;
  }
  return isTty;
}

type Format = Parameters<typeof styleText>[0];

/** Each group's colour: red for what failed or is left broken, yellow for what waits, green for repairs. */
const GROUP_FORMAT: Readonly<Record<AttentionGroupKey, Format>> = {
  failed: 'red',
  'not-checked': 'yellow',
  conflict: 'yellow',
  'left-by-responder': 'yellow',
  'off-path': 'red',
  broken: 'red',
  'would-repair': 'yellow',
  findings: 'magenta',
  repaired: 'green',
};

export interface Painter {
  /** A status cell, coloured by its row's group (dim for rows only counted). */
  status(text: string, group: AttentionGroup | undefined): string;
  /** A group's heading. */
  heading(text: string): string;
}

export function painter(enabled: boolean): Painter {
  // The decision is ours (colorWanted): Node 22+ would otherwise check the stream again.
  const paint = (format: Format, text: string) => (enabled ? styleText(format, text, { validateStream: false }) : text);
  return {
    status: (text, group) => paint(group ? GROUP_FORMAT[group.key] : 'dim', text),
    heading: (text) => paint('bold', text),
  };
}
