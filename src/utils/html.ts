/** Text as HTML shows it: the characters markup would read (user-entered titles and names) escaped. */
export const escapeHtml = (s: unknown) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/**
 * The HTML part of an email written as plain text: the text escaped, its paragraphs (blank lines) and line breaks
 * kept. The email provider sends the text itself as the HTML part of a message that has none, where mail programs
 * (which show the HTML part) read a title such as "Teens <&> Tweens" as markup and run the lines together.
 */
export const textAsHtml = (text: string) =>
  text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>\n')}</p>`)
    .join('\n');

/**
 * The text part of an email written as HTML paragraphs: tags dropped (links in these mails show their address),
 * entities read back. `&amp;` last, so that text which itself reads "&lt;" (escaped to "&amp;lt;") stays "&lt;".
 */
export const htmlAsText = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
