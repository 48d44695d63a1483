import { BIDI_CONTROLS, displayText } from '../../lambda/report/display-text';

/** Text from AWS, made safe to show: no bidirectional control, no control character, on one line. */

const NAMES: Readonly<Record<string, string>> = {
  '\u202a': 'LEFT-TO-RIGHT EMBEDDING',
  '\u202b': 'RIGHT-TO-LEFT EMBEDDING',
  '\u202c': 'POP DIRECTIONAL FORMATTING',
  '\u202d': 'LEFT-TO-RIGHT OVERRIDE',
  '\u202e': 'RIGHT-TO-LEFT OVERRIDE',
  '\u2066': 'LEFT-TO-RIGHT ISOLATE',
  '\u2067': 'RIGHT-TO-LEFT ISOLATE',
  '\u2068': 'FIRST STRONG ISOLATE',
  '\u2069': 'POP DIRECTIONAL ISOLATE',
};

const hex = (character: string) => `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase()}`;

test('the controls are the nine of U+202A–U+202E and U+2066–U+2069, each named', () => {
  const range = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, index) => String.fromCodePoint(from + index));
  expect([...BIDI_CONTROLS]).toEqual([...range(0x202a, 0x202e), ...range(0x2066, 0x2069)]);
  expect(Object.keys(NAMES)).toEqual([...BIDI_CONTROLS]);
});

test.each(BIDI_CONTROLS.map((character) => [hex(character), NAMES[character] ?? '', character]))(
  '%s (%s) is removed at the start, inside and at the end, alone and repeated',
  (_code, _name, character) => {
    expect(displayText(`${character}ci-sandbox`)).toBe('ci-sandbox');
    expect(displayText(`ci-${character}sandbox`)).toBe('ci-sandbox');
    expect(displayText(`ci-sandbox${character}`)).toBe('ci-sandbox');
    expect(displayText(character)).toBe('');
    expect(displayText(character.repeat(3))).toBe('');
  },
);

test('every control at once, as Trojan Source mixes them: what is left reads in the order it is stored', () => {
  // Shown reversed, "prod-exe.txt" would read as "prod-txt.exe".
  expect(displayText('prod-\u202etxt.exe\u202c')).toBe('prod-txt.exe');
  expect(displayText('\u2067\u2066admin\u2069 \u2068ci\u2069\u2069')).toBe('admin ci');
  expect(displayText(BIDI_CONTROLS.join('x'))).toBe('xxxxxxxx');
  expect(displayText(`${BIDI_CONTROLS.join('')}deleted by arn:aws:sts::111122223333:assumed-role/a/b`)).toBe(
    'deleted by arn:aws:sts::111122223333:assumed-role/a/b',
  );
});

test('control characters: each run is one space, so the text stays on its line and a terminal runs no escape', () => {
  expect(displayText('two\nlines')).toBe('two lines');
  expect(displayText('crlf\r\nand\rcr')).toBe('crlf and cr');
  expect(displayText('tab\there')).toBe('tab here');
  expect(displayText('bell\u0007 nul\u0000 del\u007f c1\u0085 csi\u009b')).toBe('bell  nul  del  c1  csi ');
  expect(displayText('\u001b[2J\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007')).toBe(
    ' [2J ]8;;https://evil.example click ]8;; ',
  );
  // A control run with a bidirectional control inside it is still one run.
  expect(displayText('a\n\u202e\nb')).toBe('a b');
});

test('text that is already clean comes back as it is, right-to-left script and other marks included', () => {
  for (const text of [
    '',
    'sandbox-1',
    'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/jane.doe@example.com',
    '0.0.0.0/0 deleted by arn:aws:sts::111122223333:assumed-role/ci-cleanup/nuke (aws-nuke/3.56.2) at 2026-11-26 02:13:07 UTC',
    'Überprüfung · Prüfkonto — 試験',
    'שלום עולם مرحبا',
    // The implicit marks and joiners are not among the controls the issue names: kept.
    'a\u200eb\u200fc\u061cd\u200de',
    'emoji 🧹 and « quotes » & <angle> "double" \'single\'',
  ]) {
    expect(displayText(text)).toBe(text);
  }
});

test('it is idempotent', () => {
  const once = displayText('x\u202e\r\n\u2066y\u0007');
  expect(once).toBe('x y ');
  expect(displayText(once)).toBe(once);
});
