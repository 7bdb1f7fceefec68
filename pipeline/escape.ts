/**
 * Escaping for attacker-controlled text (command lines, user and host names, file names) wherever
 * it leaves the program: the terminal, HTML, Markdown, CSV. Stored data stays as it came.
 */

/**
 * C0 controls (ESC, BEL, CR, ...), DEL, C1 controls (CSI U+009B, ...), line and paragraph
 * separators, bidirectional overrides and marks, and invisible characters (zero-width space and
 * joiners, soft hyphen, word joiner, byte-order mark): a terminal acts on the first (ESC[2J clears
 * the screen, ESC]0;...BEL sets the window title), and the others disguise what a line says.
 * sql/macros/normalize.sql's ac_visible shows the same set the same way (the report lines SQL renders).
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const shown = (c: string) => {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** One line of text with every control character rendered visibly: ESC -> `\x1b`, newline -> `\x0a`. */
export const visible = (s: string) => s.replace(CONTROLS, shown);

/** Text of several lines (a report's activity, a summary): newlines and tabs kept, every other control rendered visibly. */
export const visibleLines = (s: string) => s.replace(CONTROLS_BUT_LINES, shown);

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const inertHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
/** One line of text as inert HTML (element content or a quoted attribute value), its newlines shown too (a <code> that wraps would break at them). */
export const escapeHtml = (s: string) => inertHtml(visible(s));

/** Text of several lines as inert HTML, for a <pre>: newlines and tabs kept, every other control shown. */
export const escapeHtmlLines = (s: string) => inertHtml(visibleLines(s));

/** Markdown inline text with its special characters escaped (GitHub's ~~strikethrough~~ too) and controls (newlines too) shown. */
export const escapeMarkdown = (s: string) => visible(s).replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);

/** A fenced code block whose fence is longer than any backtick run inside: the text stays literal. */
export function fenced(text: string): string {
  const safe = visibleLines(text);
  const longest = Math.max(0, ...[...safe.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${safe}\n${fence}`;
}
